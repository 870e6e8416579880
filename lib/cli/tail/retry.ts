import { setTimeout as delay } from 'node:timers/promises'
import { backoffDelay } from '../../cloudwatch/backoff.js'
import { withDeadline } from '../../cloudwatch/deadline.js'
import { describe } from '../../cloudwatch/errors.js'
import { TailError, explain, isRetryable, type CallContext } from './errors.js'

/** What the readers are told by the command around them. */
export interface Control {
  /** True once SIGINT or SIGTERM asked to stop: the page being read is printed, then reading ends. */
  stopped: () => boolean
  /** Aborts when asked to stop; ends the waits between polls and before retries (never a call under way). */
  signal: AbortSignal
  /** A line for stderr (dropped under --quiet). */
  notice: (text: string) => void
  now: () => number
}

/** Backoff after throttling or a failed call: 0.5 s doubling to 20 s, full jitter (several tails share a quota). */
export const RETRY = { baseMs: 500, capMs: 20_000, attemptsBeforeFirstAnswer: 5, callTimeoutMs: 30_000 } as const

/** A signal that never aborts: a call under way is finished even after SIGINT, so its page is printed. */
const NEVER = new AbortController().signal

/**
 * One call, given up after RETRY.callTimeoutMs and retried with backoff while it fails for reasons that pass
 * (throttling, 5xx, no answer). Until an endpoint has answered once it is tried RETRY.attemptsBeforeFirstAnswer
 * times (a wrong --endpoint should fail, not hang); after that, `persistent` reading (--follow) retries for as long
 * as it takes. Resolves undefined when asked to stop while waiting to retry; throws TailError for the rest.
 */
export async function callWithRetries<T> (call: (signal: AbortSignal) => Promise<T>, context: CallContext,
  control: Control, persistent: { answered: boolean, follow: boolean }): Promise<T | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await withDeadline(RETRY.callTimeoutMs, NEVER, call)
      persistent.answered = true
      return result
    } catch (err) {
      const limited = !(persistent.answered && persistent.follow)
      if (!isRetryable(err) || (limited && attempt + 1 >= RETRY.attemptsBeforeFirstAnswer)) {
        throw new TailError(explain(err, context))
      }
      const wait = Math.max(100, backoffDelay(attempt, RETRY.baseMs, RETRY.capMs))
      const { code, message } = describe(err)
      control.notice(`${context.operation}: ${code}: ${message}; trying again in ${(wait / 1000).toFixed(1)} s`)
      await pause(wait, control.signal)
      if (control.stopped()) return undefined
    }
  }
}

/**
 * Waits `ms`, or less when `signal` aborts. Unlike backoff.ts's sleep (made for the worker, where a wait must not
 * hold the exit), this timer keeps the process alive: between two polls it is all a --follow has to wait for.
 */
export async function pause (ms: number, signal: AbortSignal): Promise<void> {
  await delay(ms, undefined, { signal }).catch(() => {})
}
