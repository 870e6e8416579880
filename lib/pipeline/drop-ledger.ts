import type { Batch } from './batch.js'
import { holdsMessage } from './encoded-batch.js'
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

  /** Records a dropped batch (oldest first). */
  drop (batch: Batch, reason: string): void {
    let lines = batch.count
    let carried = 0
    for (const [line, counted] of this.#summaries) {
      if (!holdsMessage(batch, line)) continue
      this.#summaries.delete(line)
      lines--
      carried += counted
    }
    this.#record(lines, carried, batch.first, batch.last, reason)
  }

  /** Records one dropped line (the newest). */
  dropLine (timestamp: number, line: string, reason: string): void {
    const counted = this.#summaries.get(line)
    if (counted !== undefined) this.#summaries.delete(line)
    this.#record(counted === undefined ? 1 : 0, counted ?? 0, timestamp, timestamp, reason)
  }

  #record (lines: number, carried: number, from: number, to: number, reason: string): void {
    this.total += lines
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

  /** This batch reached CloudWatch: summaries in it no longer need carrying. */
  delivered (batch: Batch): void {
    for (const line of this.#summaries.keys()) if (holdsMessage(batch, line)) this.#summaries.delete(line)
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
