import type { LogEvent } from './batch.js'
import { EVENTS, plural, type Reporter } from '../diagnostics.js'

/** Lines dropped since the last summary. */
export interface Drops { count: number, from: number, to: number, reason: string }

/**
 * Counts what the memory bound dropped and writes the summary line that goes into the stream once
 * delivery works again ("N events dropped between T1 and T2 because ..."). A summary line that is
 * itself dropped before it is delivered passes its count on to the next one, so the summaries in
 * a stream always add up to what is missing from it.
 */
export class DropLedger {
  /** Log lines dropped in all (summary lines not counted). */
  total = 0
  readonly #report: Reporter
  readonly #summaries = new Map<string, number>()
  #open: Drops | undefined

  constructor (report: Reporter) {
    this.#report = report
  }

  /** Drops since the last summary, if any. */
  get open (): Drops | undefined { return this.#open }

  /** Records dropped events (oldest first). */
  drop (events: readonly LogEvent[], reason: string): void {
    let lines = events.length
    let carried = 0
    if (this.#summaries.size > 0) {
      for (const event of events) {
        const counted = this.#summaries.get(event.message)
        if (counted === undefined) continue
        this.#summaries.delete(event.message)
        lines--
        carried += counted
      }
    }
    this.total += lines
    const from = events[0]!.timestamp
    const to = events[events.length - 1]!.timestamp
    const count = lines + carried
    if (!this.#open) {
      this.#open = { count, from, to, reason }
      this.#report(EVENTS.dropped, { message: `dropping events: ${reason}`, count, from, to, reason })
      return
    }
    this.#open.count += count
    this.#open.from = Math.min(this.#open.from, from)
    this.#open.to = Math.max(this.#open.to, to)
  }

  /** These events reached CloudWatch: summaries among them no longer need carrying. */
  delivered (events: readonly LogEvent[]): void {
    if (this.#summaries.size > 0) for (const event of events) this.#summaries.delete(event.message)
  }

  /** Closes the open period: reports it and returns the line to ship, or undefined if nothing was dropped. */
  summary (now: number): string | undefined {
    const d = this.#open
    if (!d) return undefined
    this.#open = undefined
    const message = `${plural(d.count, 'event')} dropped between ${new Date(d.from).toISOString()} ` +
      `and ${new Date(d.to).toISOString()} because ${d.reason}`
    this.#report(EVENTS.dropped, { message, ...d })
    const line = JSON.stringify({
      level: 40,
      time: now,
      msg: `logbeam: ${message}`,
      logbeam: { dropped: d.count, from: d.from, to: d.to, reason: d.reason }
    })
    this.#summaries.set(line, d.count)
    return line
  }
}
