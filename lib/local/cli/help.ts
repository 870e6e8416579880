import { defaultNote, flagHelpLines } from '../../cli-text.js'
import { FLAGS, type Command, type Flag } from './flags.js'

const COLUMN = 34

function usage (flag: Flag): string {
  const short = flag.short === undefined ? '' : `-${flag.short}, `
  return `${short}--${flag.name}${flag.value === undefined ? '' : ` ${flag.value}`}`
}

function flagHelp (flag: Flag): string {
  return flagHelpLines(usage(flag), `${flag.description} ${defaultNote(flag.default)}`, COLUMN)
}

const helpOf = (test: (f: Flag) => boolean): string => FLAGS.filter(test).map(flagHelp).join('\n')
const only = (command: Command): string => helpOf((f) => f.commands.length === 1 && f.commands[0] === command)

/** The text of `logbeam-local --help`. */
export function helpText (): string {
  return `Usage: logbeam-local [options]                      run the endpoint
       logbeam-local dump --endpoint URL --group NAME [--stream NAME] [--json]
       logbeam-local list --endpoint URL [--json]

An in-memory Amazon CloudWatch Logs endpoint for examples and tests: no AWS account needed.
Point the SDK at it with endpoint (or AWS_ENDPOINT_URL_CLOUDWATCH_LOGS) set to the printed URL,
any region and any credentials. Groups and streams must be created first, as on the service
(or pass --auto-create). Everything is kept in memory and lost when it stops.

Endpoint options:
${only('serve')}

The rates hit PutLogEvents calls only, unless --fault-operations names others, and together
must not exceed 1; one draw per call decides. "Not processed" faults store nothing; the
"-after-processing" ones store the events first, so a client that retries makes duplicates.

Reading a running endpoint (through the CloudWatch Logs API, as any client would):
  dump   the events of a group, oldest first, one per line ("TIME STREAM MESSAGE", or JSON
         with --json): every stream merged by time, or only --stream
  list   its groups (with deletion protection and KMS key, when set) and their streams, with the
         number of events in each
${helpOf((f) => f.commands.includes('dump') && !f.commands.includes('serve'))}

Common:
${helpOf((f) => f.commands.length === 3)}

The aws CLI reads it too (any key, any region):
  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
  aws logs get-log-events --endpoint-url URL --log-group-name NAME --log-stream-name NAME --start-from-head
  aws logs filter-log-events --endpoint-url URL --log-group-name NAME

Exit status: 0 after SIGINT or SIGTERM (the endpoint) or once printed (dump, list); 1 when the
endpoint cannot start or cannot be read; 2 for a bad command line.
`
}

function cell (text: string): string {
  return text.replaceAll('|', '\\|')
}

/** The flags as a Markdown table, the one the README shows. */
export function localFlagsMarkdown (): string {
  const rows = FLAGS.map((flag) => {
    const commands = flag.commands.length === 3
      ? 'all'
      : flag.commands.map((c) => c === 'serve' ? '(endpoint)' : c).join(', ')
    const value = flag.default === '' || flag.default.startsWith('(') ? flag.default : `\`${flag.default}\``
    return `| \`${cell(usage(flag))}\` | ${commands} | ${cell(value)} | ${cell(flag.description)} |`
  })
  return ['| Flag | Command | Default | Description |', '| --- | --- | --- | --- |', ...rows].join('\n') + '\n'
}
