#!/usr/bin/env node
// What the `metrics` option costs per line in the worker: Pipeline.write() (timestamp, EMF writer, packer) on pino
// lines of ~100 B, with a sender that acknowledges at once, timed around the write calls only. Variants:
//
//   unset        no `metrics` option: the baseline
//   set, none    `metrics` set (3 fields), lines without any of them: the scan that decides a line needs nothing
//   set, metric  `metrics` set, every line holding one field: parse + `_aws` (for scale)
//
// Rounds are interleaved (each variant once, then again) and the medians reported.
//   node bench/metrics-cost.js [--lines N] [--rounds N]      (after a build; about 10 s)
import { parseArgs } from 'node:util'
import { resolveOptions } from '../dist/options.js'
import { Pipeline } from '../dist/pipeline/pipeline.js'

const { values } = parseArgs({ options: { lines: { type: 'string', default: '200000' }, rounds: { type: 'string', default: '9' } } })
const LINES = Number(values.lines)
const ROUNDS = Number(values.rounds)
const CHUNK = 10_000
const METRICS = { namespace: 'Bench', dimensions: [['service']], fields: { latencyMs: 'Milliseconds', bytesSent: 'Bytes', retries: 'Count' } }

const sender = {
  limit: 16,
  healthy: true,
  send: async batch => ({ delivered: batch.count, rejected: 0, undelivered: 0 })
}

/** pino lines of ~100 B; with `metric`, each holds latencyMs. */
function lines (metric) {
  const time = Date.now()
  return Array.from({ length: CHUNK }, (_, i) => metric
    ? `{"level":30,"time":${time + i},"pid":4242,"hostname":"bench","service":"api","latencyMs":${i % 97},"msg":"done"}`
    : `{"level":30,"time":${time + i},"pid":4242,"hostname":"bench-host","n":${2_000_000 + i},"msg":"request handled"}`)
}

const VARIANTS = [
  { name: 'unset', metrics: undefined, lines: lines(false) },
  { name: 'set, none', metrics: METRICS, lines: lines(false) },
  { name: 'set, metric', metrics: METRICS, lines: lines(true) }
]

/** ns per line for one round of LINES lines through a fresh pipeline. */
async function round (variant) {
  const opts = resolveOptions({ logGroupName: 'bench', logStreamName: 'bench', stderr: false, bufferDuration: 60_000, idleFlush: 0, metrics: variant.metrics })
  const pipeline = new Pipeline(opts, sender, () => {})
  let ns = 0n
  for (let done = 0; done < LINES; done += CHUNK) {
    const now = Date.now()
    const start = process.hrtime.bigint()
    for (const line of variant.lines) pipeline.write(line, now)
    ns += process.hrtime.bigint() - start
    await pipeline.flush()
  }
  await pipeline.close()
  return Number(ns) / LINES
}

const median = v => [...v].sort((a, b) => a - b)[v.length >> 1]
const results = Object.fromEntries(VARIANTS.map(v => [v.name, []]))
for (const v of VARIANTS) await round(v) // warm-up: JIT
for (let r = 0; r < ROUNDS; r++) for (const v of VARIANTS) results[v.name].push(await round(v))
const base = median(results.unset)
process.stdout.write(`Pipeline.write(), ${LINES} lines of ~100 B per round, ${ROUNDS} rounds, medians (node ${process.version})\n`)
for (const v of VARIANTS) {
  const m = median(results[v.name])
  const spread = `${Math.min(...results[v.name]).toFixed(0)}-${Math.max(...results[v.name]).toFixed(0)}`
  process.stdout.write(`  ${v.name.padEnd(12)} ${m.toFixed(0).padStart(5)} ns/line  (${spread})  ${v.name === 'unset' ? '' : `${m - base >= 0 ? '+' : ''}${(m - base).toFixed(0)} ns vs unset`}\n`)
}
