#!/usr/bin/env node
// logbeam's benchmark: `npm run bench` (build, then this file) or `node bench/run.js` after a build.
//
//   --runs N             runs of each case; medians are reported (default 3; 1 with --quick)
//   --quick              a tenth of the lines and a 1 s sustained case: for trying things out
//   --only A,B           only the cases whose id contains one of these strings
//   --profile            afterwards, run each case behind a failed target once more under
//                        node --cpu-prof (app and endpoint), write the .cpuprofile files to
//                        bench/results/profiles/ and print where the worker thread's time goes
//   --profile-case A,B   profile these cases (id contains A or B) instead, failed or not
//
// Each case runs in a child process of its own (bench/case.js); logbeam's cases get a fresh
// local endpoint in another process (bench/endpoint.js). Rounds are interleaved (every case once,
// then every case again) so that a noisy moment on the machine hits all cases alike.
// Results: bench/results/latest.json and bench/results/latest.md.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { summarizeProfile } from './profile.js'

const HERE = fileURLToPath(new URL('.', import.meta.url))
const ROOT = join(HERE, '..')
const RESULTS = join(HERE, 'results')
const CASE = join(HERE, 'case.js')
const ENDPOINT = join(HERE, 'endpoint.js')
const CASE_TIMEOUT_MS = 180_000
/** --profile profiles at most this many failing cases. */
const PROFILE_MAX = 4

const TARGETS = {
  mainRatio: 1.10,
  eldDeltaMs: 1,
  e2eRatio: 1.5,
  fillPct: 95,
  rssDeltaMiB: 64,
  metricsRatio: 1.10
}

const VARIANTS = {
  devnull: { label: 'pino → /dev/null', kind: 'devnull' },
  noop: { label: 'no-op worker transport', kind: 'noop' },
  // The defaults: no calls/s cap (CloudWatch throttles per account, not per stream), adaptive concurrency.
  'logbeam-unlimited': { label: 'logbeam, defaults', kind: 'logbeam', maxPutsPerSecond: 0 },
  'logbeam-metrics': { label: 'logbeam, defaults, `metrics` set, no metric field in the lines', kind: 'logbeam', maxPutsPerSecond: 0 }
}

/** The `metrics` option of the logbeam-metrics case: the lines hold none of these fields, so none is parsed. */
const METRICS = { namespace: 'Bench', dimensions: [['service']], fields: { latencyMs: 'Milliseconds', bytesSent: 'Bytes', retries: 'Count' } }

function buildCases (quick) {
  const k = quick ? 10 : 1
  const cases = []
  const add = (group, name, variant, extra) => {
    cases.push({ id: `${name} ${variant}`, group, name, variant, ...VARIANTS[variant], mode: 'burst', ...extra })
  }
  for (const size of [
    { name: '100B', lineBytes: 100, count: 200_000 },
    { name: '1KB', lineBytes: 1024, count: 100_000 },
    { name: '10KB', lineBytes: 10_240, count: 20_000 }
  ]) {
    for (const variant of ['devnull', 'noop', 'logbeam-unlimited']) {
      // These cases measure throughput: a buffer that holds the whole burst, so that every line is
      // delivered and timed. The 1M case below measures memory with the default buffer.
      add('size', size.name, variant, { lineBytes: size.lineBytes, count: size.count / k, logbeamOptions: { maxBufferSize: 1024 * 1024 * 1024 } })
    }
  }
  // What `metrics` costs a line that holds no metric field (one scan of the line): against 100B logbeam-unlimited,
  // at the size where a per-line cost weighs most. bench/metrics-cost.js times the write path alone.
  add('size', '100B', 'logbeam-metrics', { lineBytes: 100, count: 200_000 / k, logbeamOptions: { maxBufferSize: 1024 * 1024 * 1024, metrics: METRICS } })
  // With the default buffer (64 MiB): a burst larger than it waits for room while calls succeed, nothing dropped.
  for (const variant of ['noop', 'logbeam-unlimited']) {
    add('million', '1M', variant, { lineBytes: 100, count: 1_000_000 / k, heapProbe: true })
  }
  const seconds = quick ? 1 : 3
  for (const variant of ['noop', 'logbeam-unlimited']) {
    add('sustained', 'sustained', variant, { lineBytes: 100, count: 100_000 * seconds, mode: 'paced', rate: 100_000, seconds })
  }
  return cases
}

function childEnv () {
  const env = { ...process.env }
  for (const name of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS', 'NODE_OPTIONS']) delete env[name]
  return {
    ...env,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1'
  }
}

function profileArgs (dir) {
  if (!dir) return []
  mkdirSync(dir, { recursive: true })
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`]
}

/** Starts bench/endpoint.js and resolves with its process and its `{ url, control }` line. */
function startEndpoint (profileDir) {
  const child = spawn(process.execPath, [...profileArgs(profileDir), ENDPOINT], {
    cwd: ROOT, env: childEnv(), stdio: ['pipe', 'pipe', 'inherit']
  })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the endpoint did not start within 15 s')), 15_000)
    const lines = createInterface({ input: child.stdout })
    lines.once('line', line => {
      clearTimeout(timer)
      lines.close()
      child.stdout.resume()
      try {
        resolve({ child, info: JSON.parse(line) })
      } catch (err) {
        reject(err)
      }
    })
    child.once('exit', code => {
      clearTimeout(timer)
      reject(new Error(`the endpoint exited (${code}) before it was ready`))
    })
  })
}

function stopEndpoint (endpoint) {
  if (!endpoint || endpoint.child.exitCode !== null) return Promise.resolve()
  return new Promise(resolve => {
    const kill = setTimeout(() => endpoint.child.kill('SIGKILL'), 10_000)
    endpoint.child.once('exit', () => {
      clearTimeout(kill)
      resolve()
    })
    endpoint.child.stdin.end()
    endpoint.child.kill('SIGTERM')
  })
}

/** Runs one case in a child process; resolves with its JSON result. */
async function runCase (c, profileDir) {
  const endpoint = c.kind === 'logbeam' ? await startEndpoint(profileDir && join(profileDir, 'endpoint')) : undefined
  try {
    const config = { id: c.id, kind: c.kind, lineBytes: c.lineBytes, count: c.count, mode: c.mode, rate: c.rate, maxPutsPerSecond: c.maxPutsPerSecond, heapProbe: c.heapProbe, logbeamOptions: c.logbeamOptions, endpoint: endpoint?.info }
    const child = spawn(process.execPath, ['--expose-gc', ...profileArgs(profileDir && join(profileDir, 'app')), CASE, JSON.stringify(config)], {
      cwd: ROOT, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe']
    })
    let out = ''
    let err = ''
    child.stdout.on('data', d => { out += d })
    child.stderr.on('data', d => { err += d })
    const timer = setTimeout(() => child.kill('SIGKILL'), CASE_TIMEOUT_MS)
    const code = await new Promise(resolve => child.once('exit', (code, signal) => resolve(code ?? signal)))
    clearTimeout(timer)
    const line = out.trim().split('\n').pop()
    if (code !== 0 || !line) throw new Error(`case ${c.id} failed (exit ${code}):\n${err.trim()}`)
    if (err.trim()) process.stderr.write(`  (${c.id} stderr) ${err.trim()}\n`)
    return JSON.parse(line)
  } finally {
    await stopEndpoint(endpoint)
  }
}

function median (values) {
  const v = values.filter(x => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b)
  if (v.length === 0) return null
  const mid = v.length >> 1
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2
}

/** Median of every number over the runs; booleans and counters take the worst run. */
function aggregate (runs) {
  const out = { runs: runs.length }
  for (const key of Object.keys(runs[0])) {
    if (key === 'window') continue
    const values = runs.map(r => r[key])
    const first = values[0]
    if (typeof first === 'number') out[key] = median(values)
    else if (key === 'complete') out[key] = values.every(Boolean)
    else if (key === 'bufferFull') out[key] = values.some(v => v === true) ? true : first
    else if (first !== null && typeof first === 'object') {
      out[key] = {}
      for (const k of Object.keys(first)) out[key][k] = Math.max(...values.map(v => v[k] ?? 0))
    } else out[key] = first
  }
  for (const key of ['dropped', 'failedPuts', 'stalls', 'drains']) {
    if (typeof out[key] === 'number') out[key] = Math.max(...runs.map(r => r[key] ?? 0))
  }
  return out
}

// ---------- formatting ----------

function num (v, digits = 0) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—'
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

const ratio = (a, b) => (a !== null && b !== null && Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : null)
const times = v => (v === null ? '—' : `${num(v, 2)}x`)

/** Columns of numbers (and '—') are right-aligned, text left-aligned. */
function numericColumns (headers, rows) {
  return headers.map((_, i) => i > 0 && rows.every(r => /^([+-]?[\d,.]+(x|%|\*)?|—)$/.test(String(r[i]))))
}

function renderText ({ title, note, headers, rows }) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map(r => String(r[i]).length)))
  const numeric = numericColumns(headers, rows)
  const line = cells => cells.map((cell, i) => (numeric[i] ? String(cell).padStart(widths[i]) : String(cell).padEnd(widths[i]))).join('  ').trimEnd()
  return [
    title,
    line(headers),
    widths.map(w => '-'.repeat(w)).join('  '),
    ...rows.map(line),
    ...(note ? [note] : []),
    ''
  ].join('\n')
}

function renderMarkdown ({ title, note, headers, rows }) {
  const numeric = numericColumns(headers, rows)
  const esc = s => String(s).replace(/\|/g, '\\|')
  return [
    `### ${title}`,
    '',
    `| ${headers.map(esc).join(' | ')} |`,
    `|${headers.map((_, i) => (numeric[i] ? ' ---: ' : ' --- ')).join('|')}|`,
    ...rows.map(r => `| ${r.map(esc).join(' | ')} |`),
    '',
    ...(note ? [note, ''] : [])
  ].join('\n')
}

function buildTables (cases, med) {
  const tables = []
  const of = (name, variant) => med[`${name} ${variant}`]
  const sizeCases = cases.filter(c => c.group === 'size' && med[c.id])
  tables.push({
    title: 'Main thread, burst logging (medians)',
    headers: ['case', 'lines', 'line B', 'main CPU ns/line', 'x /dev/null', 'x no-op', 'loop busy ns/line', 'in-call ns/line', 'main GC ms', 'ELD p99 ms', 'ELD max ms', 'logging ms'],
    rows: sizeCases.map(c => {
      const r = med[c.id]
      return [c.id, num(r.count), num(r.lineBytes), num(r.mainCpuNs), times(ratio(r.mainCpuNs, of(c.name, 'devnull')?.mainCpuNs ?? null)),
        times(ratio(r.mainCpuNs, of(c.name, 'noop')?.mainCpuNs ?? null)), num(r.mainBusyNs), num(r.callNs), num(r.mainGcMs, 1), num(r.eldP99Ms, 2), num(r.eldMaxMs, 1), num(r.logMs)]
    }),
    note: 'main CPU = the main thread\'s own CPU time (Linux schedstat) from the first measured line until it has handed every line over, per line; loop busy = event-loop utilization over the same span (also counts time the thread was ready but waiting for a core); in-call = time inside logger.info calls only; main GC = main-thread GC pauses over the span; ELD = event-loop delay while logging (monitorEventLoopDelay, 1 ms resolution; burst logging yields every ~64 KiB of lines).'
  })
  tables.push({
    title: 'Delivery, burst logging (medians)',
    headers: ['case', 'end-to-end ms', 'x no-op', 'lines/s', 'MB/s', 'process CPU µs/line', 'worker CPU µs/line', 'endpoint CPU µs/line', 'peak RSS MiB', 'worker lag max KiB', 'puts', 'lines/put', 'KiB/put', 'fill %', 'delivered'],
    rows: sizeCases.map(c => deliveryRow(c, med[c.id], of(c.name, 'noop'))),
    note: 'end-to-end = first measured log call until the endpoint holds every line (logbeam; logger.flush() is called after the last line), until the worker has consumed the last line (no-op), until sonic-boom has written everything (/dev/null). MB = 10^6 bytes of log lines. process CPU = user+system of the whole app process (all threads) over the same span; worker CPU = the worker thread alone. fill = mean over calls, last (tail) call excluded, of max(events/10000, bytes/1 MiB).'
  })
  const million = cases.filter(c => c.group === 'million' && med[c.id])
  if (million.length > 0) {
    const base = of('1M', 'noop')
    tables.push({
      title: '1,000,000 lines of ~100 B, burst (medians)',
      headers: ['case', 'peak RSS MiB', 'vs no-op MiB', 'RSS at start MiB', 'main heap peak MiB', 'main ArrayBuffers peak MiB', 'worker heap peak MiB', 'worker heap used peak MiB', 'worker lag max KiB', 'end-to-end ms', 'x no-op', 'lines/s', 'process CPU µs/line', 'puts', 'delivered'],
      rows: million.map(c => {
        const r = med[c.id]
        const vs = base && c.variant !== 'noop' ? r.peakRssMiB - base.peakRssMiB : null
        return [c.id, num(r.peakRssMiB, 1), vs === null ? '—' : `${vs >= 0 ? '+' : ''}${num(vs, 1)}`, num(r.rssStartMiB, 1), num(r.mainHeapPeakMiB, 1), num(r.mainArrayBuffersPeakMiB, 1),
          num(r.workerHeapPeakMiB, 1), num(r.workerHeapUsedPeakMiB, 1), num(r.maxLagKiB), num(r.e2eMs),
          c.variant === 'noop' ? '—' : times(ratio(r.e2eMs, base?.e2eMs ?? null)), num(r.eventsPerSec), num(r.procCpuUs, 2), num(r.puts), deliveredCell(r)]
      }),
      note: 'peak RSS: process.memoryUsage() every 50 ms in the app process from the first measured line until completion. main heap = the main thread\'s V8 heap (heapTotal); main ArrayBuffers = Buffers, mostly the lines thread-stream holds for a worker that is behind; worker heap = the worker\'s V8 heap, reported by the worker every 50 ms (these two cases load the transport through bench/heap-report.js for that). logbeam runs with its default buffers (maxBufferSize 64 MiB, drop-oldest) and maxPutsPerSecond 0.'
    })
  }
  const sustained = cases.filter(c => c.group === 'sustained' && med[c.id])
  if (sustained.length > 0) {
    const base = of('sustained', 'noop')
    tables.push({
      title: `Sustained ${num(sustained[0].rate)} lines/s of ~100 B for ${sustained[0].seconds} s, paced every ~1 ms (medians; counts: worst run)`,
      headers: ['case', 'achieved lines/s', 'shared buffer full', 'worker lag max KiB', 'drain events', 'ticks > 1 ms', 'max tick ms', 'max gap ms', 'ELD p99 ms', 'ELD max ms', 'main GC max ms', 'main CPU ns/line', 'x no-op', 'worker CPU µs/line', 'endpoint CPU µs/line', 'tail ms', 'puts', 'fill %', 'delivered'],
      rows: sustained.map(c => {
        const r = med[c.id]
        return [c.id, num(r.achievedRate), r.bufferFull === null ? '—' : r.bufferFull ? 'YES' : 'no', num(r.maxLagKiB), num(r.drains), num(r.stalls), num(r.maxTickMs, 2), num(r.maxGapMs, 1),
          num(r.eldP99Ms, 2), num(r.eldMaxMs, 1), num(r.mainGcMaxMs, 1), num(r.mainCpuNs), c.variant === 'noop' ? '—' : times(ratio(r.mainCpuNs, base?.mainCpuNs ?? null)),
          num(r.workerCpuUs, 2), r.kind === 'logbeam' ? num(r.endpointCpuUs, 2) : '—', num(Math.max(0, r.drainMs)), num(r.puts), num(r.fillPct, 2), deliveredCell(r)]
      }),
      note: 'shared buffer full = at some sample the worker had not yet read a whole shared buffer\'s worth (4 MiB) of logged lines; worker lag = bytes logged but not yet read by the worker (held in the main thread + unread in the shared buffer), sampled every tick; drain events = times thread-stream reported its shared buffer out of room (it is used linearly and reset only when the worker has read all of it, so this also happens when the worker keeps up); tick = one ~1 ms batch of logging calls; max gap = longest time between two ticks; tail = last line logged until every line delivered/consumed.'
    })
  }
  return tables
}

function deliveredCell (r) {
  if (r.kind !== 'logbeam') return '—'
  return r.dropped > 0 ? `${num(r.delivered)} (dropped ${num(r.dropped)})` : `${num(r.delivered)} (all)`
}

function deliveryRow (c, r, noop) {
  const lb = r.kind === 'logbeam'
  return [c.id, num(r.e2eMs) + (r.complete ? '' : '*'), c.variant === 'noop' || c.variant === 'devnull' ? '—' : times(ratio(r.e2eMs, noop?.e2eMs ?? null)),
    num(r.eventsPerSec), num(r.mbPerSec, 1), num(r.procCpuUs, 2), num(r.workerCpuUs, 2), lb ? num(r.endpointCpuUs, 2) : '—', num(r.peakRssMiB, 1), num(r.maxLagKiB),
    lb ? num(r.puts) : '—', lb ? num(r.putEvents) : '—', lb ? num(r.putKiB) : '—', lb ? num(r.fillPct, 2) : '—', deliveredCell(r)]
}

/** Every target, per case it applies to, against the baselines measured in the same run. */
function evaluateTargets (cases, med) {
  const rows = []
  const of = (name, variant) => med[`${name} ${variant}`]
  const push = (target, c, measured, limit, pass, margin) => rows.push({ target, case: c.id, measured, limit, pass, margin })
  for (const c of cases.filter(c => c.kind === 'logbeam' && med[c.id])) {
    const r = med[c.id]
    const noop = of(c.name, 'noop')
    if (c.group === 'size' && noop) {
      const m = ratio(r.mainCpuNs, noop.mainCpuNs)
      if (m !== null) push('main thread <= 1.10x no-op', c, `${num(m, 2)}x (${num(r.mainCpuNs)} vs ${num(noop.mainCpuNs)} ns/line)`, '1.10x', m <= TARGETS.mainRatio, `${num(Math.abs(TARGETS.mainRatio - m), 2)}x ${m <= TARGETS.mainRatio ? 'headroom' : 'over'}`)
      if (r.eldP99Ms !== null && noop.eldP99Ms !== null) {
        const d = r.eldP99Ms - noop.eldP99Ms
        push('event-loop p99 within 1 ms of no-op', c, `${d >= 0 ? '+' : ''}${num(d, 2)} ms (${num(r.eldP99Ms, 2)} vs ${num(noop.eldP99Ms, 2)})`, '+1.00 ms', d <= TARGETS.eldDeltaMs, `${num(Math.abs(TARGETS.eldDeltaMs - d), 2)} ms ${d <= TARGETS.eldDeltaMs ? 'headroom' : 'over'}`)
      }
    }
    if ((c.group === 'size' || c.group === 'million') && c.maxPutsPerSecond === 0 && noop) {
      const e = ratio(r.e2eMs, noop.e2eMs)
      if (e !== null) push('end-to-end (rate limit off) <= 1.5x no-op', c, `${num(e, 2)}x (${num(r.e2eMs)} vs ${num(noop.e2eMs)} ms)${r.complete ? '' : ', NOT all delivered'}`, '1.50x', e <= TARGETS.e2eRatio && r.complete, `${num(Math.abs(TARGETS.e2eRatio - e), 2)}x ${e <= TARGETS.e2eRatio ? 'headroom' : 'over'}`)
    }
    if (r.fillPct !== null && r.fillPct !== undefined && (c.group === 'sustained' || c.group === 'size')) {
      push('batches >= 95% full (tail excluded)', c, `${num(r.fillPct, 2)}% mean, ${num(r.minFillPct, 2)}% min over ${num(r.puts)} calls`, '95%', r.fillPct >= TARGETS.fillPct, `${num(Math.abs(r.fillPct - TARGETS.fillPct), 2)} pts ${r.fillPct >= TARGETS.fillPct ? 'headroom' : 'short'}`)
    }
    const plain = of(c.name, 'logbeam-unlimited')
    if (c.variant === 'logbeam-metrics' && plain) {
      const w = ratio(r.workerCpuUs, plain.workerCpuUs)
      if (w !== null) push('metrics set, no metric field: worker CPU <= 1.10x unset', c, `${num(w, 2)}x (${num(r.workerCpuUs, 2)} vs ${num(plain.workerCpuUs, 2)} µs/line)`, '1.10x', w <= TARGETS.metricsRatio, `${num(Math.abs(TARGETS.metricsRatio - w), 2)}x ${w <= TARGETS.metricsRatio ? 'headroom' : 'over'}`)
    }
    if (c.group === 'million' && noop) {
      const d = r.peakRssMiB - noop.peakRssMiB
      push('1M lines: peak RSS <= no-op + 64 MiB', c, `+${num(d, 1)} MiB (${num(r.peakRssMiB, 1)} vs ${num(noop.peakRssMiB, 1)})`, '+64 MiB', d <= TARGETS.rssDeltaMiB, `${num(Math.abs(TARGETS.rssDeltaMiB - d), 1)} MiB ${d <= TARGETS.rssDeltaMiB ? 'headroom' : 'over'}`)
    }
    if (c.group === 'sustained' && r.bufferFull !== null) {
      push('100k lines/s: shared buffer never full (check)', c, `worker lag max ${num(r.maxLagKiB)} KiB of ${num(r.sharedBufferKiB)}; ${num(r.stalls)} ticks > 1 ms`, `< ${num(r.sharedBufferKiB)} KiB`, !r.bufferFull, r.bufferFull ? 'filled' : `${num(r.sharedBufferKiB - r.maxLagKiB)} KiB headroom`)
    }
  }
  return rows
}

function targetTable (rows) {
  return {
    title: 'Targets (against the baselines measured in this run)',
    headers: ['target', 'case', 'measured', 'limit', 'result', 'margin'],
    rows: rows.map(t => [t.target, t.case, t.measured, t.limit, t.pass ? 'PASS' : 'FAIL', t.margin])
  }
}

function machine () {
  let model = cpus()[0]?.model ?? 'unknown'
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))
    if (m) model = m[1].trim()
  } catch {}
  let commit = null
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {}
  const pkg = (name) => {
    try {
      return JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version
    } catch {
      return null
    }
  }
  return {
    nproc: availableParallelism(),
    cpu: model,
    node: process.version,
    memGiB: Math.round(totalmem() / 2 ** 30),
    commit,
    versions: { pino: pkg('pino'), 'thread-stream': pkg('thread-stream'), '@aws-sdk/client-cloudwatch-logs': pkg('@aws-sdk/client-cloudwatch-logs') }
  }
}

// ---------- profiling ----------

async function profileCase (c) {
  const slug = c.id.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()
  const dir = join(RESULTS, 'profiles', slug)
  rmSync(dir, { recursive: true, force: true })
  const result = await runCase(c, dir)
  const files = sub => {
    const d = join(dir, sub)
    return existsSync(d) ? readdirSync(d).filter(f => f.endsWith('.cpuprofile')).map(f => join(d, f)) : []
  }
  // File names are CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile: thread 0 is the main thread.
  const threadOf = f => Number(f.split('.').at(-3))
  const app = files('app')
  // Only the measured span counts (not start-up or warm-up); the endpoint's clock is the same
  // monotonic clock (same machine), so the same window applies to it.
  const window = result.window
  const worker = app.filter(f => threadOf(f) !== 0).map(f => summarizeProfile(f, 15, window))
  const main = app.filter(f => threadOf(f) === 0).map(f => summarizeProfile(f, 10, window))
  const endpoint = files('endpoint').map(f => summarizeProfile(f, 10, window))
  return { case: c.id, dir, result, worker: worker[0] ?? null, main: main[0] ?? null, endpoint: endpoint[0] ?? null }
}

function profileTables (p) {
  const tables = []
  const rel = f => f.slice(ROOT.length + 1)
  const lines = p.result.count
  if (p.worker) {
    tables.push({
      title: `Profile of ${p.case}: worker thread, top 15 functions by self time over the measured span (${num(p.worker.busyMs)} ms busy, ${num(p.worker.busyMs * 1000 / lines, 2)} µs/line under the profiler; ${rel(p.worker.file)})`,
      headers: ['function', 'where', 'self ms', '% busy', 'µs/line', 'category'],
      rows: p.worker.functions.map(f => [f.name, f.where, num(f.ms, 1), num(f.pct, 1), num(f.ms * 1000 / lines, 2), f.category])
    })
    tables.push({
      title: `Profile of ${p.case}: worker thread by category`,
      headers: ['category', 'self ms', '% busy', 'µs/line'],
      rows: p.worker.categories.slice(0, 16).map(k => [k.name, num(k.ms, 1), num(k.pct, 1), num(k.ms * 1000 / lines, 2)])
    })
  }
  for (const [name, prof] of [['main thread', p.main], ['endpoint process', p.endpoint]]) {
    if (!prof) continue
    tables.push({
      title: `Profile of ${p.case}: ${name} by category (${num(prof.busyMs)} ms busy; ${rel(prof.file)})`,
      headers: ['category', 'self ms', '% busy', 'µs/line'],
      rows: prof.categories.slice(0, 8).map(k => [k.name, num(k.ms, 1), num(k.pct, 1), num(k.ms * 1000 / lines, 2)])
    })
  }
  return tables
}

// ---------- main ----------

async function main () {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string' },
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      profile: { type: 'boolean', default: false },
      'profile-case': { type: 'string' },
      help: { type: 'boolean', short: 'h' }
    },
    strict: true
  })
  if (values.help) {
    process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 11).map(l => l.replace(/^\/\/ ?/, '')).join('\n') + '\n')
    return
  }
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) {
    process.stderr.write('bench: dist/ is missing: build first (npm run build)\n')
    process.exit(1)
  }
  const runs = values.runs !== undefined ? Number(values.runs) : values.quick ? 1 : 3
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number >= 1, got ${values.runs}`)
  const filters = values.only ? values.only.split(',').map(s => s.trim()).filter(Boolean) : []
  const all = buildCases(values.quick)
  const cases = filters.length ? all.filter(c => filters.some(f => c.id.includes(f))) : all
  if (cases.length === 0) throw new Error(`--only ${values.only} matches no case; cases: ${all.map(c => c.id).join(', ')}`)

  const info = { ...machine(), loadBefore: loadavg(), started: new Date().toISOString(), runs, quick: values.quick }
  process.stdout.write(`logbeam benchmark: ${cases.length} cases x ${runs} runs${values.quick ? ' (quick)' : ''}\n`)
  process.stdout.write(`machine: ${info.nproc} cores (nproc), ${info.cpu}, ${info.memGiB} GiB, node ${info.node}, load average ${loadavg().map(l => l.toFixed(2)).join(' ')}\n\n`)

  const began = Date.now()
  const raw = Object.fromEntries(cases.map(c => [c.id, []]))
  for (let round = 1; round <= runs; round++) {
    for (const c of cases) {
      const r = await runCase(c)
      raw[c.id].push(r)
      const extra = r.kind === 'logbeam' ? `, ${num(r.puts)} puts${r.dropped ? `, dropped ${num(r.dropped)}` : ''}` : ''
      process.stderr.write(`[${round}/${runs}] ${c.id.padEnd(28)} main ${num(r.mainCpuNs).padStart(6)} ns/line  e2e ${num(r.e2eMs).padStart(6)} ms  peak RSS ${num(r.peakRssMiB, 1).padStart(6)} MiB${extra}\n`)
    }
  }
  info.loadAfter = loadavg()
  info.seconds = Math.round((Date.now() - began) / 1000)

  const med = Object.fromEntries(cases.map(c => [c.id, aggregate(raw[c.id])]))
  const targets = evaluateTargets(cases, med)
  const tables = [...buildTables(cases, med), targetTable(targets)]
  const header = `machine: nproc ${info.nproc}, ${info.cpu}, ${info.memGiB} GiB RAM, node ${info.node}; load average before ${info.loadBefore.map(l => l.toFixed(2)).join(' ')}, after ${info.loadAfter.map(l => l.toFixed(2)).join(' ')}; ${runs} run(s) per case, medians; ${info.seconds} s; commit ${info.commit ?? '?'}${values.quick ? '; QUICK (a tenth of the lines)' : ''}`
  process.stdout.write('\n' + header + '\n\n' + tables.map(renderText).join('\n'))
  const failed = targets.filter(t => !t.pass)
  process.stdout.write(`\n${targets.length - failed.length} of ${targets.length} target checks pass${failed.length ? `; failing: ${[...new Set(failed.map(t => `${t.target} [${t.case}]`))].join('; ')}` : ''}\n`)

  mkdirSync(RESULTS, { recursive: true })
  const base = 'latest'
  const save = (profiles) => {
    const report = { machine: info, targets: TARGETS, cases, medians: med, runs: raw, checks: targets, profiles }
    writeFileSync(join(RESULTS, `${base}.json`), JSON.stringify(report, null, 2) + '\n')
    const md = [
      '# logbeam benchmark: latest results',
      '',
      `${header}.`,
      `Started ${info.started}. Produced by \`node bench/run.js${process.argv.slice(2).length ? ' ' + process.argv.slice(2).join(' ') : ''}\`.`,
      '',
      ...tables.map(renderMarkdown),
      ...(profiles ?? []).flatMap(p => profileTables(p).map(renderMarkdown))
    ].join('\n')
    writeFileSync(join(RESULTS, `${base}.md`), md)
  }
  save()
  process.stdout.write(`results: ${join('bench', 'results', `${base}.json`)}, ${join('bench', 'results', `${base}.md`)}\n`)

  if (values.profile || values['profile-case']) {
    const wanted = values['profile-case']?.split(',').map(s => s.trim()).filter(Boolean)
    let targetsToProfile = wanted
      ? all.filter(c => wanted.some(w => c.id.includes(w)))
      : cases.filter(c => failed.some(t => t.case === c.id))
    if (!wanted && targetsToProfile.length > PROFILE_MAX) {
      // One case per line size first (the worker's mix changes with size), then the rest.
      const seen = new Set()
      const first = targetsToProfile.filter(c => !seen.has(c.name) && seen.add(c.name))
      const skipped = targetsToProfile.length - PROFILE_MAX
      targetsToProfile = [...first, ...targetsToProfile.filter(c => !first.includes(c))].slice(0, PROFILE_MAX)
      process.stdout.write(`\n${skipped} more failing case(s) not profiled (at most ${PROFILE_MAX}); pick any with --profile-case\n`)
    }
    if (!wanted && targetsToProfile.length === 0) {
      process.stdout.write('\nevery target passes; profiling the rate-limit-off 100 B case to show where the worker\'s time goes\n')
      targetsToProfile = all.filter(c => c.id === '100B logbeam-unlimited')
    }
    const profiles = []
    for (const c of targetsToProfile) {
      process.stdout.write(`\nprofiling ${c.id} (node --cpu-prof; figures under the profiler are slower)...\n`)
      const p = await profileCase(c)
      profiles.push(p)
      process.stdout.write('\n' + profileTables(p).map(renderText).join('\n'))
    }
    save(profiles)
    process.stdout.write(`profiles: ${join('bench', 'results', 'profiles')}/\n`)
  }
}

main().catch(err => {
  process.stderr.write(`bench: ${err?.stack ?? err}\n`)
  process.exit(1)
})
