// What logbeam's three command lines share (pino-cloudwatch, its `tail`, logbeam-local): the layout of a flag's
// help, and node:util parseArgs' errors reworded to name the flag and nothing else.

const WIDTH = 100

/** Words of `text` in lines of at most `width` characters. */
export function wrap (text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else {
      line = line === '' ? word : `${line} ${word}`
    }
  }
  if (line !== '') lines.push(line)
  return lines
}

/** "Default: X." from a flag table's default column ('' and 'false' say nothing; '(text)' is shown bare). */
export function defaultNote (text: string): string {
  if (text === '' || text === 'false') return ''
  if (text === '(required)') return 'Required.'
  return `Default: ${text.startsWith('(') ? text.slice(1, -1) : text}.`
}

/** One flag's help: its usage in a column of `column` characters, its text wrapped beside it. */
export function flagHelpLines (usage: string, text: string, column: number): string {
  const words = wrap(text.trim(), WIDTH - column)
  const head = `  ${usage}`
  const out = head.length < column - 1 ? [head.padEnd(column) + (words.shift() ?? '')] : [head]
  for (const line of words) out.push(' '.repeat(column) + line)
  return out.join('\n')
}

/** node:util's messages, reworded so that each names the flag; `positional` says why a bare argument is wrong. */
export function describeParseError (err: Error & { code?: string }, positional?: string): string {
  const quoted = /'([^']*)'/.exec(err.message)?.[1]
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown flag ${quoted ?? err.message}`
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return positional === undefined
        ? err.message
        : `unexpected argument ${JSON.stringify(quoted ?? err.message)}: ${positional}`
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const flag = /'(--?[\w-]+)/.exec(err.message)?.[1] ?? 'a flag'
      if (/does not take an argument/.test(err.message)) return `${flag} takes no value`
      if (/ambiguous/.test(err.message)) return `${flag} needs a value (one starting with '-' is written ${flag}=VALUE)`
      if (/missing/.test(err.message)) return `${flag} needs a value`
      return err.message
    }
    default:
      return err.message
  }
}

/** A flag as parseArgs needs to know it. */
export interface ParsedFlag { name: string, kind: string, repeatable?: boolean, negatable?: boolean }

type ParseConfig = Record<string, { type: 'string' | 'boolean', multiple?: boolean, short?: string }>

/** node:util parseArgs' options for a flag table: `--no-X` for negatable flags, `-h` for help. */
export function parseConfig (flags: readonly ParsedFlag[]): ParseConfig {
  const options: ParseConfig = {}
  for (const flag of flags) {
    options[flag.name] = { type: flag.kind === 'boolean' ? 'boolean' : 'string' }
    if (flag.repeatable === true) options[flag.name]!.multiple = true
    // Declared one by one rather than with parseArgs' allowNegative, which Node 20 gained late.
    if (flag.negatable === true) options[`no-${flag.name}`] = { type: 'boolean' }
  }
  if (options.help !== undefined) options.help.short = 'h'
  return options
}
