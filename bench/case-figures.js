// The figures of one case, as the JSON line case.js prints: raw readings (ns, bytes, epoch ms) turned into the
// per-line, MiB and rate figures that run.js takes the medians of. Nothing here reads a clock or a counter.

const MiB = 1024 * 1024
/** PutLogEvents limits a call to 10,000 events and 1 MiB: a call's fill is the larger of the two shares. */
const MAX_EVENTS = 10_000
const MAX_BYTES = 1_048_576

function percentile (h, p) {
  const v = h.percentile(p)
  return Number.isFinite(v) ? v / 1e6 : null
}

/** MiB per heap space, one decimal. */
const spacesMiB = spaces => Object.fromEntries(
  Object.entries(spaces).map(([k, v]) => [k, Math.round(v / MiB * 10) / 10])
)

/**
 * The steps' records, from bench/case.js: c, the case; plan: { lineBytes, count, warm }; sink: the logger's
 * { transport, events, workerHeap }; watch: { lag, drains }; span: the readings at t0 and the watchers; logging:
 * the logging loop's figures and tLast; handoff, completion: the readings taken at those moments; priorities: the
 * threads' niceness after the span.
 */
export function caseFigures ({ c, plan, sink, watch, span, logging, handoff, completion, priorities }) {
  const { lineBytes, count } = plan
  const { t0 } = span
  const { cpu, worker1, mono } = completion.done
  const gc = span.gc.figures
  const memory = span.memory.figures
  const heap = sink.workerHeap.peak
  const probe = watch.lag.probe
  const e2eMs = completion.tDone - t0
  const result = {
    id: c.id,
    kind: c.kind,
    mode: c.mode,
    lineBytes,
    count,
    warm: plan.warm,
    logMs: logging.tLast - t0,
    mainCpuNs: (handoff.main1 - span.main0) / count,
    mainBusyNs: handoff.elu.active * 1e6 / count,
    mainGcMs: gc.ms,
    mainGcCount: gc.count,
    mainGcMaxMs: gc.max,
    callNs: Number(logging.callNs) / count,
    eldP50Ms: percentile(span.eld, 50),
    eldP99Ms: percentile(span.eld, 99),
    eldMaxMs: span.eld.max / 1e6,
    handoffMs: handoff.tHandoff - t0,
    e2eMs,
    complete: completion.complete,
    delivered: completion.delivered,
    dropped: count - completion.delivered,
    eventsPerSec: count / (e2eMs / 1000),
    mbPerSec: count * lineBytes / 1e6 / (e2eMs / 1000),
    procCpuUs: (cpu.user + cpu.system) / count,
    workerCpuUs: (worker1 - span.worker0) / 1e3 / count,
    rssStartMiB: memory.rssStart / MiB,
    peakRssMiB: memory.peakRss / MiB,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    mainHeapPeakMiB: memory.main.heapTotal / MiB,
    mainHeapUsedPeakMiB: memory.main.heapUsed / MiB,
    mainArrayBuffersPeakMiB: memory.main.arrayBuffers / MiB,
    workerHeapPeakMiB: heap.reports > 0 ? heap.total / MiB : null,
    workerHeapUsedPeakMiB: heap.reports > 0 ? heap.used / MiB : null,
    workerHeapSpacesAtPeakMiB: heap.spacesAtPeak ? spacesMiB(heap.spacesAtPeak) : null,
    maxLagKiB: probe ? watch.lag.max / 1024 : null,
    sharedBufferKiB: probe ? probe.size / 1024 : null,
    bufferFull: probe ? watch.lag.max >= probe.size : null,
    drains: sink.transport ? watch.drains.count : null,
    events: sink.events,
    ...priorities,
    window: { startUs: span.t0Mono, endUs: mono }
  }
  if (c.mode === 'paced' || c.mode === 'work') Object.assign(result, pacedFigures(c, plan, span, logging, completion))
  if (c.mode === 'work') Object.assign(result, workFigures(span, logging))
  if (completion.stats) Object.assign(result, putFigures(completion.stats, count))
  return result
}

/** Did the paced loop keep its rate, and did any tick of logging calls stall. */
function pacedFigures (c, plan, span, logging, completion) {
  return {
    targetRate: c.rate,
    achievedRate: plan.count / ((logging.tLast - span.t0) / 1000),
    ticks: logging.ticks,
    stalls: logging.stalls,
    maxTickMs: logging.maxTickMs,
    maxGapMs: logging.maxGapMs,
    drainMs: completion.tDone - logging.tLast
  }
}

/** The app's own job (mode 'work'): how long it took from t0, and the main thread's CPU over that time. */
function workFigures (span, logging) {
  return {
    workMs: logging.workEnd - span.t0,
    workCpuMs: (logging.workCpuEnd - span.main0) / 1e6
  }
}

/** The PutLogEvents calls the endpoint saw since the mark: how many, how full, what the endpoint spent. */
function putFigures (stats, count) {
  const puts = stats.puts
  const fills = puts.map(([events, bytes]) => Math.max(events / MAX_EVENTS, bytes / MAX_BYTES))
  const body = fills.length > 1 ? fills.slice(0, -1) : fills // the last call carries the tail
  return {
    puts: puts.length,
    putEvents: puts.reduce((s, p) => s + p[0], 0) / Math.max(1, puts.length),
    putKiB: puts.reduce((s, p) => s + p[1], 0) / 1024 / Math.max(1, puts.length),
    fillPct: body.length ? 100 * body.reduce((s, f) => s + f, 0) / body.length : null,
    minFillPct: body.length ? 100 * Math.min(...body) : null,
    failedPuts: stats.failedPuts,
    endpointCpuUs: stats.cpuUs / count,
    endpointRssMiB: stats.rssBytes / MiB
  }
}
