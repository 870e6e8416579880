#!/usr/bin/env node
// Which threads a worker's lowerThreadPriority(19) reaches (Linux). Each way of starting runs in a fresh process,
// since libuv's thread pool is started once per process, by the first thread that uses it, and its threads take
// that thread's niceness:
//
//   app-first      the main thread uses the pool (fs) before the worker starts; the worker lowers itself
//   worker-lowered the worker lowers itself, then is the first to use the pool (as logbeam's DNS lookup would be)
//   worker-first   the worker uses the pool first, then lowers itself
//
// Prints, per way: the niceness of the main thread and of the worker (from /proc/self/task/<tid>/stat, and
// os.getPriority(0) as each thread sees it), and how many other threads ended at the worker's niceness.
//   node bench/priority-check.js [--json]      (after a build: it uses dist/worker-priority.js)
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { getPriority } from 'node:os'
import { fileURLToPath } from 'node:url'
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads'
import { lowerThreadPriority } from '../dist/worker-priority.js'
import { renderText } from './render.js'
import { threadIds, threadNice } from './threads.js'

const SELF = fileURLToPath(import.meta.url)
const NICE = 19
export const WAYS = ['app-first', 'worker-lowered', 'worker-first']

/** Any call libuv runs on its pool starts it (all its threads at once). */
const usePool = () => readFile('/proc/self/stat')

async function inWorker () {
  if (workerData.way === 'worker-first') await usePool()
  const result = lowerThreadPriority(NICE)
  if (workerData.way !== 'worker-first') await usePool()
  // Read synchronously: an async read resolves /proc/thread-self in the pool thread that does it.
  const tid = readFileSync('/proc/thread-self/stat', 'utf8').split(' ')[0]
  // Stays alive (a listener on the port) until terminated, so that the main thread can read its niceness.
  parentPort.on('message', () => {})
  parentPort.postMessage({ result, tid, getPriority: getPriority(0) })
}

/** One way, in this process: start the worker, wait for its report, read every thread's niceness. */
async function inProcess (way) {
  if (way === 'app-first') await usePool()
  const worker = new Worker(SELF, { workerData: { way } })
  const report = await new Promise((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
  })
  const main = String(process.pid)
  const others = threadIds().filter(tid => tid !== main && tid !== report.tid)
  const out = {
    way,
    lowered: report.result.ok ? `${report.result.before} -> ${report.result.nice}` : report.result.reason,
    mainNice: threadNice(main),
    mainGetPriority: getPriority(0),
    workerNice: threadNice(report.tid),
    workerGetPriority: report.getPriority,
    otherThreads: others.length,
    othersAtWorkerNice: others.filter(tid => threadNice(tid) === NICE).length
  }
  await worker.terminate()
  return out
}

/** Every way, each in a child process of its own; returns { rows, table }. */
export function checkPriorities () {
  const rows = WAYS.map(way => {
    const child = spawnSync(process.execPath, [SELF, '--way', way], { encoding: 'utf8' })
    if (child.status !== 0) throw new Error(`priority-check ${way} failed: ${child.stderr}`)
    return JSON.parse(child.stdout.trim().split('\n').pop())
  })
  const table = {
    title: `Which threads lowerThreadPriority(${NICE}) in a worker reaches (niceness from /proc/self/task/<tid>/stat)`,
    headers: ['libuv pool started', 'worker', 'main nice', 'main os.getPriority(0)', 'worker nice',
      'worker os.getPriority(0)', 'other threads', `others at nice ${NICE}`],
    rows: rows.map(r => [r.way, r.lowered, r.mainNice, r.mainGetPriority, r.workerNice, r.workerGetPriority,
      r.otherThreads, r.othersAtWorkerNice]),
    note: 'app-first: by the main thread before the worker; worker-lowered: first used by the worker after it ' +
      'lowered itself; worker-first: first used by the worker before it lowered itself. Other threads: V8\'s ' +
      'platform workers, libuv\'s pool, the inspector\'s signal thread.'
  }
  return { rows, table }
}

if (!isMainThread) {
  await inWorker()
} else if (process.argv[1] === SELF && process.argv[2] === '--way') {
  process.stdout.write(JSON.stringify(await inProcess(process.argv[3])) + '\n')
} else if (process.argv[1] === SELF) {
  const { rows, table } = checkPriorities()
  process.stdout.write(process.argv.includes('--json') ? JSON.stringify(rows, null, 2) + '\n' : renderText(table))
}
