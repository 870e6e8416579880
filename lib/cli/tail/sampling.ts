// Live Tail's sampling notices. Above 500 matching events in a second the service sends 500 and marks the update
// `sampled`; it says neither how many matched nor which were left out. The notices say what is known, at most one
// every NOTICE_INTERVAL_MS however many updates were sampled. Pure: the clock is passed in.
const NOTICE_INTERVAL_MS = 10_000

export class SampleNotices {
  readonly #now: () => number
  #updates = 0
  #shown = 0
  #lastAt = -Infinity

  constructor (now: () => number) {
    this.#now = now
  }

  /** An update came marked sampled, with `shown` events. */
  sampled (shown: number): void {
    this.#updates++
    this.#shown += shown
  }

  /** The notice to print now, if sampled updates came since the last one and it is time. */
  due (): string | undefined {
    const now = this.#now()
    if (this.#updates === 0 || now - this.#lastAt < NOTICE_INTERVAL_MS) return undefined
    const text = `CloudWatch sampled ${this.#updates === 1 ? 'an update' : `${this.#updates} updates`}: more events ` +
      `matched than Live Tail sends (500 a second); ${this.#shown} of them shown. Narrow --filter, or poll ` +
      '(--follow without --live) to read every event'
    this.#updates = 0
    this.#shown = 0
    this.#lastAt = now
    return text
  }
}
