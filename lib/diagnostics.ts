import { writeSync } from 'node:fs'
import { redact } from './cloudwatch/errors.js'

import { EVENTS, type EventInfo, type EventName, type EventPayloads } from './events.js'

// The event catalogue (names, payload types, README words) is events.ts; this file reports them.
export { EVENTS, type EventInfo, type EventName, type EventPayloads } from './events.js'

/** Reports an event; the compiler holds `info` to the payload type of `name`. */
export type Reporter = <N extends EventName>(name: N, info: EventPayloads[N]) => void

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

/** A reporter that prints to stderr; flush() prints what its rate limit still holds back. */
export interface StderrReporter extends Reporter {
  /** One line per event name with reports held back since its last line: call it at close, so counts add up. */
  flush: () => void
}

/**
 * Fields that count log events: summed over the reports held back, since each report stands for that many (eight
 * adjusted timestamps reported by four batches are eight, not "4 similar").
 */
const SUMMED = ['count', 'split', 'truncated'] as const

/** What was held back for one event name since its last printed line. */
interface Held { at: number, reports: number, sums: Map<string, number>, last: string }

/** "1 event", "2 events": counts in messages. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`

function heldBack (held: Held): string {
  const sums = [...held.sums].map(([field, n]) => field === 'count' ? plural(n, 'event') : `${n} ${field}`)
  const covering = sums.length > 0 ? `, covering ${sums.join(', ')}` : ''
  return `${plural(held.reports, 'similar report')} held back since the last such line${covering}`
}

export function createReporter (opts: ReporterOptions): StderrReporter {
  const interval = opts.stderrInterval ?? 10_000
  const write = opts.write ?? writeStderr
  const last = new Map<EventName, Held>()
  const report = (name: EventName, info: EventInfo): void => {
    info.message = redact(info.message)
    opts.emit?.(name, info)
    if (!opts.stderr) return
    const now = Date.now()
    const held = last.get(name)
    if (held && now - held.at < interval && !ALWAYS.has(name)) {
      held.reports++
      for (const field of SUMMED) {
        const n = info[field]
        if (typeof n === 'number') held.sums.set(field, (held.sums.get(field) ?? 0) + n)
      }
      held.last = info.message
      return
    }
    const more = held && held.reports > 0 ? ` (${heldBack(held)})` : ''
    last.set(name, { at: now, reports: 0, sums: new Map(), last: '' })
    write(`logbeam: ${info.message}${more}\n`)
  }
  const flush = (): void => {
    if (!opts.stderr) return
    for (const [name, held] of last) {
      if (held.reports === 0) continue
      write(`logbeam: ${name}: ${heldBack(held)}; the last: ${held.last}\n`)
      held.reports = 0
      held.sums.clear()
    }
  }
  return Object.assign(report, { flush })
}
