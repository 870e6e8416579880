import { getPriority, setPriority } from 'node:os'

/** What `lowerThreadPriority` did: the thread's niceness afterwards, or why it was left as it was. */
export type ThreadPriorityResult =
  | { ok: true, nice: number, before: number }
  | { ok: false, reason: 'unsupported' | 'invalid' | 'would-raise' | 'failed', message: string, code?: string }

/** Linux niceness: -20 (first served) to 19 (served last). */
const NICE_MIN = -20
const NICE_MAX = 19

/**
 * Sets the niceness of the calling thread to `nice` (0 is the default; 19 the lowest priority), for a
 * worker thread that should give way to the app's main thread when both want a core. Returns what happened
 * instead of throwing: a lower priority is an optimisation, and no failure of it should stop the transport.
 *
 * Linux only. `os.setPriority(0, n)` is setpriority(PRIO_PROCESS, 0, n), and Linux keeps a niceness per
 * thread and applies that call to the calling thread alone. macOS, the BSDs and Windows apply it to the
 * whole process, which would slow the main thread too, so there nothing is done ('unsupported').
 *
 * Only lowers: a value below the current niceness is refused ('would-raise') without trying, since an
 * unprivileged process gets EACCES and a privileged one would raise the thread above the app.
 *
 * Threads the calling thread starts afterwards inherit its niceness. libuv's thread pool (fs, dns.lookup,
 * crypto, zlib) is started by the first thread of the process that uses it, so call this once the pool runs,
 * or the app's own fs and DNS work would run at the lowered priority too.
 */
export function lowerThreadPriority (nice: number): ThreadPriorityResult {
  if (process.platform !== 'linux') {
    return { ok: false, reason: 'unsupported', message: `${process.platform} sets priorities per process, not per thread` }
  }
  if (!Number.isInteger(nice) || nice < NICE_MIN || nice > NICE_MAX) {
    return { ok: false, reason: 'invalid', message: `niceness must be a whole number from ${NICE_MIN} to ${NICE_MAX}, got ${nice}` }
  }
  try {
    const before = getPriority(0)
    if (nice < before) {
      return { ok: false, reason: 'would-raise', message: `the thread's niceness is ${before}; ${nice} would raise it` }
    }
    if (nice > before) setPriority(0, nice)
    return { ok: true, nice: getPriority(0), before }
  } catch (err) {
    // Node throws a SystemError whose errno name (EACCES, EPERM, ESRCH) is in `info.code`.
    const e = err as { code?: string, info?: { code?: string }, message?: string }
    const code = e.info?.code ?? e.code
    return { ok: false, reason: 'failed', message: e.message ?? String(err), ...(code ? { code } : {}) }
  }
}
