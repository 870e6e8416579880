import { defaultNote, flagHelpLines } from '../cli-text.js'
import { FLAGS, envName, type Flag } from './flags.js'

const COLUMN = 32

function usage (flag: Flag): string {
  const value = flag.value ? ` ${flag.value}` : ''
  const short = flag.name === 'help' ? '-h, ' : ''
  const negated = flag.negatable ? `, --no-${flag.name}` : ''
  return `${short}--${flag.name}${value}${negated}`
}

function flagHelp (flag: Flag): string {
  const env = envName(flag)
  return flagHelpLines(usage(flag),
    `${flag.description} ${defaultNote(flag.default)} ${env ? `Env: ${env}.` : ''}`, COLUMN)
}

/** The text of `pino-cloudwatch --help`. */
export function helpText (): string {
  return `Usage: node app.js | pino-cloudwatch --log-group-name NAME [flags]
       pino-cloudwatch tail --log-group-name NAME [flags]   (read it back: pino-cloudwatch tail --help)

Ships the lines it reads on stdin (pino's JSON lines, or any text) to Amazon CloudWatch Logs.
Each line is one event, stamped with the time of its "time" field (or the time it was read).
Empty lines are skipped; invalid UTF-8 is replaced by U+FFFD; lines over 1 MB are split.
Every flag can also be set with the environment variable shown (flags win over them). AWS
credentials, AWS_REGION, AWS_PROFILE and AWS_ENDPOINT_URL work as in every AWS tool.

Flags:
${FLAGS.map(flagHelp).join('\n')}

Full buffer:
  With --overflow block (the default) reading stops while --max-buffer-size bytes await
  delivery, and goes on once CloudWatch has caught up: the producer is slowed down by the pipe,
  no line is lost. With drop-oldest or drop-newest reading never stops; dropped lines are
  counted on stderr and make the exit status 1.

End of input, signals:
  At the end of stdin every line read is sent; --close-timeout bounds how long that may take.
  SIGINT or SIGTERM stops reading, sends what was read within --close-timeout, then exits.
  A second SIGINT or SIGTERM exits at once; lines not yet delivered are lost (or stay in the
  --spool-dir, to be sent by the next run).

Exit status:
  0    every line read was delivered (also after SIGINT/SIGTERM)
  1    lines were not delivered before --close-timeout passed, or were dropped (--overflow
       drop-*); stderr says how many and why
  2    bad flag, bad value or missing setting; nothing was read
  130  SIGINT, and lines were not delivered (143 for SIGTERM)
  Events CloudWatch refuses for good (outside its time window, or invalid) are reported on
  stderr but do not change the exit status: sending them again could not help.

Diagnostics go to stderr only; stdout carries nothing but the --tee copy.
`
}

function cell (text: string): string {
  return text.replaceAll('|', '\\|')
}

/** The flags as a Markdown table, the one the README shows. */
export function flagsMarkdown (): string {
  const rows = FLAGS.map(flag => {
    const env = envName(flag)
    const defaultValue = flag.default === '' || flag.default.startsWith('(') ? flag.default : `\`${flag.default}\``
    return `| \`${cell(usage(flag))}\` | ${env ? `\`${env}\`` : ''} | ` +
      `${cell(defaultValue)} | ${cell(flag.description)} |`
  })
  return [
    '| Flag | Environment variable | Default | Description |',
    '| --- | --- | --- | --- |',
    ...rows
  ].join('\n') + '\n'
}
