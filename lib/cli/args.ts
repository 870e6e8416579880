import { parseArgs } from 'node:util'
import { describeParseError, parseConfig } from '../cli-text.js'
import { LogbeamOptionError } from '../option-error.js'
import { resolveOptions, type ClientConfig, type Options, type ResolvedOptions } from '../options.js'
import { CLI_DEFAULTS, FLAGS, envName, flagForOption, type Flag } from './flags.js'
import { parseJsonValue } from './json-value.js'

/** Bad command line or environment: the CLI exits 2 with this message. */
export class UsageError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

export interface CliSettings {
  action: 'run' | 'help' | 'version'
  /** Options for the pipeline, not yet resolved (see resolveCliOptions). */
  options: Options
  tee: boolean
  quiet: boolean
  /** Where each option's (or client setting's: `clientConfig.region`) value came from, for messages. */
  sources: Map<string, string>
}

/**
 * A flag's converted value: a string, number, boolean or tags, or (JSON flags) any JSON,
 * for resolveOptions to check.
 */
type Value = unknown

interface Raw { flag: Flag, source: string, value: string | boolean | string[] }

const PARSE_CONFIG = parseConfig(FLAGS)

const BY_NAME = new Map(FLAGS.map(f => [f.name, f]))

/** Turns argv and the environment into settings; flags win over LOGBEAM_* variables. */
export function parseCliArgs (argv: string[], env: NodeJS.ProcessEnv): CliSettings {
  let tokens
  try {
    tokens = parseArgs({ args: argv, options: PARSE_CONFIG, strict: true, allowPositionals: false, tokens: true })
      .tokens
  } catch (err) {
    throw new UsageError(describeParseError(err as Error & { code?: string },
      'pino-cloudwatch takes flags only (the logs come on stdin)'))
  }

  const raw = new Map<string, Raw>()
  for (const flag of FLAGS) {
    const name = envName(flag)
    const text = name === undefined ? undefined : env[name]
    // An empty variable counts as unset, as the shell's `VAR= cmd` idiom expects.
    if (text === undefined || text === '') continue
    const value = flag.kind === 'boolean'
      ? envBoolean(text, name!, flag)
      : flag.kind === 'tag' ? text.split(',').filter(t => t !== '') : text
    raw.set(flag.name, { flag, source: `${name} (--${flag.name})`, value })
  }
  const fromFlags = new Set<string>()
  for (const token of tokens) {
    if (token.kind !== 'option') continue
    const negated = token.name.startsWith('no-') && BY_NAME.get(token.name.slice(3))?.negatable === true
    const flag = BY_NAME.get(negated ? token.name.slice(3) : token.name)!
    const source = `--${flag.name}`
    if (flag.kind === 'boolean') {
      raw.set(flag.name, { flag, source, value: !negated })
    } else if (flag.repeatable) {
      const previous = fromFlags.has(flag.name) ? raw.get(flag.name)!.value as string[] : []
      raw.set(flag.name, { flag, source, value: [...previous, token.value ?? ''] })
    } else {
      raw.set(flag.name, { flag, source, value: token.value ?? '' })
    }
    fromFlags.add(flag.name)
  }

  const settings: CliSettings = {
    action: 'run',
    options: { logGroupName: '' },
    tee: false,
    quiet: false,
    sources: new Map()
  }
  if (raw.get('help')?.value === true) return { ...settings, action: 'help' }
  if (raw.get('version')?.value === true) return { ...settings, action: 'version' }

  const options: Record<string, unknown> = { ...CLI_DEFAULTS }
  const clientConfig: ClientConfig = {}
  for (const { flag, source, value } of raw.values()) {
    const typed = convert(flag, source, value)
    const target = flag.target
    if ('option' in target) {
      options[target.option] = typed
      settings.sources.set(target.option, source)
    } else if ('client' in target) {
      clientConfig[target.client] = typed as string
      settings.sources.set(`clientConfig.${target.client}`, source)
    } else if (target.cli === 'tee' || target.cli === 'quiet') {
      settings[target.cli] = typed as boolean
    }
  }
  if (options.logGroupName === undefined) {
    throw new UsageError('--log-group-name is required (or set LOGBEAM_LOG_GROUP_NAME)')
  }
  if (Object.keys(clientConfig).length > 0) options.clientConfig = clientConfig
  options.stderr = !settings.quiet
  settings.options = options as unknown as Options
  return settings
}

/** Applies defaults and checks values the way the transport does, naming flags instead of options. */
export function resolveCliOptions (settings: CliSettings, env: NodeJS.ProcessEnv): ResolvedOptions {
  try {
    return resolveOptions(settings.options, env)
  } catch (err) {
    if (!(err instanceof LogbeamOptionError)) throw new UsageError((err as Error).message.replace(/^logbeam: /, ''))
    const flag = flagForOption(err.option)
    const option = err.option.split('.')[0]!
    const source = settings.sources.get(err.option) ?? settings.sources.get(option) ??
      (flag ? `--${flag.name}` : err.option)
    // A setting inside an object-valued option is named, so that a long JSON value points at its fault.
    const inside = option !== err.option && !err.option.startsWith('clientConfig.') ? `${err.option}: ` : ''
    throw new UsageError(`invalid value for ${source}: ${inside}${err.reason}`)
  }
}

function convert (flag: Flag, source: string, value: string | boolean | string[]): Value {
  const bad = (why: string): UsageError =>
    new UsageError(`invalid value for ${source}: ${why}, got ${JSON.stringify(value)}`)
  switch (flag.kind) {
    case 'boolean':
      return value as boolean
    case 'integer':
      if (typeof value !== 'string' || !/^[0-9]+$/.test(value)) throw bad('expected a whole number')
      return Number(value)
    case 'choice':
      if (!flag.choices!.includes(value as string)) throw bad(`expected one of ${flag.choices!.join(', ')}`)
      return value as string
    case 'url': {
      let url: URL | undefined
      try { url = new URL(value as string) } catch { /* reported below */ }
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
        throw bad('expected an http:// or https:// URL')
      }
      return value as string
    }
    case 'json': {
      const parsed = parseJsonValue(value as string)
      if (!parsed.ok) throw new UsageError(`invalid value for ${source}: ${parsed.reason}`)
      return parsed.value
    }
    case 'tag': {
      const tags: Record<string, string> = {}
      for (const pair of value as string[]) {
        const at = pair.indexOf('=')
        if (at <= 0) {
          throw new UsageError(`invalid value for ${source}: expected KEY=VALUE, got ${JSON.stringify(pair)}`)
        }
        tags[pair.slice(0, at)] = pair.slice(at + 1)
      }
      return tags
    }
    default:
      if (value === '') throw bad('expected a non-empty value')
      return value as string
  }
}

function envBoolean (text: string, name: string, flag: Flag): boolean {
  const lower = text.toLowerCase()
  if (['true', '1', 'yes', 'on'].includes(lower)) return true
  if (['false', '0', 'no', 'off'].includes(lower)) return false
  throw new UsageError(`invalid value for ${name} (--${flag.name}): ` +
    `expected true or false, got ${JSON.stringify(text)}`)
}
