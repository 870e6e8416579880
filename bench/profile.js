// Reads V8 .cpuprofile files (node --cpu-prof) and sums self time by function and by category.
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'

/**
 * Self time (ms) of each node of a profile: each sample is charged the time until the next one.
 * With a window ({ startUs, endUs } on the profiler's clock, which is process.hrtime's), only the
 * samples taken inside it count.
 */
function selfTimes (profile, window) {
  const self = new Map()
  const { samples = [], timeDeltas = [] } = profile
  let at = profile.startTime
  for (let i = 0; i < samples.length; i++) {
    at += timeDeltas[i] ?? 0
    const until = i + 1 < timeDeltas.length ? at + timeDeltas[i + 1] : profile.endTime
    if (window && (at < window.startUs || at > window.endUs)) continue
    self.set(samples[i], (self.get(samples[i]) ?? 0) + Math.max(0, until - at) / 1000)
  }
  return self
}

function shortUrl (url) {
  if (!url) return ''
  const path = url.replace(/^file:\/\//, '')
  const nm = path.lastIndexOf('/node_modules/')
  if (nm >= 0) return path.slice(nm + '/node_modules/'.length)
  const dist = path.lastIndexOf('/dist/')
  if (dist >= 0) return `logbeam ${path.slice(dist + 1)}`
  const bench = path.lastIndexOf('/bench/')
  if (bench >= 0) return path.slice(bench + 1)
  return path.startsWith('node:') ? path : basename(path)
}

/** What a function is part of, for the "what dominates" summary. */
export function category (frame) {
  const { functionName: fn, url } = frame
  if (fn === '(garbage collector)') return 'GC'
  if (fn === '(idle)') return 'idle'
  if (fn === '(program)') return 'VM / native (program)'
  if (fn === '(root)') return 'VM / native (program)'
  if (!url) {
    if (fn === 'stringify' || fn === 'parse') return `JSON.${fn} (built-in)`
    return `built-in: ${fn || '(anonymous)'}`
  }
  const u = url
  if (/@smithy\/signature-v4|@aws-crypto|@smithy\/hash-node|@smithy\/util-hex-encoding/.test(u)) return 'SDK: SigV4 signing + body hashing'
  if (/@smithy\/node-http-handler/.test(u)) return 'SDK: HTTP handler'
  if (/@smithy\/middleware-retry|@smithy\/util-retry/.test(u)) return 'SDK: retry middleware'
  if (/client-cloudwatch-logs|@smithy\/core|@smithy\/smithy-client|@smithy\/middleware-serde|@aws-sdk\/core|@smithy\/protocol-http|@smithy\/util-body-length/.test(u)) return 'SDK: request (de)serialisation + middleware'
  if (/@smithy|@aws-sdk/.test(u)) return 'SDK: other'
  if (u.includes('/split2/')) return 'split2 (line splitting)'
  if (u.includes('/thread-stream/')) return 'thread-stream'
  if (u.includes('/pino-abstract-transport/')) return 'pino-abstract-transport'
  if (u.includes('/node_modules/pino/') || u.includes('/node_modules/sonic-boom/') || u.includes('/node_modules/fast-redact/')) return 'pino (serialising lines)'
  if (u.includes('/node_modules/')) return `dep: ${shortUrl(u).split('/')[0]}`
  if (u.includes('/dist/local/')) return 'local endpoint (lib/local)'
  if (u.includes('/dist/')) return `logbeam: ${basename(u, '.js')}`
  if (u.includes('/bench/')) return 'bench harness'
  if (u.startsWith('node:')) {
    if (/streams|string_decoder/.test(u)) return 'node: streams / string_decoder'
    if (/_http|http_parser|\bhttp\b/.test(u)) return 'node: http'
    if (/net|stream_base|tcp/.test(u)) return 'node: net / sockets'
    if (/buffer/.test(u)) return 'node: buffer'
    if (/crypto/.test(u)) return 'node: crypto'
    if (/timers|task_queues|process\/|async_hooks|events/.test(u)) return 'node: timers / events / ticks'
    return `node: ${u.slice(5).replace(/^internal\//, '').split('/')[0]}`
  }
  return `other: ${shortUrl(u)}`
}

/**
 * The top `top` functions by self time, and every category, of one profile (within `window` if
 * given). Percentages are of the busy time (everything but `(idle)`).
 */
export function summarizeProfile (file, top = 15, window = undefined) {
  const profile = JSON.parse(readFileSync(file, 'utf8'))
  const self = selfTimes(profile, window)
  const byFunction = new Map()
  const byCategory = new Map()
  let busy = 0
  let idle = 0
  for (const node of profile.nodes) {
    const ms = self.get(node.id) ?? 0
    if (ms === 0) continue
    const frame = node.callFrame
    const cat = category(frame)
    if (cat === 'idle') {
      idle += ms
      continue
    }
    busy += ms
    const name = frame.functionName || '(anonymous)'
    const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : ''
    const key = `${name}\u0000${where}`
    const entry = byFunction.get(key) ?? { name, where, category: cat, ms: 0 }
    entry.ms += ms
    byFunction.set(key, entry)
    byCategory.set(cat, (byCategory.get(cat) ?? 0) + ms)
  }
  const pct = ms => (busy > 0 ? 100 * ms / busy : 0)
  return {
    file,
    window: window ?? null,
    busyMs: busy,
    idleMs: idle,
    functions: [...byFunction.values()].sort((a, b) => b.ms - a.ms).slice(0, top).map(f => ({ ...f, pct: pct(f.ms) })),
    categories: [...byCategory.entries()].sort((a, b) => b[1] - a[1]).map(([name, ms]) => ({ name, ms, pct: pct(ms) }))
  }
}
