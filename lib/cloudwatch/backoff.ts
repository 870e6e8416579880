/**
 * Exponential backoff with full jitter: a random delay between 0 and base * 2^attempt, capped, so
 * that many processes throttled at once do not retry in lockstep.
 */
export function backoffDelay (attempt: number, base: number, cap: number, random: () => number = Math.random): number {
  const ceiling = Math.min(cap, base * 2 ** Math.min(attempt, 30))
  return Math.floor(random() * ceiling)
}

/** Resolves after `ms`, or at once when `signal` aborts. The timer never keeps the process alive. */
export function sleep (ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal?.aborted || ms <= 0) return resolve()
    const done = (): void => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    timer.unref()
    signal?.addEventListener('abort', done, { once: true })
  })
}
