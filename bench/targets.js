// What logbeam's figures are held to, checked against the floors measured in the same run: the floors move from
// run to run on a shared machine, so only figures of one run compare.
//
// Two groups, so that a regression is not lost among figures that are known to be short:
// - gates: checks that must hold (main thread cost, batch fill, shared buffer, cost of `metrics`);
// - tracked goals: figures being worked towards (event-loop p99, end-to-end, 1M-line peak RSS, worker and whole-process
//   CPU against a transport that JSON-parses each line), reported so that progress shows.
import { num, ratio, times } from './render.js'

/** The limits, saved as `targets` in latest.json. */
export const LIMITS = {
  mainRatio: 1.10,
  eldDeltaMs: 1,
  e2eRatio: 1.5,
  fillPct: 95,
  rssDeltaMiB: 64,
  metricsRatio: 1.10,
  /** Whole-process CPU to log and deliver, against the no-op worker that JSON-parses each line. */
  processRatio: 1.00,
  /**
   * Worker CPU per line against the same: the 1.5 µs at 100 B and 11 µs at 1 KB, written as ratios to the
   * JSON-parsing no-op it measured (0.71 and 9.1 µs), so that they hold on any machine.
   */
  workerRatio: { 100: 2.1, 1024: 1.2 }
}

export const GATE = 'gate'
export const GOAL = 'goal'

/**
 * `room` = how far the figure is on the good side of its limit (negative: on the bad side), in `unit`.
 * Written as "0.10x headroom" or "0.32x over" ("short" for a figure that must reach its limit).
 */
function margin (room, digits, unit, badWord = 'over') {
  return `${num(Math.abs(room), digits)}${unit} ${room >= 0 ? 'headroom' : badWord}`
}

/** Main-thread CPU per line against the no-op worker transport, per line size. */
function mainThread (c, r, { noop }) {
  if (c.group !== 'size' || !noop) return
  const m = ratio(r.mainCpuNs, noop.mainCpuNs)
  if (m === null) return
  return {
    target: `main thread <= ${times(LIMITS.mainRatio)} no-op`,
    measured: `${num(m, 2)}x (${num(r.mainCpuNs)} vs ${num(noop.mainCpuNs)} ns/line)`,
    limit: times(LIMITS.mainRatio),
    pass: m <= LIMITS.mainRatio,
    margin: margin(LIMITS.mainRatio - m, 2, 'x')
  }
}

/** Event-loop delay p99 while logging, against the no-op worker transport's. */
function eventLoop (c, r, { noop }) {
  if (c.group !== 'size' || !noop || r.eldP99Ms === null || noop.eldP99Ms === null) return
  const d = r.eldP99Ms - noop.eldP99Ms
  return {
    target: `event-loop p99 within ${LIMITS.eldDeltaMs} ms of no-op`,
    measured: `${d >= 0 ? '+' : ''}${num(d, 2)} ms (${num(r.eldP99Ms, 2)} vs ${num(noop.eldP99Ms, 2)})`,
    limit: `+${num(LIMITS.eldDeltaMs, 2)} ms`,
    pass: d <= LIMITS.eldDeltaMs,
    margin: margin(LIMITS.eldDeltaMs - d, 2, ' ms')
  }
}

/** First line to last line delivered, against the no-op worker transport's first to last line consumed. */
function endToEnd (c, r, { noop }) {
  if ((c.group !== 'size' && c.group !== 'million') || c.maxPutsPerSecond !== 0 || !noop) return
  const e = ratio(r.e2eMs, noop.e2eMs)
  if (e === null) return
  return {
    target: `end-to-end (rate limit off) <= ${LIMITS.e2eRatio}x no-op`,
    measured: `${num(e, 2)}x (${num(r.e2eMs)} vs ${num(noop.e2eMs)} ms)${r.complete ? '' : ', NOT all delivered'}`,
    limit: times(LIMITS.e2eRatio),
    pass: e <= LIMITS.e2eRatio && r.complete,
    margin: margin(LIMITS.e2eRatio - e, 2, 'x')
  }
}

/** Worker thread CPU per line against a worker that only JSON-parses each line. */
function workerCpu (c, r, { json }) {
  const limit = LIMITS.workerRatio[c.lineBytes]
  if (c.group !== 'size' || !json || limit === undefined || c.variant !== 'logbeam-unlimited') return
  const w = ratio(r.workerCpuUs, json.workerCpuUs)
  if (w === null) return
  return {
    target: `worker CPU <= ${times(limit)} JSON-parsing no-op`,
    measured: `${num(w, 2)}x (${num(r.workerCpuUs, 2)} vs ${num(json.workerCpuUs, 2)} µs/line)`,
    limit: times(limit),
    pass: w <= limit,
    margin: margin(limit - w, 2, 'x')
  }
}

/** CPU of the whole app process (every thread) to log and deliver, against the JSON-parsing no-op's to log. */
function processCpu (c, r, { json }) {
  if (c.group !== 'size' || !json || c.lineBytes !== 100 || c.variant !== 'logbeam-unlimited') return
  const p = ratio(r.procCpuUs, json.procCpuUs)
  if (p === null) return
  return {
    target: `whole-process CPU <= ${times(LIMITS.processRatio)} JSON-parsing no-op`,
    measured: `${num(p, 2)}x (${num(r.procCpuUs, 2)} vs ${num(json.procCpuUs, 2)} µs/line)`,
    limit: times(LIMITS.processRatio),
    pass: p <= LIMITS.processRatio,
    margin: margin(LIMITS.processRatio - p, 2, 'x')
  }
}

/** How full the PutLogEvents calls are (the tail call excluded): fewer, fuller calls cost less. */
function batchFill (c, r) {
  if (r.fillPct === null || r.fillPct === undefined || (c.group !== 'sustained' && c.group !== 'size')) return
  return {
    target: `batches >= ${LIMITS.fillPct}% full (tail excluded)`,
    measured: `${num(r.fillPct, 2)}% mean, ${num(r.minFillPct, 2)}% min over ${num(r.puts)} calls`,
    limit: `${LIMITS.fillPct}%`,
    pass: r.fillPct >= LIMITS.fillPct,
    margin: margin(r.fillPct - LIMITS.fillPct, 2, ' pts', 'short')
  }
}

/** What the `metrics` option costs the worker for lines without a metric field, against the option unset. */
function metricsCost (c, r, { plain }) {
  if (c.variant !== 'logbeam-metrics' || !plain) return
  const w = ratio(r.workerCpuUs, plain.workerCpuUs)
  if (w === null) return
  return {
    target: `metrics set, no metric field: worker CPU <= ${times(LIMITS.metricsRatio)} unset`,
    measured: `${num(w, 2)}x (${num(r.workerCpuUs, 2)} vs ${num(plain.workerCpuUs, 2)} µs/line)`,
    limit: times(LIMITS.metricsRatio),
    pass: w <= LIMITS.metricsRatio,
    margin: margin(LIMITS.metricsRatio - w, 2, 'x')
  }
}

/** Peak RSS of the app process in the 1,000,000-line burst, against the no-op worker transport's. */
function millionRss (c, r, { noop }) {
  if (c.group !== 'million' || !noop) return
  const d = r.peakRssMiB - noop.peakRssMiB
  return {
    target: `1M lines: peak RSS <= no-op + ${LIMITS.rssDeltaMiB} MiB`,
    measured: `+${num(d, 1)} MiB (${num(r.peakRssMiB, 1)} vs ${num(noop.peakRssMiB, 1)})`,
    limit: `+${LIMITS.rssDeltaMiB} MiB`,
    pass: d <= LIMITS.rssDeltaMiB,
    margin: margin(LIMITS.rssDeltaMiB - d, 1, ' MiB')
  }
}

/** At a steady 100k lines/s the worker keeps up: pino's shared buffer never fills (null: worker lag unavailable). */
function sharedBuffer (c, r) {
  if (c.group !== 'sustained' || r.bufferFull === null) return
  return {
    target: '100k lines/s: shared buffer never full (check)',
    measured: `worker lag max ${num(r.maxLagKiB)} KiB of ${num(r.sharedBufferKiB)}; ${num(r.stalls)} ticks > 1 ms`,
    limit: `< ${num(r.sharedBufferKiB)} KiB`,
    pass: !r.bufferFull,
    margin: r.bufferFull ? 'filled' : `${num(r.sharedBufferKiB - r.maxLagKiB)} KiB headroom`
  }
}

/** Every check in the order its rows appear for a case, with its group. */
const CHECKS = [
  [GATE, mainThread],
  [GOAL, eventLoop],
  [GOAL, endToEnd],
  [GATE, batchFill],
  [GATE, metricsCost],
  [GOAL, millionRss],
  [GATE, sharedBuffer],
  [GOAL, workerCpu],
  [GOAL, processCpu]
]

/** Every check, per logbeam case it applies to: { target, case, measured, limit, pass, margin, group }. */
export function evaluateTargets (cases, med) {
  const rows = []
  for (const c of cases.filter(c => c.kind === 'logbeam' && med[c.id])) {
    const base = {
      noop: med[`${c.name} noop`],
      json: med[`${c.name} noop-json`],
      plain: med[`${c.name} logbeam-unlimited`]
    }
    for (const [group, check] of CHECKS) {
      const row = check(c, med[c.id], base)
      if (row) rows.push({ target: row.target, case: c.id, ...row, group })
    }
  }
  return rows
}

const GROUPS = [
  { group: GATE, label: 'gates', title: 'Gates: checks that must hold', failing: 'FAILING gates' },
  { group: GOAL, label: 'tracked goals', title: 'Tracked goals: figures being worked towards', failing: 'goals not met' }
]

/** Two tables, gates then tracked goals, with the same columns. */
export function targetTables (checks) {
  return GROUPS.map(({ group, title }) => ({
    title: `${title} (against the baselines measured in this run)`,
    headers: ['target', 'case', 'measured', 'limit', 'result', 'margin'],
    rows: checks.filter(t => t.group === group)
      .map(t => [t.target, t.case, t.measured, t.limit, t.pass ? 'PASS' : 'FAIL', t.margin])
  }))
}

/** One line: "gates: 10 of 10 checks pass; tracked goals: 2 of 11 checks pass; goals not met: a [case]; ...". */
export function targetSummary (checks) {
  const counts = []
  const failures = []
  for (const { group, label, failing } of GROUPS) {
    const rows = checks.filter(t => t.group === group)
    const failed = rows.filter(t => !t.pass)
    counts.push(`${label}: ${rows.length - failed.length} of ${rows.length} checks pass`)
    const named = [...new Set(failed.map(t => `${t.target} [${t.case}]`))]
    if (named.length) failures.push(`${failing}: ${named.join('; ')}`)
  }
  return [...counts, ...failures].join('; ')
}
