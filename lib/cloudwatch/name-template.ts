import { hostname } from 'node:os'
import { randomBytes } from 'node:crypto'
import { LogbeamOptionError } from '../option-error.js'
import { LOG_GROUP_NAME, LOG_STREAM_NAME, isLogGroupName } from './rules.js'

/** Which name a template makes: the rules differ. */
export type NameKind = 'group' | 'stream'

/** A placeholder filled from each line: `{level}`, `{field.req.tenantId}`, each with its fallback text. */
export type RecordPart =
  | { kind: 'level', token: string, fallback: string }
  | { kind: 'field', token: string, path: readonly string[], fallback: string }

/** A log group or stream name template after start: process placeholders expanded, record ones left to fill. */
export interface NameTemplate {
  kind: NameKind
  /** Text and record placeholders, in order. */
  parts: ReadonlyArray<string | RecordPart>
  /** The name itself when there is no record placeholder: then nothing is read from lines. */
  fixed: string | undefined
  /** The name with every record placeholder at its fallback; valid (checked at start). */
  fallback: string
}

/** Text used for a record placeholder that cannot be filled, unless the template gives its own (`{level|other}`). */
export const DEFAULT_FALLBACK = 'unknown'

const TOKEN = /\{([a-zA-Z]+)(?:\.([^}|]*))?(?:\|([^}]*))?\}/g
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
// Keys holding `"` or `\\` are left out: in a line they are escaped, and would not be found by their text.
const FIELD_PATH = /^[^."\\]+(?:\.[^."\\]+)*$/
const STREAM_FORBIDDEN = new RegExp(LOG_STREAM_NAME.forbidden.source, 'g')
const PROCESS_KEYS = ['hostname', 'pid', 'date', 'time', 'id', 'env']

/**
 * Reads a name template. Process placeholders are replaced now: `{hostname}`, `{pid}`, `{date}` (UTC YYYY-MM-DD),
 * `{time}` (UTC HH-mm-ss), `{id}` (8 random hex digits) and `{env.NAME}`; in a stream name, `:` and `*` of the
 * result become `-` and the name is cut to 512 characters. Record placeholders, `{level}` and `{field.PATH}`, with
 * an optional `|fallback`, are filled from each line by the router. Anything that could not make a valid name is a
 * LogbeamOptionError now, never a surprise while logs flow.
 */
export function compileName (template: string, kind: NameKind, env: NodeJS.ProcessEnv = process.env,
  now = new Date()): NameTemplate {
  const option = kind === 'group' ? 'logGroupName' : 'logStreamName'
  const fail = (reason: string): never => { throw new LogbeamOptionError(option, reason) }
  const iso = now.toISOString()
  const parts: Array<string | RecordPart> = []
  let text = ''
  let last = 0
  for (const m of template.matchAll(TOKEN)) {
    const [token, key, arg, fallback] = m as unknown as [string, string, string | undefined, string | undefined]
    text += template.slice(last, m.index)
    last = m.index + token.length
    if (PROCESS_KEYS.includes(key)) {
      if (fallback !== undefined) fail(`${JSON.stringify(token)}: only {level} and {field.NAME} take a |fallback`)
      text += processValue(key, arg, token, template, fail, iso, env)
      continue
    }
    if (key === 'level' && arg === undefined) {
      parts.push(literal(text, kind), { kind: 'level', token, fallback: fallback ?? DEFAULT_FALLBACK })
    } else if (key === 'field' && arg !== undefined && FIELD_PATH.test(arg)) {
      parts.push(literal(text, kind), { kind: 'field', token, path: arg.split('.'), fallback: fallback ?? DEFAULT_FALLBACK })
    } else {
      fail(`${JSON.stringify(token)} in ${JSON.stringify(template)} is not a placeholder: use {hostname}, {pid}, ` +
        '{date}, {time}, {id}, {env.NAME}, {level} or {field.NAME} (a dotted path for nested fields)')
    }
    text = ''
  }
  parts.push(literal(text + template.slice(last), kind))
  const compact = parts.filter(p => p !== '')
  const records = compact.filter(p => typeof p !== 'string')
  let fallbackName = compact.map(p => typeof p === 'string' ? p : p.fallback).join('')
  if (kind === 'stream' && records.length === 0) fallbackName = fallbackName.slice(0, LOG_STREAM_NAME.maxLength)
  if (fallbackName === '') fail(`${JSON.stringify(template)} expands to an empty name`)
  const problem = nameProblem(fallbackName, kind)
  if (problem !== undefined) {
    const what = records.length > 0 ? ' with every record placeholder at its fallback' : ''
    fail(`${JSON.stringify(template)}${what} makes ${JSON.stringify(fallbackName)}: ${problem}`)
  }
  return { kind, parts: compact, fixed: records.length === 0 ? fallbackName : undefined, fallback: fallbackName }
}

/** Literal text of a name: in a stream name the characters the service refuses become `-`. */
function literal (text: string, kind: NameKind): string {
  return kind === 'stream' ? text.replace(STREAM_FORBIDDEN, '-') : text
}

function processValue (key: string, arg: string | undefined, token: string, template: string,
  fail: (reason: string) => never, iso: string, env: NodeJS.ProcessEnv): string {
  if (key !== 'env' && arg !== undefined) fail(`${JSON.stringify(token)} in ${JSON.stringify(template)}: {${key}} takes no argument`)
  switch (key) {
    case 'hostname': return hostname()
    case 'pid': return String(process.pid)
    case 'date': return iso.slice(0, 10)
    case 'time': return iso.slice(11, 19)
    case 'id': return randomBytes(4).toString('hex')
    default:
      if (arg === undefined || !ENV_NAME.test(arg)) {
        fail(`${JSON.stringify(token)} in ${JSON.stringify(template)}: expected {env.NAME} with NAME of letters, ` +
          'digits and _')
      }
      return env[arg!] ?? ''
  }
}

/** Why the service would refuse `name` as a group or stream name, or undefined. */
export function nameProblem (name: string, kind: NameKind): string | undefined {
  if (kind === 'group') {
    if (!isLogGroupName(name)) {
      return `a log group name is 1 to ${LOG_GROUP_NAME.maxLength} characters of letters, digits and . - _ / #`
    }
    if (name.startsWith(LOG_GROUP_NAME.reservedPrefix)) {
      return `a log group name must not start with '${LOG_GROUP_NAME.reservedPrefix}'`
    }
    return undefined
  }
  if (name.length < 1 || name.length > LOG_STREAM_NAME.maxLength) {
    return `a log stream name is 1 to ${LOG_STREAM_NAME.maxLength} characters`
  }
  return LOG_STREAM_NAME.forbidden.test(name) ? 'a log stream name holds no : or *' : undefined
}

/**
 * A record value as it stands in a name of this kind, or undefined when it cannot: in a stream name `:` and `*`
 * become `-`, as in the template's own text (an ISO time stays readable); a group name takes only its characters.
 */
export function nameValue (value: string, kind: NameKind): string | undefined {
  if (value === '') return undefined
  if (kind === 'stream') return value.replace(STREAM_FORBIDDEN, '-')
  return LOG_GROUP_NAME.characters.test(value) ? value : undefined
}
