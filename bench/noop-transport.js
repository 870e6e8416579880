// The floor for any worker transport: pino's worker thread, thread-stream's shared buffer and
// pino-abstract-transport's line splitting (the usual way to build a worker transport), in its
// cheapest setting (raw lines, no JSON.parse, no metadata), and nothing else. Each line is
// counted and dropped. With `parseJson`, each line is JSON-parsed first: what any transport that reads its records
// pays at the least.
//
// When the count reaches `expect`, the worker tells the main thread when that happened (epoch ms
// with sub-millisecond precision), so the benchmark measures how long the worker took to consume
// every line, not merely how long the main thread took to hand them over.
import { performance } from 'node:perf_hooks'
import { parentPort } from 'node:worker_threads'
import build from 'pino-abstract-transport'
import { reportHeap } from './heap-report.js'

const KEEP_LINE = {}
const keepLine = () => KEEP_LINE

export default async function noopTransport (options = {}) {
  const expect = Number(options.expect ?? 0)
  reportHeap(options.benchHeapEveryMs)
  let lines = 0
  return build(source => {
    source.on('data', () => {
      if (++lines === expect) {
        const at = performance.timeOrigin + performance.now()
        parentPort?.postMessage({ code: 'EVENT', name: 'benchConsumed', args: [{ lines, at }] })
      }
    })
  }, { parse: 'lines', parseLine: options.parseJson === true ? JSON.parse : keepLine, metadata: false })
}
