import { hostname } from 'node:os'
import { randomBytes } from 'node:crypto'

const MAX_LENGTH = 512

/**
 * Expands a log stream name template. The default template puts the pid and a random id in the
 * name so that two processes (or two transports in one process) never share a stream by accident.
 * The result is made valid for the service: `:` (which an ISO time would bring) and `*` become `-`.
 */
export function expandStreamName (template: string, env: NodeJS.ProcessEnv = process.env, now: Date = new Date()): string {
  const iso = now.toISOString()
  const name = template.replace(/\{([a-zA-Z]+)(?:\.([A-Za-z0-9_]+))?\}/g, (token, key: string, arg?: string) => {
    switch (key) {
      case 'hostname': return hostname()
      case 'pid': return String(process.pid)
      case 'date': return iso.slice(0, 10)
      case 'time': return iso.slice(11, 19)
      case 'id': return randomBytes(4).toString('hex')
      case 'env': return arg === undefined ? token : (env[arg] ?? '')
      default: return token
    }
  })
  const valid = name.replace(/[:*]/g, '-').slice(0, MAX_LENGTH)
  if (valid === '') throw new Error(`logbeam: invalid option logStreamName: ${JSON.stringify(template)} expands to an empty name`)
  return valid
}
