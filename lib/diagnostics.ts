import { writeSync } from 'node:fs'
import { redact } from './errors.js'

/** The named events logbeam reports (to the main thread, and as lines on stderr). */
export const EVENTS = {
  /** A call failed and will be retried: { code, message, attempt, events }. */
  putError: 'putError',
  /** Delivery works again after failures: { failedFor } (ms). */
  recovered: 'recovered',
  /** Events dropped because the buffer was full: { count, from, to, reason }. */
  dropped: 'dropped',
  /** Events the service refused or dropped: { count, reason }. */
  rejected: 'rejected',
  /** Events whose timestamps were moved into the accepted window: { count }. */
  timestampAdjusted: 'timestampAdjusted',
  /** Oversized events split or truncated: { split, truncated }. */
  oversize: 'oversize',
  /** A log group or stream was created: { kind, name }. */
  created: 'created',
  /** Events still undelivered when the close deadline passed: { count, reason }. */
  undelivered: 'undelivered',
  /** Spool files that could not be read: { file, reason }. */
  spoolError: 'spoolError'
} as const

export type EventName = typeof EVENTS[keyof typeof EVENTS]
export interface EventInfo { message: string, [key: string]: unknown }
export type Reporter = (name: EventName, info: EventInfo) => void

export interface ReporterOptions {
  /** Receives every event (the worker forwards them to the main thread). */
  emit?: (name: EventName, info: EventInfo) => void
  /** Print to stderr, at most one line per event name every `stderrInterval` ms. */
  stderr: boolean
  stderrInterval?: number
  write?: (line: string) => void
}

// Written straight to fd 2: from a worker thread, process.stderr goes through the main thread
// and can be lost when the process exits, which is exactly when these lines matter. Never
// through pino: logbeam's own trouble must not be logged back into logbeam.
const writeStderr = (line: string): void => {
  try { writeSync(2, line) } catch { /* stderr closed: nothing more to do */ }
}

/** Lines that must always be printed, whatever the rate limit (final counts at close). */
const ALWAYS: ReadonlySet<EventName> = new Set([EVENTS.undelivered, EVENTS.dropped])

export function createReporter (opts: ReporterOptions): Reporter {
  const interval = opts.stderrInterval ?? 10_000
  const write = opts.write ?? writeStderr
  const last = new Map<EventName, { at: number, suppressed: number }>()
  return (name, info) => {
    info.message = redact(info.message)
    opts.emit?.(name, info)
    if (!opts.stderr) return
    const now = Date.now()
    const seen = last.get(name)
    if (seen && now - seen.at < interval && !ALWAYS.has(name)) {
      seen.suppressed++
      return
    }
    const more = seen && seen.suppressed > 0 ? ` (${seen.suppressed} similar since)` : ''
    last.set(name, { at: now, suppressed: 0 })
    write(`logbeam: ${info.message}${more}\n`)
  }
}
