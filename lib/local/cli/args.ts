import { parseArgs } from 'node:util'
import { describeParseError } from '../../cli-text.js'
import { resolveFaultOptions, type FaultOptions } from '../faults.js'
import type { LocalEndpointOptions } from '../server.js'
import { FLAGS, type Command, type Flag } from './flags.js'

/** A bad command line: exit status 2, the message on stderr. */
export class UsageError extends Error {
  override name = 'UsageError'
}

export type Settings =
  | { action: 'help' | 'version' }
  | { action: 'serve', options: LocalEndpointOptions }
  | { action: 'dump', endpoint: string, group: string, stream?: string, json: boolean }
  | { action: 'list', endpoint: string, json: boolean }

type Value = string | number | boolean | string[]

const commandName = (command: Command): string =>
  command === 'serve' ? 'logbeam-local (the endpoint)' : `logbeam-local ${command}`

/** Reads the command line; throws UsageError naming the flag at fault. Pure: no I/O. */
export function parseLocalArgs (argv: string[]): Settings {
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({
      args: argv,
      options: Object.fromEntries(FLAGS.map((f) => [f.name, {
        type: f.kind === 'boolean' ? 'boolean' as const : 'string' as const,
        ...(f.short === undefined ? {} : { short: f.short })
      }])),
      strict: true,
      allowPositionals: true
    })
  } catch (err) {
    const code = (err as { code?: unknown }).code
    if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS')) throw err
    throw new UsageError(describeParseError(err as Error & { code?: string }))
  }
  const { values, positionals } = parsed
  if (values.help === true) return { action: 'help' }
  if (values.version === true) return { action: 'version' }
  const command = commandOf(positionals)

  const given = new Map<Flag, Value>()
  for (const flag of FLAGS) {
    const raw = values[flag.name]
    if (raw === undefined) continue
    if (!flag.commands.includes(command)) {
      const owners = flag.commands.map(commandName).join(' and ')
      throw new UsageError(`--${flag.name} is a flag of ${owners}, not of ${commandName(command)}`)
    }
    given.set(flag, convert(flag, raw as string | boolean))
  }
  const read = (name: string): Value | undefined =>
    [...given].find(([flag]) => 'read' in flag.target && flag.target.read === name)?.[1]
  const required = (name: string): string => {
    const value = read(name)
    if (value === undefined) throw new UsageError(`${commandName(command)} needs --${name}`)
    return value as string
  }
  switch (command) {
    case 'dump': {
      const endpoint = required('endpoint')
      const settings = { action: 'dump' as const, endpoint, group: required('group'), json: read('json') === true }
      const stream = read('stream') as string | undefined
      return stream === undefined ? settings : { ...settings, stream }
    }
    case 'list':
      return { action: 'list', endpoint: required('endpoint'), json: read('json') === true }
    case 'serve':
      return { action: 'serve', options: serveOptions(given) }
  }
}

function commandOf (positionals: string[]): Command {
  if (positionals.length === 0) return 'serve'
  const [first, ...rest] = positionals
  if (first !== 'dump' && first !== 'list') {
    throw new UsageError(`unknown command '${first!}': expected dump or list, or none to run the endpoint`)
  }
  if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]!}': ${commandName(first)} takes flags only`)
  return first
}

function serveOptions (given: Map<Flag, Value>): LocalEndpointOptions {
  const options: LocalEndpointOptions = {}
  const faults: Record<string, unknown> = {}
  for (const [flag, value] of given) {
    if ('endpoint' in flag.target) (options as Record<string, unknown>)[flag.target.endpoint] = value
    if ('fault' in flag.target) faults[flag.target.fault] = value
  }
  try {
    resolveFaultOptions(faults as FaultOptions)
  } catch (err) {
    // The faults' own rule, worded with the flags. (Single values were checked by convert.)
    const rates = [...given].filter(([flag]) => flag.kind === 'rate').map(([flag]) => `--${flag.name}`)
    const message = (err as Error).message
    throw new UsageError(/must not exceed 1/.test(message) ? `${rates.join(' + ')} must not exceed 1` : message)
  }
  options.faults = faults as FaultOptions
  return options
}

function convert (flag: Flag, raw: string | boolean): Value {
  if (flag.kind === 'boolean') return raw as boolean
  const text = raw as string
  const bad = (expected: string): UsageError => new UsageError(`--${flag.name} must be ${expected}, got '${text}'`)
  const n = Number(text)
  switch (flag.kind) {
    case 'rate':
      if (text.trim() === '' || !(n >= 0 && n <= 1)) throw bad('a number from 0 to 1')
      return n
    case 'number':
      if (text.trim() === '' || !(Number.isFinite(n) && n >= 0)) throw bad('a number >= 0')
      return n
    case 'integer': {
      const min = flag.min ?? 0
      const max = flag.max ?? Number.MAX_SAFE_INTEGER
      if (!/^-?\d+$/.test(text) || !(n >= min && n <= max)) {
        if (max !== Number.MAX_SAFE_INTEGER) throw bad(`an integer from ${min} to ${max}`)
        throw bad(min === 1 ? 'a positive integer' : 'an integer')
      }
      return n
    }
    case 'choice':
      if (!flag.choices!.includes(text)) throw bad(`one of ${flag.choices!.join(', ')}`)
      return text
    case 'url': {
      let url: URL | undefined
      try { url = new URL(text) } catch { /* reported below */ }
      if (url?.protocol !== 'http:' && url?.protocol !== 'https:') throw bad('an http:// or https:// URL')
      return text
    }
    case 'list': {
      const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '')
      if (items.length === 0) throw bad('a comma-separated list')
      return items
    }
    case 'string':
      if (text === '') throw bad('a non-empty value')
      return text
  }
}
