// Reports of lines CloudWatch would extract no metric from, at most one per interval: an app whose every request
// line carries a bad `_aws` block must not cost a message to the main thread per line. The first report goes out at
// once; later ones within the interval are counted and go out, as one, when it ends.
import { EVENTS, plural, type Reporter } from '../diagnostics.js'

const INTERVAL_MS = 1000

export class ProblemReports {
  readonly #report: Reporter
  readonly #interval: number
  readonly #clock: () => number
  #quietUntil = -Infinity
  #held = 0
  #last = ''
  #timer: NodeJS.Timeout | undefined

  constructor (report: Reporter, interval = INTERVAL_MS, clock: () => number = Date.now) {
    this.#report = report
    this.#interval = interval
    this.#clock = clock
  }

  add (reason: string): void {
    const now = this.#clock()
    if (this.#held === 0 && now >= this.#quietUntil) {
      this.#send(reason, 1, now)
      return
    }
    this.#held++
    this.#last = reason
    if (this.#timer === undefined) {
      this.#timer = setTimeout(() => this.flush(), Math.max(0, this.#quietUntil - now))
      // Never the reason a process stays alive.
      this.#timer.unref()
    }
  }

  /** Sends what is held back now. */
  flush (): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    if (this.#held === 0) return
    const count = this.#held
    this.#held = 0
    this.#send(this.#last, count, this.#clock())
  }

  #send (reason: string, count: number, now: number): void {
    this.#quietUntil = now + this.#interval
    this.#report(EVENTS.metricsInvalid, {
      message: `${plural(count, 'line')} with metrics CloudWatch will not extract: ${reason}`,
      reason,
      count
    })
  }
}
