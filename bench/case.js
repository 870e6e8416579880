// Runs one benchmark case in this process and prints one JSON line with its figures on stdout.
// Started by bench/run.js:  node --expose-gc bench/case.js '<case as JSON>'
//
// The case object: { id, kind: 'devnull' | 'noop' | 'logbeam', lineBytes, count,
//   mode: 'burst' | 'paced' | 'work', rate (paced and work: lines/s), maxPutsPerSecond (logbeam),
//   heapProbe (boolean), workerNice (logbeam: the worker lowers its thread to this niceness first, optional),
//   workSlices, workIterations (work: the app's own job), logbeamOptions (more logbeam options, optional),
//   endpoint: { url, control } }
//
// Mode 'work' is an app busy with its own CPU-bound job on the main thread while it logs at a steady rate: a fixed
// job (workSlices slices of workIterations steps of arithmetic, ~1 ms each), run slice after slice with a turn
// of the event loop between them, and the lines due at `rate` logged before each slice. It adds how long the job
// took (wall clock) and the main thread's CPU until then.
//
// What is measured, between t0 (the first measured log call) and the moments named below:
// - main thread CPU: this thread's own run time (Linux /proc/self/task/<tid>/schedstat, in ns), from
//   t0 until the main thread has handed every line over (thread-stream holds nothing back any
//   more; for /dev/null, until sonic-boom has written everything), divided by the lines logged.
//   Also the event loop's busy time over the same span (performance.eventLoopUtilization).
// - time in the logging calls themselves (hrtime around each chunk of calls).
// - event-loop delay (monitorEventLoopDelay, 1 ms resolution) while logging.
// - end-to-end: until the worker has consumed the last line (no-op), until the endpoint holds
//   every line (logbeam; the endpoint's own clock, same machine), until sonic-boom is done (/dev/null).
// - CPU per event: the whole process (process.cpuUsage, user + system, every thread: main, worker,
//   GC helpers, libuv pool) until completion; and the worker thread alone (its schedstat).
// - peak RSS: process.memoryUsage.rss() every 50 ms until completion (and the kernel's maxrss).
// - how far the worker fell behind: bytes logged but not yet read by the worker, sampled (see
//   thread-stream-probe.js), and how often thread-stream's shared buffer had no room ('drain' events).
//
// main() runs the steps in order; each step does one thing and hands its readings on. The order of the readings at
// t0, at the hand-over and at completion matters (a reading taken later counts work that is not the case's), so
// each is taken in the step that ends that moment.
import { readFile } from 'node:fs/promises'
import { getPriority } from 'node:os'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { setImmediate as yieldLoop, setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import pino from 'pino'
import { caseFigures } from './case-figures.js'
import { endpointStats, markEndpoint } from './endpoint-client.js'
import { sampleMemory, trackLag, watchGc, watchWorkerHeap } from './samplers.js'
import { threadStreamProbe, threadStreamSupport } from './thread-stream-probe.js'
import { busiestNewThread, threadCpuNs, threadIds, threadNice } from './threads.js'

const NOOP_TARGET = fileURLToPath(new URL('./noop-transport.js', import.meta.url))
const PROBE_TARGET = fileURLToPath(new URL('./logbeam-probe.js', import.meta.url))
/** How often the worker reports its heap in cases with `heapProbe` (the 1,000,000-line case). */
const HEAP_EVERY_MS = 50
/** Sequence numbers of warm-up lines start here, those of measured lines at RUN_BASE: same width. */
const WARM_BASE = 1_000_000
const RUN_BASE = 2_000_000
/** Burst mode yields to the event loop after about this many bytes of log lines. */
const CHUNK_BYTES = 64 * 1024
/** Warm-up: about this many bytes of lines (JIT, SDK first request, group and stream creation). */
const WARM_BYTES = 1024 * 1024
const GROUP = 'bench'
const STREAM = 'bench'
/** logbeam's diagnostics events counted in every case (all stay 0 when every line is delivered). */
const COUNTED_EVENTS = ['putError', 'dropped', 'undelivered', 'rejected']

const now = () => performance.timeOrigin + performance.now()
/** The monotonic clock V8's CPU profiler stamps its samples with (µs), to cut profiles to the measured span. */
const monoUs = () => Number(process.hrtime.bigint() / 1000n)

// ---------- the lines ----------

/** A message that makes the whole line (newline included) about `lineBytes` long. */
function makeText (lineBytes) {
  let line = ''
  const probe = pino({}, { write (s) { line = s } })
  probe.info({ n: RUN_BASE }, '')
  const overhead = Buffer.byteLength(line)
  const phrase = 'request handled: user=4711 route=/api/orders status=200 duration_ms=12.5 cache=miss region=us-east-1; '
  const length = Math.max(1, lineBytes - overhead)
  const text = phrase.repeat(Math.ceil(length / phrase.length)).slice(0, length)
  probe.info({ n: RUN_BASE }, text)
  return { text, bytes: Buffer.byteLength(line) }
}

/** The text of every line, its real size, how many lines make a burst chunk and how many the warm-up logs. */
function planCase (c) {
  const { text, bytes: lineBytes } = makeText(c.lineBytes)
  return {
    text,
    lineBytes,
    count: c.count,
    chunk: Math.max(1, Math.round(CHUNK_BYTES / lineBytes)),
    warm: Math.min(10_000, Math.max(50, Math.round(WARM_BYTES / lineBytes)))
  }
}

// ---------- step 1: the logger and its transport ----------

function transportOptions (c, expect) {
  const heapEveryMs = c.heapProbe ? { benchHeapEveryMs: HEAP_EVERY_MS } : {}
  if (c.kind === 'noop') return { target: NOOP_TARGET, options: { expect, parseJson: c.parseJson === true, ...heapEveryMs } }
  const nice = c.workerNice !== undefined ? { benchNice: c.workerNice } : {}
  return {
    // 'logbeam' resolves to this package's dist/; the probe is the same plus heap reports or a lowered priority.
    target: c.heapProbe || c.workerNice !== undefined ? PROBE_TARGET : 'logbeam',
    options: {
      ...heapEveryMs,
      ...nice,
      logGroupName: GROUP,
      logStreamName: STREAM,
      maxPutsPerSecond: c.maxPutsPerSecond,
      stderr: false,
      clientConfig: {
        region: 'us-east-1',
        endpoint: c.endpoint.url,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' }
      },
      ...c.logbeamOptions // the size cases raise maxBufferSize (see cases.js)
    }
  }
}

async function openDevNull () {
  const destination = pino.destination({ dest: '/dev/null', sync: false })
  await new Promise(resolve => destination.once('ready', resolve))
  return { destination, workerHeap: watchWorkerHeap(undefined) }
}

/** pino.transport() to the no-op worker or to logbeam, ready, with its events counted and its heap watched. */
async function openTransport (c, plan, events) {
  const transport = pino.transport(transportOptions(c, plan.warm + plan.count))
  const consumed = new Promise(resolve => transport.once('benchConsumed', resolve))
  const workerHeap = watchWorkerHeap(transport)
  const priority = { result: null }
  transport.once('benchPriority', result => { priority.result = result })
  for (const name of COUNTED_EVENTS) transport.on(name, () => { events[name]++ })
  transport.on('error', err => {
    process.stderr.write(`case ${c.id}: transport error: ${err?.stack ?? err}\n`)
    process.exit(1)
  })
  await new Promise(resolve => transport.once('ready', resolve))
  return { destination: transport, transport, consumed, workerHeap, priority }
}

/** The logger, its flush as a promise, and the threads that were there before its transport started. */
async function setUp (c, plan) {
  // Start libuv's thread pool now, so the only thread the transport adds is its worker.
  await readFile('/proc/self/stat')
  const threadsBefore = new Set(threadIds())
  const events = Object.fromEntries(COUNTED_EVENTS.map(name => [name, 0]))
  const sink = c.kind === 'devnull' ? await openDevNull() : await openTransport(c, plan, events)
  const logger = pino(sink.destination)
  const flush = () => new Promise((resolve, reject) => logger.flush(err => (err ? reject(err) : resolve())))
  return { ...sink, logger, flush, events, threadsBefore }
}

// ---------- step 2: warm-up, off the clock ----------

/** JIT, the worker's first batches, the SDK's first request; flushed, so the measured span starts empty. */
async function warmUp (sink, { warm, chunk, text }) {
  for (let i = 0; i < warm;) {
    const end = Math.min(warm, i + chunk)
    for (; i < end; i++) sink.logger.info({ n: WARM_BASE + i }, text)
    await yieldLoop()
  }
  await sink.flush()
}

// ---------- step 3: what the measured span watches, set up off the clock ----------

/** The worker's thread id, the worker-lag probe, the 'drain' count; the endpoint's mark; a collected heap. */
async function prepareWatch (c, sink) {
  const workerTid = sink.transport ? busiestNewThread(sink.threadsBefore) : undefined
  const { probe, reason } = sink.transport ? threadStreamProbe(sink.transport) : {}
  // A thread-stream of another major is reported once by run.js; any other reason is news, so it is said here.
  if (reason && threadStreamSupport().supported) process.stderr.write(`case ${c.id}: ${reason}\n`)
  const drains = { count: 0 }
  sink.transport?.on('drain', () => { drains.count++ })
  if (c.kind === 'logbeam') await markEndpoint(c.endpoint.control)
  globalThis.gc?.()
  await sleep(20)
  return { workerTid, lag: trackLag(probe), drains }
}

// ---------- step 4: the measured span starts ----------

/** Starts the watchers, then the readings at t0; the clock is read last, so every reading covers all the logging. */
function startSpan (sink, watch) {
  sink.workerHeap.reset()
  const memory = sampleMemory()
  const gc = watchGc()
  const eld = monitorEventLoopDelay({ resolution: 1 })
  eld.enable()
  const main0 = threadCpuNs(process.pid)
  const worker0 = watch.workerTid ? threadCpuNs(watch.workerTid) : NaN
  const elu0 = performance.eventLoopUtilization()
  const cpu0 = process.cpuUsage()
  const t0Mono = monoUs()
  const t0 = now()
  return { memory, gc, eld, main0, worker0, elu0, cpu0, t0Mono, t0 }
}

// ---------- step 5: logging, burst or paced ----------

/** As fast as possible, yielding to the event loop every ~64 KiB of lines. */
async function logBurst (logger, { count, chunk, text }, lag) {
  let callNs = 0n
  for (let i = 0; i < count;) {
    const end = Math.min(count, i + chunk)
    const s = process.hrtime.bigint()
    for (; i < end; i++) logger.info({ n: RUN_BASE + i }, text)
    callNs += process.hrtime.bigint() - s
    lag.sample()
    await yieldLoop()
  }
  return { callNs, tLast: now() }
}

/** Every millisecond or so, the lines due by then at `rate` lines/s; a tick of calls over 1 ms is a stall. */
async function logPaced (logger, { count, text }, rate, t0, lag) {
  const figures = { callNs: 0n, ticks: 0, stalls: 0, maxTickMs: 0, maxGapMs: 0 }
  let logged = 0
  let last = t0
  while (logged < count) {
    const at = now()
    if (at - last > figures.maxGapMs) figures.maxGapMs = at - last
    last = at
    const due = Math.min(count, Math.ceil((at - t0) * rate / 1000))
    const s = process.hrtime.bigint()
    for (; logged < due; logged++) logger.info({ n: RUN_BASE + logged }, text)
    const took = process.hrtime.bigint() - s
    figures.callNs += took
    const tookMs = Number(took) / 1e6
    if (tookMs > 1) figures.stalls++
    if (tookMs > figures.maxTickMs) figures.maxTickMs = tookMs
    figures.ticks++
    lag.sample()
    await sleep(1)
  }
  return { ...figures, tLast: now() }
}

/** One slice of the app's own job: arithmetic only (no allocation, so no GC of its own), the same in every run. */
function workSlice (iterations, seed) {
  let x = seed | 0
  for (let i = 0; i < iterations; i++) x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + i) | 0
  return x
}

/**
 * The lines due at `rate` lines/s, then one slice of the job, then a turn of the event loop (timers and I/O run
 * there, as between an app's requests); once the job is done, paced logging alone until every line is logged.
 * The job's end is read at once: its wall time and the main thread's CPU from t0.
 */
async function logWhileWorking (logger, { count, text }, c, t0, lag) {
  const figures = { callNs: 0n, ticks: 0, stalls: 0, maxTickMs: 0, maxGapMs: 0, workEnd: NaN, workCpuEnd: NaN }
  let logged = 0
  let slices = 0
  let checksum = 0
  let last = t0
  while (logged < count || slices < c.workSlices) {
    const at = now()
    if (at - last > figures.maxGapMs) figures.maxGapMs = at - last
    last = at
    const due = Math.min(count, Math.ceil((at - t0) * c.rate / 1000))
    const s = process.hrtime.bigint()
    for (; logged < due; logged++) logger.info({ n: RUN_BASE + logged }, text)
    const took = process.hrtime.bigint() - s
    figures.callNs += took
    if (Number(took) / 1e6 > 1) figures.stalls++
    figures.maxTickMs = Math.max(figures.maxTickMs, Number(took) / 1e6)
    figures.ticks++
    lag.sample()
    if (slices < c.workSlices) {
      checksum ^= workSlice(c.workIterations, slices++)
      if (slices === c.workSlices) {
        figures.workEnd = now()
        figures.workCpuEnd = threadCpuNs(process.pid)
      }
      await yieldLoop()
    } else {
      await sleep(1)
    }
  }
  // The checksum is kept so that the job cannot be optimised away.
  return { ...figures, checksum, tLast: now() }
}

async function logMeasured (c, sink, plan, span, lag) {
  const logging = c.mode === 'work'
    ? await logWhileWorking(sink.logger, plan, c, span.t0, lag)
    : c.mode === 'paced'
      ? await logPaced(sink.logger, plan, c.rate, span.t0, lag)
      : await logBurst(sink.logger, plan, lag)
  span.eld.disable()
  return logging
}

// ---------- step 6: hand-over, then completion ----------

/** The main thread's part is done once thread-stream holds nothing back (for /dev/null: sonic-boom's flush). */
async function waitForHandOver (c, sink, lag, span) {
  if (lag.probe) {
    while (lag.probe.busy()) {
      lag.sample()
      await sleep(10)
    }
  } else if (c.kind === 'devnull') {
    await sink.flush()
  }
  const main1 = threadCpuNs(process.pid)
  const elu = performance.eventLoopUtilization(span.elu0)
  const tHandoff = now()
  span.gc.endSpan()
  return { main1, elu, tHandoff }
}

/** logbeam's flush resolves once every line is acknowledged (or set aside); then the endpoint says what it holds. */
async function waitForDelivery (c, sink, count, measureDone) {
  await sink.flush()
  const settled = now()
  const done = measureDone()
  const lines = { group: GROUP, stream: STREAM, from: RUN_BASE, to: RUN_BASE + count }
  const stats = await endpointStats(c.endpoint.control, lines)
  const delivered = stats.stored
  const complete = delivered === count
  const tDone = complete && stats.lastPutAt !== null ? Math.min(settled, stats.lastPutAt) : settled
  return { tDone, done, stats, complete, delivered }
}

/** Completion: the CPU figures are taken at once, before anything else runs. */
async function waitForCompletion (c, sink, watch, span, handoff, count) {
  const measureDone = () => ({
    cpu: process.cpuUsage(span.cpu0),
    worker1: watch.workerTid ? threadCpuNs(watch.workerTid) : NaN,
    mono: monoUs()
  })
  if (c.kind === 'logbeam') return waitForDelivery(c, sink, count, measureDone)
  const all = { complete: true, delivered: count }
  if (c.kind === 'noop') {
    const tDone = (await sink.consumed).at // stamped in the worker when it consumed the last line
    await sink.flush()
    return { tDone, done: measureDone(), ...all }
  }
  return { tDone: handoff.tHandoff, done: measureDone(), ...all }
}

/**
 * The niceness of the main thread, of the worker, and how many other threads of the process are not at the main
 * thread's (a worker that lowered its priority should have reached itself alone); what the worker reported.
 */
function threadPriorities (sink, watch) {
  const main = threadNice(process.pid)
  const others = threadIds().filter(tid => tid !== String(process.pid) && tid !== watch.workerTid)
  const reported = sink.priority?.result ?? null
  return {
    mainNice: main,
    mainGetPriority: getPriority(0),
    workerThreadNice: watch.workerTid ? threadNice(watch.workerTid) : null,
    workerGetPriority: reported ? reported.getPriority : null,
    otherThreadsAtOtherNice: others.filter(tid => threadNice(tid) !== main).length,
    priorityError: reported && !reported.ok ? `${reported.reason}: ${reported.message}` : null
  }
}

/** Stops the watchers; the last GC entries of the span reach the observer first. */
async function endSpan (span) {
  await sleep(20)
  span.gc.stop()
  span.memory.stop()
}

// ---------- step 7: the transport closes, the figures go out ----------

async function closeTransport (transport) {
  if (!transport) return
  const closed = new Promise(resolve => transport.once('close', resolve))
  transport.end()
  await Promise.race([closed, sleep(15_000)])
}

async function main () {
  const c = JSON.parse(process.argv[2])
  const plan = planCase(c)
  const sink = await setUp(c, plan)
  await warmUp(sink, plan)
  const watch = await prepareWatch(c, sink)
  // ---- measured from here ----
  const span = startSpan(sink, watch)
  const logging = await logMeasured(c, sink, plan, span, watch.lag)
  const handoff = await waitForHandOver(c, sink, watch.lag, span)
  const completion = await waitForCompletion(c, sink, watch, span, handoff, plan.count)
  await endSpan(span)
  // ---- measured until here ----
  const priorities = threadPriorities(sink, watch)
  const result = caseFigures({ c, plan, sink, watch, span, logging, handoff, completion, priorities })
  await closeTransport(sink.transport)
  process.stdout.write(JSON.stringify(result) + '\n')
  process.exit(0)
}

main().catch(err => {
  process.stderr.write(`case failed: ${err?.stack ?? err}\n`)
  process.exit(1)
})
