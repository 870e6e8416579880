#!/usr/bin/env node
// What lowering the worker thread's scheduling priority does to the app (Linux): logbeam's worker calls
// lowerThreadPriority(N) (dist/worker-priority.js) before it starts, for N in --nice, against niceness 0 (the same
// probe, nothing changed) in the same run.
//
//   node bench/priority.js                   (after a build) every case, 3 runs each, medians; about 2 minutes
//   node bench/priority.js --runs 1 --quick  a quarter of the lines and a 1 s job: for trying things out
//   node bench/priority.js --nice 5,19       these nice values besides 0 (default 10,19)
//   node bench/priority.js --only burst      only the cases whose id contains one of these strings
//
// Two loads, each on two placements:
// - burst: 200,000 lines of ~100 B logged as fast as possible (a buffer that holds them all, as in run.js);
// - steady: 20,000 lines/s of ~100 B for 3 s while the main thread runs a CPU-bound job of its own (3,000 slices
//   of ~1 ms, a turn of the event loop between slices): an app that is busy when its logs are shipped.
// - 2 cores: the app and the endpoint share both cores of the machine (as in run.js);
// - 1 core: the app's process (main thread, worker, every other thread) pinned to CPU 0, the endpoint to CPU 1 (as
//   a 1-vCPU container and a remote service): there the worker and the main thread compete for one core.
// Rounds are interleaved (every case once, then again), so a noisy moment hits all cases alike. The tables give
// each figure with its ratio to niceness 0 of the same load and placement. Before the cases, priority-check.js
// shows which threads the call reaches.
// Results: bench/results/priority.json and bench/results/priority.md.
import { mkdirSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { aggregate } from './medians.js'
import { checkPriorities } from './priority-check.js'
import { runCase } from './processes.js'
import { num, ratio, renderMarkdown, renderText } from './render.js'

const RESULTS = join(fileURLToPath(new URL('.', import.meta.url)), 'results')
/** The burst's buffer holds every line, so that each is delivered and timed (as the size cases of run.js). */
const WHOLE_BURST = 1024 * 1024 * 1024
/** About 1 ms of arithmetic per slice of the steady load's job on the 2-core AMD EPYC the figures come from. */
const WORK_ITERATIONS = 500_000

const PLACEMENTS = [
  { name: '2 cores', placement: undefined },
  { name: '1 core', placement: { app: '0', endpoint: '1' } }
]

function loads (quick) {
  const k = quick ? 4 : 1
  const seconds = quick ? 1 : 3
  return [
    { name: 'burst', mode: 'burst', lineBytes: 100, count: 200_000 / k, logbeamOptions: { maxBufferSize: WHOLE_BURST } },
    {
      name: 'steady',
      mode: 'work',
      lineBytes: 100,
      rate: 20_000,
      count: 20_000 * seconds,
      workSlices: 1000 * seconds,
      workIterations: WORK_ITERATIONS
    }
  ]
}

function buildCases (values) {
  const nices = [0, ...values.nice.split(',').map(Number)]
  const bad = nices.find(n => !Number.isInteger(n) || n < 0 || n > 19)
  if (bad !== undefined) throw new Error(`--nice takes whole numbers from 1 to 19, got ${values.nice}`)
  const cases = []
  for (const load of loads(values.quick)) {
    for (const { name, placement } of PLACEMENTS) {
      for (const nice of nices) {
        cases.push({
          ...load,
          id: `${load.name} ${name} nice ${nice}`,
          load: load.name,
          placementName: name,
          placement,
          kind: 'logbeam',
          maxPutsPerSecond: 0,
          workerNice: nice
        })
      }
    }
  }
  const filters = values.only ? values.only.split(',').map(s => s.trim()).filter(Boolean) : []
  return filters.length ? cases.filter(c => filters.some(f => c.id.includes(f))) : cases
}

async function runRounds (cases, runs) {
  const raw = Object.fromEntries(cases.map(c => [c.id, []]))
  for (let round = 1; round <= runs; round++) {
    for (const c of cases) {
      const r = await runCase(c, undefined, c.placement)
      raw[c.id].push(r)
      const work = c.mode === 'work' ? `  job ${num(r.workMs)} ms` : `  logging ${num(r.logMs)} ms`
      process.stderr.write(`[${round}/${runs}] ${c.id.padEnd(24)}${work}  ELD p99 ${num(r.eldP99Ms, 2)} ms  ` +
        `e2e ${num(r.e2eMs)} ms  worker nice ${r.workerThreadNice}${r.priorityError ? `  (${r.priorityError})` : ''}\n`)
    }
  }
  return raw
}

/** "1,234 (0.95x)": a figure and its ratio to niceness 0's (none on niceness 0's own row). */
function withRatio (value, base, digits = 0, isBase = false) {
  const r = ratio(value, base)
  return isBase || r === null ? num(value, digits) : `${num(value, digits)} (${num(r, 2)}x)`
}

function burstTable (cases, med) {
  return {
    title: 'Burst: 200,000 lines of ~100 B as fast as possible (medians; ratio to niceness 0 of the same placement)',
    headers: ['placement', 'worker nice', 'logging ms', 'main CPU ns/line', 'hand-over ms', 'ELD p99 ms',
      'ELD max ms', 'end-to-end ms', 'worker CPU µs/line', 'delivered'],
    rows: cases.map(c => {
      const r = med[c.id]
      const b = med[`${c.load} ${c.placementName} nice 0`] ?? {}
      const base = c.workerNice === 0
      return [c.placementName, num(r.workerThreadNice), withRatio(r.logMs, b.logMs, 0, base),
        withRatio(r.mainCpuNs, b.mainCpuNs, 0, base), withRatio(r.handoffMs, b.handoffMs, 0, base),
        withRatio(r.eldP99Ms, b.eldP99Ms, 2, base), withRatio(r.eldMaxMs, b.eldMaxMs, 1, base),
        withRatio(r.e2eMs, b.e2eMs, 0, base), withRatio(r.workerCpuUs, b.workerCpuUs, 2, base),
        `${num(r.delivered)} of ${num(r.count)}`]
    }),
    note: 'logging = first to last logger.info call (the app\'s own time in the burst); main CPU = the main ' +
      'thread\'s CPU until it has handed every line to the worker, per line; hand-over = until then; ELD = ' +
      'event-loop delay while logging (1 ms resolution); end-to-end = until the endpoint holds every line.'
  }
}

function steadyTable (cases, med) {
  return {
    title: 'Steady: 20,000 lines/s of ~100 B for 3 s, main thread busy with a 3,000-slice job (medians; ratio to ' +
      'niceness 0 of the same placement)',
    headers: ['placement', 'worker nice', 'job ms', 'job main CPU ms', 'ELD p99 ms', 'ELD max ms',
      'delivery after last line ms', 'end-to-end ms', 'worker lag max KiB', 'worker CPU µs/line', 'delivered'],
    rows: cases.map(c => {
      const r = med[c.id]
      const b = med[`${c.load} ${c.placementName} nice 0`] ?? {}
      const base = c.workerNice === 0
      return [c.placementName, num(r.workerThreadNice), withRatio(r.workMs, b.workMs, 0, base),
        withRatio(r.workCpuMs, b.workCpuMs, 0, base), withRatio(r.eldP99Ms, b.eldP99Ms, 2, base),
        withRatio(r.eldMaxMs, b.eldMaxMs, 1, base), withRatio(r.drainMs, b.drainMs, 0, base),
        withRatio(r.e2eMs, b.e2eMs, 0, base), num(r.maxLagKiB), withRatio(r.workerCpuUs, b.workerCpuUs, 2, base),
        `${num(r.delivered)} of ${num(r.count)}`]
    }),
    note: 'job = wall time from the first measured line until the job\'s last slice (the app\'s own work); job main ' +
      'CPU = the main thread\'s CPU over that time; ELD = event-loop delay while logging and working (the slices ' +
      'alone make it ~1 ms); delivery after last line = from the last logger.info call until the endpoint holds ' +
      'every line; end-to-end = from the first line; worker lag = bytes logged but not yet read by the worker.'
  }
}

/** Per case: what the case's process read of its threads' niceness (the worst run: any thread it should not reach). */
function threadsTable (cases, raw) {
  return {
    title: 'Threads of the case processes (every run)',
    headers: ['case', 'main nice', 'main os.getPriority(0)', 'worker nice', 'worker os.getPriority(0)',
      'other threads not at main\'s nice', 'error'],
    rows: cases.map(c => {
      const runs = raw[c.id]
      const set = key => [...new Set(runs.map(r => r[key]))].join('/')
      return [c.id, set('mainNice'), set('mainGetPriority'), set('workerThreadNice'), set('workerGetPriority'),
        Math.max(...runs.map(r => r.otherThreadsAtOtherNice)), set('priorityError') || '—']
    })
  }
}

function options () {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      quick: { type: 'boolean', default: false },
      nice: { type: 'string', default: '10,19' },
      only: { type: 'string' },
      help: { type: 'boolean', short: 'h' }
    },
    strict: true
  })
  return values
}

async function main () {
  const values = options()
  if (values.help) {
    process.stdout.write('node bench/priority.js [--runs N] [--quick] [--nice 10,19] [--only burst|steady|1 core]\n')
    return
  }
  if (process.platform !== 'linux') throw new Error('per-thread priorities and taskset are Linux only')
  const runs = Number(values.runs)
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number >= 1, got ${values.runs}`)
  const cases = buildCases(values)
  if (cases.length === 0) throw new Error(`--only ${values.only} matches no case`)

  const check = checkPriorities()
  process.stdout.write(renderText(check.table) + '\n')

  const loadBefore = loadavg()
  const began = Date.now()
  process.stdout.write(`priority benchmark: ${cases.length} cases x ${runs} runs${values.quick ? ' (quick)' : ''}; ` +
    `${availableParallelism()} cores, ${cpus()[0]?.model ?? '?'}, node ${process.version}\n`)
  const raw = await runRounds(cases, runs)
  const seconds = Math.round((Date.now() - began) / 1000)
  const med = Object.fromEntries(cases.map(c => [c.id, aggregate(raw[c.id])]))
  const header = `node ${process.version}; nproc ${availableParallelism()}; load average before ` +
    `${loadBefore.map(x => x.toFixed(2)).join(' ')}, after ${loadavg().map(x => x.toFixed(2)).join(' ')}; ` +
    `${runs} run(s) per case, medians; ${seconds} s${values.quick ? '; QUICK' : ''}`
  const tables = [
    ...(cases.some(c => c.load === 'burst') ? [burstTable(cases.filter(c => c.load === 'burst'), med)] : []),
    ...(cases.some(c => c.load === 'steady') ? [steadyTable(cases.filter(c => c.load === 'steady'), med)] : []),
    threadsTable(cases, raw)
  ]
  process.stdout.write('\n' + header + '\n\n' + tables.map(renderText).join('\n'))

  mkdirSync(RESULTS, { recursive: true })
  const plain = cases.map(({ placement, ...c }) => ({ ...c, placement: placement ?? null }))
  writeFileSync(join(RESULTS, 'priority.json'),
    JSON.stringify({ header, check: check.rows, cases: plain, medians: med, runs: raw }, null, 2) + '\n')
  writeFileSync(join(RESULTS, 'priority.md'), ['# logbeam benchmark: worker thread priority', '', `${header}.`, '',
    ...[check.table, ...tables].map(renderMarkdown)].join('\n'))
  process.stdout.write('results: bench/results/priority.json, bench/results/priority.md\n')
}

main().catch(err => {
  process.stderr.write(`bench/priority: ${err?.stack ?? err}\n`)
  process.exit(1)
})
