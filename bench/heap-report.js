// For the memory figures of the 1,000,000-line case: every `everyMs` the worker posts its own V8
// heap figures to the main thread (process.memoryUsage() in a worker reports the worker's heap;
// on Node 20 the main thread cannot read a worker's heap any other way).
import { getHeapSpaceStatistics } from 'node:v8'
import { parentPort } from 'node:worker_threads'

export function reportHeap (everyMs) {
  if (!parentPort || !(everyMs > 0)) return
  const timer = setInterval(() => {
    const { heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage()
    const spaces = {}
    for (const space of getHeapSpaceStatistics()) spaces[space.space_name] = space.space_used_size
    parentPort.postMessage({ code: 'EVENT', name: 'benchHeap', args: [{ heapTotal, heapUsed, external, arrayBuffers, spaces }] })
  }, everyMs)
  timer.unref()
}
