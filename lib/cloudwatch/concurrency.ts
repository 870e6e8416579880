// How many PutLogEvents calls may be in flight: additive increase, multiplicative decrease.
//
// CloudWatch throttles per account and region (the old 5 calls/s per stream quota is gone since 2023), so no
// process can know its share in advance. Each one grows its window while calls succeed and halves it when the
// service says it is overloaded; processes sharing an account then back off together, like TCP senders sharing
// a link. Pure: the caller says what happened.

/**
 * Never fewer than two calls in flight (when allowed): one connection that hangs until its timeout must not stop the
 * stream, whatever the window learnt from throttling.
 */
const FLOOR = 2

/** A window of calls in flight that adapts between FLOOR and `max`. */
export class Concurrency {
  readonly #max: number
  readonly #random: () => number
  #window: number
  /** Until the first sign of overload the window doubles each round (slow start), then it grows by one. */
  #slowStart = true
  /** Calls that started before the last decrease: their failures are the same congestion, not a new one. */
  #epoch = 0

  constructor (max: number, random: () => number = Math.random) {
    this.#max = max
    this.#random = random
    this.#window = Math.min(max, FLOOR)
  }

  /** Calls allowed in flight now. */
  get limit (): number { return Math.max(1, Math.floor(this.#window)) }

  #floor (): number { return Math.min(this.#max, FLOOR) }

  /** A token to hand back with the outcome of a call started now. */
  start (): number { return this.#epoch }

  /** A call succeeded: grow by one call per window's worth of successes (doubling while in slow start). */
  succeeded (): void {
    const step = this.#slowStart ? 1 : 1 / this.limit
    this.#window = Math.min(this.#max, this.#window + step)
  }

  /**
   * The service throttled or failed (5xx). Halve once per round: the other calls of the
   * same round report the same overload. The jitter keeps processes that saw the same throttle from moving in step.
   */
  overloaded (startedIn: number): void {
    this.#slowStart = false
    if (startedIn !== this.#epoch) return
    this.#epoch++
    this.#window = Math.max(this.#floor(), this.#window * (0.5 + 0.1 * this.#random()))
  }
}
