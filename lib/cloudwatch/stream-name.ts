import { hostname } from 'node:os'
import { randomBytes } from 'node:crypto'
import { LogbeamOptionError } from '../option-error.js'
import { LOG_STREAM_NAME } from './rules.js'

const TOKEN = /\{([a-zA-Z]+)(?:\.([^}]*))?\}/g
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const FORBIDDEN = new RegExp(LOG_STREAM_NAME.forbidden.source, 'g')

/**
 * Expands a log stream name template. The default template puts the pid and a random id in the
 * name so that two processes (or two transports in one process) never share a stream by accident.
 * The result is made valid for the service: `:` (which an ISO time would bring) and `*` become `-`.
 * A malformed `{env...}` token, or a template that expands to nothing, is a bad option: it throws
 * LogbeamOptionError at start rather than sending to a stream nobody meant.
 */
export function expandStreamName (template: string, env: NodeJS.ProcessEnv = process.env, now = new Date()): string {
  const iso = now.toISOString()
  const name = template.replace(TOKEN, (token, key: string, arg?: string) => {
    switch (key) {
      case 'hostname': return hostname()
      case 'pid': return String(process.pid)
      case 'date': return iso.slice(0, 10)
      case 'time': return iso.slice(11, 19)
      case 'id': return randomBytes(4).toString('hex')
      case 'env': return envValue(template, token, arg, env)
      default: return token
    }
  })
  const valid = name.replace(FORBIDDEN, '-').slice(0, LOG_STREAM_NAME.maxLength)
  if (valid === '') {
    throw new LogbeamOptionError('logStreamName', `${JSON.stringify(template)} expands to an empty name`)
  }
  return valid
}

function envValue (template: string, token: string, name: string | undefined, env: NodeJS.ProcessEnv): string {
  if (name === undefined || !ENV_NAME.test(name)) {
    throw new LogbeamOptionError('logStreamName',
      `${JSON.stringify(token)} in ${JSON.stringify(template)}: expected {env.NAME} with NAME of letters, digits and _`)
  }
  return env[name] ?? ''
}
