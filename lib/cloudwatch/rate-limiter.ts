import { sleep } from './backoff.js'

/**
 * Spaces calls so that at most `perSecond` start in any second (0: no limit). Throttling is per
 * account, so a gentle default protects every other process that shares the account.
 */
export class RateLimiter {
  readonly #interval: number
  #next = 0

  constructor (perSecond: number) {
    this.#interval = perSecond > 0 ? 1000 / perSecond : 0
  }

  /** Waits for the next free slot (or for `signal` to abort). */
  async take (signal?: AbortSignal): Promise<void> {
    if (this.#interval === 0) return
    const now = Date.now()
    // Allow a burst of up to one second's worth after an idle period, then keep the pace.
    const slot = Math.max(this.#next, now - 1000 + this.#interval)
    this.#next = slot + this.#interval
    if (slot > now) await sleep(slot - now, signal)
  }
}
