import { defaultNote, flagHelpLines } from '../../cli-text.js'
import { TAIL_FLAGS, type TailFlag, type TailSection } from './flags.js'

const COLUMN = 34

const SECTIONS: Record<TailSection, string> = {
  read: 'What to read',
  output: 'Output',
  pretty: 'pino-pretty options (--output pretty)',
  connection: 'Connection and the rest'
}

function usage (flag: TailFlag): string {
  const value = flag.value ? ` ${flag.value}` : ''
  const short = flag.name === 'help' ? '-h, ' : ''
  const negated = flag.negatable ? `, --no-${flag.name}` : ''
  return `${short}--${flag.name}${value}${negated}`
}

function flagHelp (flag: TailFlag): string {
  const env = flag.env ? `Env: ${flag.env}.` : ''
  return flagHelpLines(usage(flag), `${flag.description} ${defaultNote(flag.default)} ${env}`, COLUMN)
}

/** The text of `pino-cloudwatch tail --help`. */
export function tailHelpText (): string {
  const sections = (Object.entries(SECTIONS) as Array<[TailSection, string]>).map(([section, title]) =>
    `${title}:\n${TAIL_FLAGS.filter(f => f.section === section).map(flagHelp).join('\n')}`)
  return `Usage: pino-cloudwatch tail --log-group-name NAME [flags]

Prints what is stored in CloudWatch Logs: the history (FilterLogEvents, from --since), then with
--follow what arrives (polling every --poll-interval), or with --live what CloudWatch Live Tail
streams. Events come oldest first, streams interleaved by time, none twice. Every flag can also be
set with the environment variable shown (flags win over them).

${sections.join('\n\n')}

Examples:
  pino-cloudwatch tail --log-group-name /my/app --follow
  pino-cloudwatch tail --log-group-name /my/app --log-stream-name-prefix tenant-42/ --since 2h
  pino-cloudwatch tail --log-group-name /my/app --filter '{ $.level >= 50 }' --since 1d
  pino-cloudwatch tail --log-group-name /my/app --output raw | pino-pretty

Permissions: logs:FilterLogEvents; with --live logs:StartLiveTail, and logs:DescribeLogGroups to
find the ARN of a group given by name.

Exit status:
  0    the history was printed to its end (--until, or now)
  1    CloudWatch refused or failed (missing group, missing permission, no answer); stderr says why
  2    bad flag or value
  130  SIGINT (after the page being read is printed); 143 for SIGTERM
`
}

const cell = (text: string): string => text.replaceAll('|', '\\|')

/** The tail flags as a Markdown table, the one the README shows. */
export function tailFlagsMarkdown (): string {
  const rows = TAIL_FLAGS.map(flag => {
    const env = flag.env ? `\`${flag.env}\`` : ''
    const value = flag.default === '' || flag.default.startsWith('(') ? flag.default : `\`${flag.default}\``
    return `| \`${cell(usage(flag))}\` | ${env} | ${cell(value)} | ${cell(flag.description)} |`
  })
  return [
    '| Flag | Environment variable | Default | Description |',
    '| --- | --- | --- | --- |',
    ...rows
  ].join('\n') + '\n'
}
