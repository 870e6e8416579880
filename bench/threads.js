// CPU time per thread of this process, from the kernel's scheduler accounting (Linux only; NaN elsewhere):
// process.cpuUsage() sums every thread, and the benchmark needs the main thread and the worker apart.
import { readdirSync, readFileSync } from 'node:fs'

const pause = new Int32Array(new SharedArrayBuffer(4))

/**
 * CPU time (ns) a thread of this process has run, from the scheduler's own accounting. The kernel
 * brings a running thread's figure up to date only at a scheduler tick (4 ms here) or a context
 * switch, so the calling thread first sleeps 0.2 ms (off the clock) to make its own figure exact;
 * the worker's is read while it is idle (before the run, after completion), so it is exact too.
 */
export function threadCpuNs (tid) {
  if (tid === String(process.pid) || tid === process.pid) Atomics.wait(pause, 0, 0, 0.2)
  try {
    return Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0])
  } catch {
    return NaN
  }
}

/** The ids of this process's threads (as strings). */
export function threadIds () {
  try {
    return readdirSync('/proc/self/task')
  } catch {
    return []
  }
}

/**
 * The thread not in `before` that has run the most: after the warm-up, that is the transport's worker (the
 * other threads a transport adds, if any, have barely run). undefined when there is none.
 */
export function busiestNewThread (before) {
  let most = -1
  let busiest
  for (const tid of threadIds()) {
    if (before.has(tid)) continue
    const ns = threadCpuNs(tid)
    if (ns > most) {
      most = ns
      busiest = tid
    }
  }
  return busiest
}

/**
 * A thread's niceness (-20..19) from /proc/self/task/<tid>/stat (field 19), NaN when unreadable. The kernel keeps
 * one per thread: this shows which threads a setpriority() call reached.
 */
export function threadNice (tid) {
  try {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')
    // Field 2, the thread's name, is in parentheses and may hold spaces: count the fields after it (state is 3).
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19 - 3])
  } catch {
    return NaN
  }
}
