// One AbortController and one timer per call, cleared when the call ends.
//
// AbortSignal.timeout() and AbortSignal.any() are not used: a composite signal can be garbage-collected before it
// fires (reproduced on Node 20 with a hung call and a forced GC; regressions reported on 24.16+ and 26.x), and then
// a hung call holds its batch forever. A timer held here, with the controller it aborts, cannot be collected early.

/** Why a call's signal aborted. */
export type AbortReason = 'timeout' | 'closed'

export interface CallDeadline {
  /** Pass to the SDK as `abortSignal`. */
  signal: AbortSignal
  /** Set once the signal has aborted. */
  reason: () => AbortReason | undefined
  /** Rejects when the signal aborts: a call that ignores its signal (a stalled body) is still left behind. */
  aborted: Promise<never>
  /** Clears the timer and the listener; call in `finally`. */
  clear: () => void
}

/** A signal that aborts after `ms`, or when `outer` aborts, whichever comes first. */
export function callDeadline (ms: number, outer?: AbortSignal): CallDeadline {
  const controller = new AbortController()
  let reason: AbortReason | undefined
  let fail!: (err: Error) => void
  const aborted = new Promise<never>((_resolve, reject) => { fail = reject })
  // Nobody may be listening when the call settles first.
  aborted.catch(() => {})
  const abort = (why: AbortReason): void => {
    if (reason !== undefined) return
    reason = why
    const err = Object.assign(new Error(why === 'timeout' ? `no answer within ${ms} ms` : 'closed'), {
      name: why === 'timeout' ? 'TimeoutError' : 'AbortError'
    })
    controller.abort(err)
    fail(err)
  }
  const onOuter = (): void => abort('closed')
  const timer = setTimeout(() => abort('timeout'), ms)
  // The caller decides what keeps a process alive; a pending call alone never does.
  timer.unref()
  if (outer?.aborted === true) abort('closed')
  else outer?.addEventListener('abort', onOuter, { once: true })
  return {
    signal: controller.signal,
    reason: () => reason,
    aborted,
    clear: () => {
      clearTimeout(timer)
      outer?.removeEventListener('abort', onOuter)
    }
  }
}

/**
 * Runs one call with its own deadline. The race leaves behind a call that ignores its signal (a body that stalls
 * after the headers): the caller moves on, and the SDK destroys the connection of an aborted request.
 */
export async function withDeadline<T> (ms: number, outer: AbortSignal,
  run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const deadline = callDeadline(ms, outer)
  try {
    return await Promise.race([run(deadline.signal), deadline.aborted])
  } finally {
    deadline.clear()
  }
}
