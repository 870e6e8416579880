#!/usr/bin/env node
// What routing by record costs per line in the worker: Pipeline.write() (timestamp, router, packer) on pino lines of
// ~100 B, with a sender that acknowledges at once, timed around the write calls only. Variants:
//
//   fixed          logStreamName without record placeholders: the baseline (nothing is read from lines)
//   {level}        one stream per level (pino's level is the first field: the scan stops early)
//   {field.tenant} one group per tenant, a field near the end of the line (three tenants)
//   both, nested   {field.req.tenantId} in the group and {level} in the stream
//
// And the line splitting pino-abstract-transport would do (split2 and a Transform stream per chunk, lines pushed as
// strings) against logbeam's own splitter, on the same 4 MiB chunks thread-stream hands over.
//
// Rounds are interleaved and the medians reported.
//   node bench/routing-cost.js [--lines N] [--rounds N]      (after a build; about 15 s)
import { parseArgs } from 'node:util'
import { createRequire } from 'node:module'
import { resolveOptions } from '../dist/options.js'
import { Pipeline } from '../dist/pipeline/pipeline.js'
import { LineSplitter } from '../dist/pipeline/line-splitter.js'

const { values } = parseArgs({ options: { lines: { type: 'string', default: '200000' }, rounds: { type: 'string', default: '9' } } })
const LINES = Number(values.lines)
const ROUNDS = Number(values.rounds)
const CHUNK = 10_000
const TENANTS = ['acme', 'globex', 'initech']

const sender = {
  limit: 16,
  healthy: true,
  send: async batch => ({ delivered: batch.count, rejected: 0, undelivered: 0 })
}

const time = Date.now()
// Cut from one text, as the splitter cuts them from thread-stream's chunks (flat strings, not concatenations).
const LINES_100B = Array.from({ length: CHUNK }, (_, i) =>
  `{"level":${i % 7 === 0 ? 50 : 30},"time":${time + i},"pid":4242,"hostname":"bench","req":{"tenantId":"${TENANTS[i % 3]}"},` +
  `"tenant":"${TENANTS[i % 3]}","msg":"handled"}`).join('\n').split('\n')

const VARIANTS = [
  { name: 'fixed', group: 'bench', stream: 'bench' },
  { name: '{level}', group: 'bench', stream: '{level}' },
  { name: '{field.tenant}', group: 'bench/{field.tenant}', stream: 'bench' },
  { name: 'both, nested', group: 'bench/{field.req.tenantId}', stream: '{level}' }
]

/** ns per line for one round of LINES lines through a fresh pipeline. */
async function round (variant) {
  const opts = resolveOptions({ logGroupName: variant.group, logStreamName: variant.stream, stderr: false, bufferDuration: 60_000, idleFlush: 0 })
  const pipeline = new Pipeline(opts, sender, () => {})
  let ns = 0n
  for (let done = 0; done < LINES; done += CHUNK) {
    const now = Date.now()
    const start = process.hrtime.bigint()
    for (const line of LINES_100B) pipeline.write(line, now)
    ns += process.hrtime.bigint() - start
    await pipeline.flush()
  }
  await pipeline.close()
  return Number(ns) / LINES
}

/** The same lines as thread-stream hands them over: 4 MiB strings. */
const TEXT = (() => {
  const one = LINES_100B.join('\n') + '\n'
  return one.repeat(Math.ceil(LINES / CHUNK))
})()
const CHUNKS = []
for (let i = 0; i < TEXT.length; i += 4 * 1024 * 1024) CHUNKS.push(TEXT.slice(i, i + 4 * 1024 * 1024))

/** ns per line to cut the chunks into lines with logbeam's splitter. */
function ownSplitter () {
  let n = 0
  const splitter = new LineSplitter(() => { n++ })
  const start = process.hrtime.bigint()
  for (const chunk of CHUNKS) splitter.write(chunk)
  splitter.end()
  return Number(process.hrtime.bigint() - start) / n
}

/** ns per line through split2, as pino-abstract-transport builds it (parseLine returning the line). */
// split2 as pino-abstract-transport loads it (it is that package's dependency, not logbeam's).
const requireHere = createRequire(import.meta.url)
const split2 = createRequire(requireHere.resolve('pino-abstract-transport'))('split2')
async function abstractTransportSplit () {
  let n = 0
  const stream = split2(line => line)
  stream.on('data', () => { n++ })
  const start = process.hrtime.bigint()
  for (const chunk of CHUNKS) stream.write(chunk)
  await new Promise(resolve => stream.end(resolve))
  return Number(process.hrtime.bigint() - start) / n
}

const median = v => [...v].sort((a, b) => a - b)[v.length >> 1]
const results = Object.fromEntries([...VARIANTS.map(v => v.name), 'splitter', 'split2'].map(n => [n, []]))
for (const v of VARIANTS) await round(v) // warm-up: JIT
ownSplitter()
await abstractTransportSplit()
for (let r = 0; r < ROUNDS; r++) {
  for (const v of VARIANTS) results[v.name].push(await round(v))
  results.splitter.push(ownSplitter())
  results.split2.push(await abstractTransportSplit())
}
const line = (name, base) => {
  const m = median(results[name])
  const spread = `${Math.min(...results[name]).toFixed(0)}-${Math.max(...results[name]).toFixed(0)}`
  const vs = base === undefined ? '' : `${m - base >= 0 ? '+' : ''}${(m - base).toFixed(0)} ns`
  return `  ${name.padEnd(16)} ${m.toFixed(0).padStart(5)} ns/line  (${spread})  ${vs}\n`
}
const base = median(results.fixed)
process.stdout.write(`Pipeline.write(), ${LINES} lines of ~${LINES_100B[1].length} B per round, ${ROUNDS} rounds, medians (node ${process.version})\n`)
for (const v of VARIANTS) process.stdout.write(line(v.name, v.name === 'fixed' ? undefined : base))
process.stdout.write('Cutting 4 MiB chunks into lines\n')
process.stdout.write(line('splitter'))
process.stdout.write(line('split2', median(results.splitter)))
