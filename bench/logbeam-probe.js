// logbeam exactly as `target: 'logbeam'` loads it (the package's own entry, dist/), with one
// addition used only by the 1,000,000-line case: the worker posts its heap figures every
// `benchHeapEveryMs` (see heap-report.js), so that memory can be split between the threads.
import logbeam from 'logbeam'
import { reportHeap } from './heap-report.js'

export default async function logbeamProbe (options) {
  const { benchHeapEveryMs, ...rest } = options
  const stream = await logbeam(rest)
  reportHeap(benchHeapEveryMs)
  return stream
}
