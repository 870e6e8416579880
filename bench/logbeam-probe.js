// logbeam exactly as `target: 'logbeam'` loads it (the package's own entry, dist/), with two additions, each used
// only when its option is given:
// - `benchHeapEveryMs` (the 1,000,000-line case): the worker posts its heap figures every so many ms (see
//   heap-report.js), so that memory can be split between the threads;
// - `benchNice` (bench/priority.js): before logbeam starts, the worker lowers its own thread's scheduling priority
//   to this niceness with lowerThreadPriority (dist/worker-priority.js) and posts what happened as a `benchPriority`
//   event: the result, and os.getPriority(0) as the worker sees it.
import { getPriority } from 'node:os'
import { parentPort } from 'node:worker_threads'
import logbeam from 'logbeam'
import { lowerThreadPriority } from '../dist/worker-priority.js'
import { reportHeap } from './heap-report.js'

export default async function logbeamProbe (options) {
  const { benchHeapEveryMs, benchNice, ...rest } = options
  if (benchNice !== undefined) {
    const result = lowerThreadPriority(benchNice)
    parentPort?.postMessage({ code: 'EVENT', name: 'benchPriority', args: [{ ...result, getPriority: getPriority(0) }] })
  }
  const stream = await logbeam(rest)
  reportHeap(benchHeapEveryMs)
  return stream
}
