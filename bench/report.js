// The result tables: what run.js prints and saves, built from the medians of each case (and from the
// profiles --profile takes). Only layout here; the figures come from case.js, the target checks from targets.js.
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { num, ratio, times } from './render.js'

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..')

/** The tables of every case group that ran, in a fixed order: main thread, delivery, 1M lines, sustained. */
export function resultTables (cases, med) {
  const of = (name, variant) => med[`${name} ${variant}`]
  const ran = group => cases.filter(c => c.group === group && med[c.id])
  const size = ran('size')
  const million = ran('million')
  const sustained = ran('sustained')
  return [
    mainThreadTable(size, med, of),
    deliveryTable(size, med, of),
    ...(million.length > 0 ? [millionTable(million, med, of('1M', 'noop'))] : []),
    ...(sustained.length > 0 ? [sustainedTable(sustained, med, of('sustained', 'noop'))] : [])
  ]
}

function mainThreadTable (cases, med, of) {
  return {
    title: 'Main thread, burst logging (medians)',
    headers: ['case', 'lines', 'line B', 'main CPU ns/line', 'x /dev/null', 'x no-op', 'loop busy ns/line',
      'in-call ns/line', 'main GC ms', 'ELD p99 ms', 'ELD max ms', 'logging ms'],
    rows: cases.map(c => {
      const r = med[c.id]
      const vs = variant => times(ratio(r.mainCpuNs, of(c.name, variant)?.mainCpuNs ?? null))
      return [c.id, num(r.count), num(r.lineBytes), num(r.mainCpuNs), vs('devnull'), vs('noop'), num(r.mainBusyNs),
        num(r.callNs), num(r.mainGcMs, 1), num(r.eldP99Ms, 2), num(r.eldMaxMs, 1), num(r.logMs)]
    }),
    note: 'main CPU = the main thread\'s own CPU time (Linux schedstat) from the first measured line until it has ' +
      'handed every line over, per line; loop busy = event-loop utilization over the same span (also counts time ' +
      'the thread was ready but waiting for a core); in-call = time inside logger.info calls only; main GC = ' +
      'main-thread GC pauses over the span; ELD = event-loop delay while logging (monitorEventLoopDelay, 1 ms ' +
      'resolution; burst logging yields every ~64 KiB of lines).'
  }
}

function deliveryTable (cases, med, of) {
  return {
    title: 'Delivery, burst logging (medians)',
    headers: ['case', 'end-to-end ms', 'x no-op', 'lines/s', 'MB/s', 'process CPU µs/line', 'worker CPU µs/line',
      'endpoint CPU µs/line', 'peak RSS MiB', 'worker lag max KiB', 'puts', 'lines/put', 'KiB/put', 'fill %',
      'delivered'],
    rows: cases.map(c => deliveryRow(c, med[c.id], of(c.name, 'noop'))),
    note: 'end-to-end = first measured log call until the endpoint holds every line (logbeam; logger.flush() is ' +
      'called after the last line), until the worker has consumed the last line (no-op), until sonic-boom has ' +
      'written everything (/dev/null). MB = 10^6 bytes of log lines. process CPU = user+system of the whole app ' +
      'process (all threads) over the same span; worker CPU = the worker thread alone. fill = mean over calls, last ' +
      '(tail) call excluded, of max(events/10000, bytes/1 MiB).'
  }
}

function deliveryRow (c, r, noop) {
  const lb = r.kind === 'logbeam'
  const floor = c.kind !== 'logbeam'
  const ifLogbeam = text => (lb ? text : '—')
  return [c.id, num(r.e2eMs) + (r.complete ? '' : '*'), floor ? '—' : times(ratio(r.e2eMs, noop?.e2eMs ?? null)),
    num(r.eventsPerSec), num(r.mbPerSec, 1), num(r.procCpuUs, 2), num(r.workerCpuUs, 2),
    ifLogbeam(num(r.endpointCpuUs, 2)), num(r.peakRssMiB, 1), num(r.maxLagKiB), ifLogbeam(num(r.puts)),
    ifLogbeam(num(r.putEvents)), ifLogbeam(num(r.putKiB)), ifLogbeam(num(r.fillPct, 2)), deliveredCell(r)]
}

function millionTable (cases, med, base) {
  return {
    title: '1,000,000 lines of ~100 B, burst (medians)',
    headers: ['case', 'peak RSS MiB', 'vs no-op MiB', 'RSS at start MiB', 'main heap peak MiB',
      'main ArrayBuffers peak MiB', 'worker heap peak MiB', 'worker heap used peak MiB', 'worker lag max KiB',
      'end-to-end ms', 'x no-op', 'lines/s', 'process CPU µs/line', 'puts', 'delivered'],
    rows: cases.map(c => {
      const r = med[c.id]
      const vs = base && c.variant !== 'noop' ? r.peakRssMiB - base.peakRssMiB : null
      return [c.id, num(r.peakRssMiB, 1), vs === null ? '—' : `${vs >= 0 ? '+' : ''}${num(vs, 1)}`,
        num(r.rssStartMiB, 1), num(r.mainHeapPeakMiB, 1), num(r.mainArrayBuffersPeakMiB, 1),
        num(r.workerHeapPeakMiB, 1), num(r.workerHeapUsedPeakMiB, 1), num(r.maxLagKiB), num(r.e2eMs),
        c.variant === 'noop' ? '—' : times(ratio(r.e2eMs, base?.e2eMs ?? null)), num(r.eventsPerSec),
        num(r.procCpuUs, 2), num(r.puts), deliveredCell(r)]
    }),
    note: 'peak RSS: process.memoryUsage() every 50 ms in the app process from the first measured line until ' +
      'completion. main heap = the main thread\'s V8 heap (heapTotal); main ArrayBuffers = Buffers, mostly the ' +
      'lines thread-stream holds for a worker that is behind; worker heap = the worker\'s V8 heap, reported by the ' +
      'worker every 50 ms (these two cases load the transport through bench/heap-report.js for that). logbeam runs ' +
      'with its default buffers (maxBufferSize 64 MiB, drop-oldest) and maxPutsPerSecond 0.'
  }
}

function sustainedTable (cases, med, base) {
  const { rate, seconds } = cases[0]
  return {
    title: `Sustained ${num(rate)} lines/s of ~100 B for ${seconds} s, paced every ~1 ms (medians; counts: worst run)`,
    headers: ['case', 'achieved lines/s', 'shared buffer full', 'worker lag max KiB', 'drain events', 'ticks > 1 ms',
      'max tick ms', 'max gap ms', 'ELD p99 ms', 'ELD max ms', 'main GC max ms', 'main CPU ns/line', 'x no-op',
      'worker CPU µs/line', 'endpoint CPU µs/line', 'tail ms', 'puts', 'fill %', 'delivered'],
    rows: cases.map(c => {
      const r = med[c.id]
      const full = r.bufferFull === null ? '—' : r.bufferFull ? 'YES' : 'no'
      return [c.id, num(r.achievedRate), full, num(r.maxLagKiB), num(r.drains), num(r.stalls), num(r.maxTickMs, 2),
        num(r.maxGapMs, 1), num(r.eldP99Ms, 2), num(r.eldMaxMs, 1), num(r.mainGcMaxMs, 1), num(r.mainCpuNs),
        c.variant === 'noop' ? '—' : times(ratio(r.mainCpuNs, base?.mainCpuNs ?? null)), num(r.workerCpuUs, 2),
        r.kind === 'logbeam' ? num(r.endpointCpuUs, 2) : '—', num(Math.max(0, r.drainMs)), num(r.puts),
        num(r.fillPct, 2), deliveredCell(r)]
    }),
    note: 'shared buffer full = at some sample the worker had not yet read a whole shared buffer\'s worth (4 MiB) ' +
      'of logged lines; worker lag = bytes logged but not yet read by the worker (held in the main thread + unread ' +
      'in the shared buffer), sampled every tick; drain events = times thread-stream reported its shared buffer out ' +
      'of room (it is used linearly and reset only when the worker has read all of it, so this also happens when ' +
      'the worker keeps up); tick = one ~1 ms batch of logging calls; max gap = longest time between two ticks; ' +
      'tail = last line logged until every line delivered/consumed.'
  }
}

function deliveredCell (r) {
  if (r.kind !== 'logbeam') return '—'
  return r.dropped > 0 ? `${num(r.delivered)} (dropped ${num(r.dropped)})` : `${num(r.delivered)} (all)`
}

/** Where one profiled case spent its time: the worker by function and by category, the others by category. */
export function profileTables (p) {
  const tables = []
  const rel = f => f.slice(ROOT.length + 1)
  const lines = p.result.count
  const perLine = ms => num(ms * 1000 / lines, 2)
  const byCategory = k => [k.name, num(k.ms, 1), num(k.pct, 1), perLine(k.ms)]
  if (p.worker) {
    tables.push({
      title: `Profile of ${p.case}: worker thread, top 15 functions by self time over the measured span ` +
        `(${num(p.worker.busyMs)} ms busy, ${perLine(p.worker.busyMs)} µs/line under the profiler; ` +
        `${rel(p.worker.file)})`,
      headers: ['function', 'where', 'self ms', '% busy', 'µs/line', 'category'],
      rows: p.worker.functions.map(f => [f.name, f.where, num(f.ms, 1), num(f.pct, 1), perLine(f.ms), f.category])
    })
    tables.push({
      title: `Profile of ${p.case}: worker thread by category`,
      headers: ['category', 'self ms', '% busy', 'µs/line'],
      rows: p.worker.categories.slice(0, 16).map(byCategory)
    })
  }
  for (const [name, prof] of [['main thread', p.main], ['endpoint process', p.endpoint]]) {
    if (!prof) continue
    tables.push({
      title: `Profile of ${p.case}: ${name} by category (${num(prof.busyMs)} ms busy; ${rel(prof.file)})`,
      headers: ['category', 'self ms', '% busy', 'µs/line'],
      rows: prof.categories.slice(0, 8).map(byCategory)
    })
  }
  return tables
}
