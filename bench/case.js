// Runs one benchmark case in this process and prints one JSON line with its figures on stdout.
// Started by bench/run.js:  node --expose-gc bench/case.js '<case as JSON>'
//
// The case object: { id, kind: 'devnull' | 'noop' | 'logbeam', lineBytes, count,
//   mode: 'burst' | 'paced', rate (paced lines/s), maxPutsPerSecond (logbeam), heapProbe (boolean),
//   logbeamOptions (more logbeam options, optional), endpoint: { url, control } }
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
//   `threadStreamProbe`), and how often thread-stream's shared buffer had no room ('drain' events).
import { readdirSync, readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { request } from 'node:http'
import { createRequire } from 'node:module'
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks'
import { setImmediate as yieldLoop, setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import pino from 'pino'

const require = createRequire(import.meta.url)
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
const MiB = 1024 * 1024

const now = () => performance.timeOrigin + performance.now()
/** The monotonic clock V8's CPU profiler stamps its samples with (µs), to cut profiles to the measured span. */
const monoUs = () => Number(process.hrtime.bigint() / 1000n)

const pause = new Int32Array(new SharedArrayBuffer(4))

/**
 * CPU time (ns) a thread of this process has run, from the scheduler's own accounting. The kernel
 * brings a running thread's figure up to date only at a scheduler tick (4 ms here) or a context
 * switch, so the calling thread first sleeps 0.2 ms (off the clock) to make its own figure exact;
 * the worker's is read while it is idle (before the run, after completion), so it is exact too.
 */
function threadCpuNs (tid) {
  if (tid === String(process.pid) || tid === process.pid) Atomics.wait(pause, 0, 0, 0.2)
  try {
    return Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0])
  } catch {
    return NaN
  }
}

function threadIds () {
  try {
    return readdirSync('/proc/self/task')
  } catch {
    return []
  }
}

/**
 * Read-only view of thread-stream's state, for measuring only: the bytes the main thread still
 * holds (not yet copied into the shared buffer) and the bytes in the shared buffer the worker has
 * not read. thread-stream exposes neither, so this reads its private state; undefined if that
 * ever changes shape (the figures that need it are then reported as null).
 */
function threadStreamProbe (stream) {
  const symbol = Object.getOwnPropertySymbols(stream).find(s => s.description === 'kImpl')
  const impl = symbol ? stream[symbol] : undefined
  let indexes
  try {
    indexes = require('thread-stream/lib/indexes.js')
  } catch {
    return undefined
  }
  if (!impl || !(impl.state instanceof Int32Array) || !Buffer.isBuffer(impl.data) || typeof impl.bufLen !== 'number') return undefined
  const { WRITE_INDEX, READ_INDEX } = indexes
  return {
    size: impl.data.length,
    held: () => impl.bufLen,
    busy: () => impl.flushing || impl.bufLen > 0,
    unread: () => {
      const w = Atomics.load(impl.state, WRITE_INDEX)
      const r = Atomics.load(impl.state, READ_INDEX)
      return w >= 0 && r >= 0 && w > r ? w - r : 0
    }
  }
}

function http (method, url) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, res => {
      const chunks = []
      res.on('data', c => chunks.push(c))
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')))
        } catch (err) {
          reject(err)
        }
      })
    })
    req.on('error', reject)
    req.end()
  })
}

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

function percentile (h, p) {
  const v = h.percentile(p)
  return Number.isFinite(v) ? v / 1e6 : null
}

async function main () {
  const c = JSON.parse(process.argv[2])
  const { text, bytes: lineBytes } = makeText(c.lineBytes)
  const count = c.count
  const chunk = Math.max(1, Math.round(CHUNK_BYTES / lineBytes))
  const warm = Math.min(10_000, Math.max(50, Math.round(WARM_BYTES / lineBytes)))

  // Start libuv's thread pool now, so the only thread the transport adds is its worker.
  await readFile('/proc/self/stat')
  const threadsBefore = new Set(threadIds())

  let logger
  let transport
  const workerHeap = { total: 0, used: 0, reports: 0 }
  let destination
  let consumed
  const events = { putError: 0, dropped: 0, undelivered: 0, rejected: 0 }
  if (c.kind === 'devnull') {
    destination = pino.destination({ dest: '/dev/null', sync: false })
    await new Promise(resolve => destination.once('ready', resolve))
    logger = pino(destination)
  } else {
    const heapEveryMs = c.heapProbe ? { benchHeapEveryMs: HEAP_EVERY_MS } : {}
    transport = c.kind === 'noop'
      ? pino.transport({ target: NOOP_TARGET, options: { expect: warm + count, ...heapEveryMs } })
      : pino.transport({
        // 'logbeam' resolves to this package's dist/; the probe is the same plus heap reports.
        target: c.heapProbe ? PROBE_TARGET : 'logbeam',
        options: {
          ...heapEveryMs,
          logGroupName: GROUP,
          logStreamName: STREAM,
          maxPutsPerSecond: c.maxPutsPerSecond,
          stderr: false,
          clientConfig: {
            region: 'us-east-1',
            endpoint: c.endpoint.url,
            credentials: { accessKeyId: 'test', secretAccessKey: 'test' }
          },
          ...c.logbeamOptions // the size cases raise maxBufferSize (see run.js)
        }
      })
    consumed = new Promise(resolve => transport.once('benchConsumed', resolve))
    transport.on('benchHeap', h => {
      if (h.heapTotal > workerHeap.total) workerHeap.total = h.heapTotal
      if (h.heapUsed > workerHeap.used) {
        workerHeap.used = h.heapUsed
        workerHeap.spacesAtPeak = h.spaces
      }
      workerHeap.reports++
    })
    for (const name of Object.keys(events)) transport.on(name, () => { events[name]++ })
    transport.on('error', err => {
      process.stderr.write(`case ${c.id}: transport error: ${err?.stack ?? err}\n`)
      process.exit(1)
    })
    await new Promise(resolve => transport.once('ready', resolve))
    logger = pino(transport)
  }
  const flush = () => new Promise((resolve, reject) => logger.flush(err => (err ? reject(err) : resolve())))

  // Warm-up, off the clock: JIT, the worker's first batches, the SDK's first request.
  for (let i = 0; i < warm;) {
    const end = Math.min(warm, i + chunk)
    for (; i < end; i++) logger.info({ n: WARM_BASE + i }, text)
    await yieldLoop()
  }
  await flush()

  let workerTid
  if (transport) {
    let most = -1
    for (const tid of threadIds()) {
      if (threadsBefore.has(tid)) continue
      const ns = threadCpuNs(tid)
      if (ns > most) {
        most = ns
        workerTid = tid
      }
    }
  }
  const probe = transport ? threadStreamProbe(transport) : undefined
  let drains = 0
  transport?.on('drain', () => { drains++ })
  if (c.kind === 'logbeam') await http('POST', `${c.endpoint.control}/mark`)
  globalThis.gc?.()
  await sleep(20)

  // ---- measured from here ----
  let maxLag = 0
  const sampleLag = () => {
    if (!probe) return
    const lag = probe.held() + probe.unread()
    if (lag > maxLag) maxLag = lag
  }
  const rssStart = process.memoryUsage.rss()
  let peakRss = rssStart
  const mainPeak = { heapTotal: 0, heapUsed: 0, arrayBuffers: 0 }
  const sampleMemory = () => {
    const m = process.memoryUsage()
    if (m.rss > peakRss) peakRss = m.rss
    for (const key of Object.keys(mainPeak)) if (m[key] > mainPeak[key]) mainPeak[key] = m[key]
  }
  Object.assign(workerHeap, { total: 0, used: 0, reports: 0, spacesAtPeak: undefined })
  const rssTimer = setInterval(sampleMemory, 50)
  // Main-thread GC pauses that start between t0 and the hand-over (entries arrive a tick late).
  const gc = { ms: 0, count: 0, max: 0, from: performance.now(), to: Infinity }
  const gcObserver = new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      if (entry.startTime < gc.from || entry.startTime > gc.to) continue
      gc.ms += entry.duration
      gc.count++
      if (entry.duration > gc.max) gc.max = entry.duration
    }
  })
  gcObserver.observe({ entryTypes: ['gc'] })
  const eld = monitorEventLoopDelay({ resolution: 1 })
  eld.enable()
  const main0 = threadCpuNs(process.pid)
  const worker0 = workerTid ? threadCpuNs(workerTid) : NaN
  const elu0 = performance.eventLoopUtilization()
  const cpu0 = process.cpuUsage()
  let callNs = 0n
  let ticks = 0
  let stalls = 0
  let maxTickMs = 0
  let maxGapMs = 0
  const t0Mono = monoUs()
  const t0 = now()

  if (c.mode === 'paced') {
    // Paced: every millisecond or so, log the lines due by then at `rate` lines/s.
    let logged = 0
    let last = t0
    while (logged < count) {
      const at = now()
      if (at - last > maxGapMs) maxGapMs = at - last
      last = at
      const due = Math.min(count, Math.ceil((at - t0) * c.rate / 1000))
      const s = process.hrtime.bigint()
      for (; logged < due; logged++) logger.info({ n: RUN_BASE + logged }, text)
      const took = process.hrtime.bigint() - s
      callNs += took
      const tookMs = Number(took) / 1e6
      if (tookMs > 1) stalls++
      if (tookMs > maxTickMs) maxTickMs = tookMs
      ticks++
      sampleLag()
      await sleep(1)
    }
  } else {
    // Burst: as fast as possible, yielding to the event loop every ~64 KiB of lines.
    for (let i = 0; i < count;) {
      const end = Math.min(count, i + chunk)
      const s = process.hrtime.bigint()
      for (; i < end; i++) logger.info({ n: RUN_BASE + i }, text)
      callNs += process.hrtime.bigint() - s
      sampleLag()
      await yieldLoop()
    }
  }
  const tLast = now()
  eld.disable()

  // Hand-over: the main thread's part is done once thread-stream holds nothing back.
  if (probe) {
    while (probe.busy()) {
      sampleLag()
      await sleep(10)
    }
  } else if (c.kind === 'devnull') {
    await flush()
  }
  const main1 = threadCpuNs(process.pid)
  const elu = performance.eventLoopUtilization(elu0)
  const tHandoff = now()
  gc.to = performance.now()

  // Completion: CPU figures are taken at once, before anything else runs.
  const measureDone = () => ({ cpu: process.cpuUsage(cpu0), worker1: workerTid ? threadCpuNs(workerTid) : NaN, mono: monoUs() })
  let done
  let tDone
  let stats
  let complete = true
  let delivered = count
  if (c.kind === 'noop') {
    tDone = (await consumed).at
    await flush()
  } else if (c.kind === 'logbeam') {
    await flush() // logbeam's flush resolves once every line is acknowledged (or set aside)
    const settled = now()
    done = measureDone()
    stats = await http('GET', `${c.endpoint.control}/stats?group=${GROUP}&stream=${STREAM}&from=${RUN_BASE}&to=${RUN_BASE + count}`)
    delivered = stats.stored
    complete = delivered === count
    tDone = complete && stats.lastPutAt !== null ? Math.min(settled, stats.lastPutAt) : settled
  } else {
    tDone = tHandoff
  }
  done ??= measureDone()
  const { cpu, worker1, mono: doneMono } = done
  await sleep(20) // the last GC entries of the span reach the observer
  gcObserver.disconnect()
  clearInterval(rssTimer)
  sampleMemory()

  const e2eMs = tDone - t0
  const result = {
    id: c.id,
    kind: c.kind,
    mode: c.mode,
    lineBytes,
    count,
    warm,
    logMs: tLast - t0,
    mainCpuNs: (main1 - main0) / count,
    mainBusyNs: elu.active * 1e6 / count,
    mainGcMs: gc.ms,
    mainGcCount: gc.count,
    mainGcMaxMs: gc.max,
    callNs: Number(callNs) / count,
    eldP50Ms: percentile(eld, 50),
    eldP99Ms: percentile(eld, 99),
    eldMaxMs: eld.max / 1e6,
    handoffMs: tHandoff - t0,
    e2eMs,
    complete,
    delivered,
    dropped: count - delivered,
    eventsPerSec: count / (e2eMs / 1000),
    mbPerSec: count * lineBytes / 1e6 / (e2eMs / 1000),
    procCpuUs: (cpu.user + cpu.system) / count,
    workerCpuUs: (worker1 - worker0) / 1e3 / count,
    rssStartMiB: rssStart / MiB,
    peakRssMiB: peakRss / MiB,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    mainHeapPeakMiB: mainPeak.heapTotal / MiB,
    mainHeapUsedPeakMiB: mainPeak.heapUsed / MiB,
    mainArrayBuffersPeakMiB: mainPeak.arrayBuffers / MiB,
    workerHeapPeakMiB: workerHeap.reports > 0 ? workerHeap.total / MiB : null,
    workerHeapUsedPeakMiB: workerHeap.reports > 0 ? workerHeap.used / MiB : null,
    workerHeapSpacesAtPeakMiB: workerHeap.spacesAtPeak ? Object.fromEntries(Object.entries(workerHeap.spacesAtPeak).map(([k, v]) => [k, Math.round(v / MiB * 10) / 10])) : null,
    maxLagKiB: probe ? maxLag / 1024 : null,
    sharedBufferKiB: probe ? probe.size / 1024 : null,
    bufferFull: probe ? maxLag >= probe.size : null,
    drains: transport ? drains : null,
    events,
    window: { startUs: t0Mono, endUs: doneMono }
  }
  if (c.mode === 'paced') {
    Object.assign(result, {
      targetRate: c.rate,
      achievedRate: count / ((tLast - t0) / 1000),
      ticks,
      stalls,
      maxTickMs,
      maxGapMs,
      drainMs: tDone - tLast
    })
  }
  if (stats) {
    const puts = stats.puts
    const fills = puts.map(([events, bytes]) => Math.max(events / 10_000, bytes / 1_048_576))
    const body = fills.length > 1 ? fills.slice(0, -1) : fills // the last call carries the tail
    Object.assign(result, {
      puts: puts.length,
      putEvents: puts.reduce((s, p) => s + p[0], 0) / Math.max(1, puts.length),
      putKiB: puts.reduce((s, p) => s + p[1], 0) / 1024 / Math.max(1, puts.length),
      fillPct: body.length ? 100 * body.reduce((s, f) => s + f, 0) / body.length : null,
      minFillPct: body.length ? 100 * Math.min(...body) : null,
      failedPuts: stats.failedPuts,
      endpointCpuUs: stats.cpuUs / count,
      endpointRssMiB: stats.rssBytes / MiB
    })
  }

  if (transport) {
    const closed = new Promise(resolve => transport.once('close', resolve))
    transport.end()
    await Promise.race([closed, sleep(15_000)])
  }
  process.stdout.write(JSON.stringify(result) + '\n')
  process.exit(0)
}

main().catch(err => {
  process.stderr.write(`case failed: ${err?.stack ?? err}\n`)
  process.exit(1)
})
