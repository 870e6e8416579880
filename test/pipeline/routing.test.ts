import t from 'tap'
import type { Batch, LogEvent, Outcome, SendBudget, Sender, Target } from '../../lib/pipeline/batch.js'
import { decodeEvents } from '../../lib/pipeline/encoded-batch.js'
import { DESTINATION_IDLE_MS, Pipeline } from '../../lib/pipeline/pipeline.js'
import { resolveOptions, type Options } from '../../lib/options.js'
import type { EventInfo } from '../../lib/diagnostics.js'
import { Spool } from '../../lib/pipeline/spool.js'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A sender that records every call; calls to streams listed in `held` wait until released. */
class FakeSender implements Sender {
  readonly limit = 8
  readonly healthy = true
  readonly calls: Array<{ target: Target, events: LogEvent[] }> = []
  readonly held = new Set<string>()
  readonly #waiting: Array<() => void> = []
  async send (batch: Batch, target: Target, budget: SendBudget): Promise<Outcome> {
    if (this.held.has(target.logStreamName)) {
      // Like the uploader, a send given up by close() ends undelivered.
      const aborted = await new Promise<boolean>(resolve => {
        this.#waiting.push(() => resolve(false))
        budget.signal.addEventListener('abort', () => resolve(true), { once: true })
      })
      if (aborted) return { delivered: 0, rejected: 0, undelivered: batch.count }
    }
    this.calls.push({ target, events: decodeEvents(batch) })
    return { delivered: batch.count, rejected: 0, undelivered: 0 }
  }

  release (): void {
    this.held.clear()
    for (const resolve of this.#waiting.splice(0)) resolve()
  }

  stored (group: string, stream: string): unknown[] {
    return this.calls.filter(c => c.target.logGroupName === group && c.target.logStreamName === stream)
      .flatMap(c => c.events.map(e => JSON.parse(e.message)))
  }
}

function start (options: Partial<Options> & { logGroupName: string }) {
  const sender = new FakeSender()
  const events: EventInfo[] = []
  const opts = resolveOptions({ bufferDuration: 60_000, idleFlush: 0, ...options })
  const pipeline = new Pipeline(opts, sender, (_name, info) => { events.push(info) })
  return { sender, pipeline, events }
}

const line = (fields: Record<string, unknown>): string => JSON.stringify({ level: 30, time: 1_764_000_000_000, ...fields })

t.test('three tenants and two levels: every line in its group and stream, in order', async t => {
  const { sender, pipeline } = start({ logGroupName: 'app/{field.tenant}', logStreamName: '{level}', batchCount: 7 })
  const tenants = ['acme', 'globex', 'initech']
  const sent: Record<string, number[]> = {}
  for (let seq = 0; seq < 300; seq++) {
    const tenant = tenants[seq % 3]!
    const level = seq % 5 === 0 ? 50 : 30
    pipeline.write(line({ tenant, level, seq, time: 1_764_000_000_000 + seq }))
    ;(sent[`app/${tenant}|${level === 50 ? 'error' : 'info'}`] ??= []).push(seq)
  }
  await pipeline.flush()
  t.equal(Object.keys(sent).length, 6)
  for (const [where, seqs] of Object.entries(sent)) {
    const [group, stream] = where.split('|') as [string, string]
    t.same(sender.stored(group, stream).map(m => (m as { seq: number }).seq), seqs, `${where}: all, in order`)
  }
  t.equal(sender.calls.length, sender.calls.filter(c => c.events.length <= 7).length, 'each destination packs its own')
})

t.test('a stream whose calls hang does not hold the others back', async t => {
  const { sender, pipeline } = start({ logGroupName: 'app', logStreamName: '{field.s}' })
  sender.held.add('slow')
  pipeline.write(line({ s: 'slow', seq: 0 }))
  pipeline.write(line({ s: 'fast', seq: 1 }))
  const fast = pipeline.flush()
  let flushed = false
  fast.then(() => { flushed = true }, () => {})
  // The flush waits for both; the fast stream's call is made while the slow one hangs.
  await new Promise(resolve => setImmediate(resolve))
  t.same(sender.calls.map(c => c.target.logStreamName), ['fast'])
  t.notOk(flushed, 'flush covers every destination')
  sender.release()
  await fast
  t.same(sender.calls.map(c => c.target.logStreamName), ['fast', 'slow'])
})

t.test('batches of one stream stay ordered while another is in flight', async t => {
  const { sender, pipeline } = start({ logGroupName: 'app', logStreamName: '{field.s}', batchCount: 2 })
  sender.held.add('a')
  for (let seq = 0; seq < 6; seq++) pipeline.write(line({ s: 'a', seq, time: 1_764_000_000_000 }))
  for (let seq = 0; seq < 6; seq++) pipeline.write(line({ s: 'b', seq, time: 1_764_000_000_000 }))
  const flushed = pipeline.flush()
  await new Promise(resolve => setImmediate(resolve))
  t.same(sender.stored('app', 'b').map(m => (m as { seq: number }).seq), [0, 1, 2, 3, 4, 5],
    'b went out in full while a waits (equal timestamps: one call after the other)')
  sender.release()
  await flushed
  t.same(sender.stored('app', 'a').map(m => (m as { seq: number }).seq), [0, 1, 2, 3, 4, 5])
})

t.test('maxDestinations holds, idle destinations are flushed and forgotten', async t => {
  const { sender, pipeline, events } = start({
    logGroupName: 'app',
    logStreamName: '{field.user|other}',
    maxDestinations: 2
  })
  const at = 1_000_000
  pipeline.write(line({ user: 'a', seq: 0 }), at)
  pipeline.write(line({ user: 'b', seq: 1 }), at)
  pipeline.write(line({ user: 'c', seq: 2 }), at + 10)
  t.equal(pipeline.destinations, 3, 'a, b and the fallback')
  t.equal(events.filter(e => e.reason === 'maxDestinations').length, 1)
  // A minute without a line for a and b: the next new name makes them go.
  pipeline.write(line({ user: 'd', seq: 3 }), at + DESTINATION_IDLE_MS + 5)
  t.equal(pipeline.destinations, 2, 'the fallback and d')
  await pipeline.flush()
  t.same(sender.stored('app', 'a'), [{ level: 30, time: 1_764_000_000_000, user: 'a', seq: 0 }], 'a was flushed first')
  t.same(sender.stored('app', 'other').map(m => (m as { seq: number }).seq), [2])
  t.same(sender.stored('app', 'd').map(m => (m as { seq: number }).seq), [3])
})

t.test('close sends what every destination holds', async t => {
  const { sender, pipeline } = start({ logGroupName: 'app', logStreamName: '{field.s}' })
  for (let seq = 0; seq < 50; seq++) pipeline.write(line({ s: `s${seq % 5}`, seq }))
  const result = await pipeline.close()
  t.equal(result.delivered, 50)
  t.equal(new Set(sender.calls.map(c => c.target.logStreamName)).size, 5)
})

t.test('without record placeholders nothing is read from lines', async t => {
  const { sender, pipeline } = start({ logGroupName: 'app', logStreamName: 'plain' })
  pipeline.write('not json at all {field.x}')
  await pipeline.flush()
  t.same(sender.calls[0]!.target, { logGroupName: 'app', logStreamName: 'plain' })
  t.equal(pipeline.destinations, 1)
})

t.test('the spool keeps each destination\'s batches with their own group and stream', async t => {
  const dir = mkdtempSync(join(tmpdir(), 'logbeam-routing-spool-'))
  const sender = new FakeSender()
  sender.held.add('a')
  sender.held.add('b')
  const opts = resolveOptions({ logGroupName: 'app/{field.g}', logStreamName: '{field.s}', spoolDir: dir, closeTimeout: 0, bufferDuration: 60_000, idleFlush: 0 })
  const pipeline = new Pipeline(opts, sender, () => {}, new Spool(dir, 1 << 24, () => {}))
  pipeline.write(line({ g: 'x', s: 'a', seq: 0 }))
  pipeline.write(line({ g: 'y', s: 'b', seq: 1 }))
  pipeline.write(line({ g: 'y', s: 'b', seq: 2 }))
  const result = await pipeline.close()
  t.equal(result.undelivered, 3, 'nothing went out: both streams hang')
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter(f => f.isFile())
  const saved = files.map(f => JSON.parse(readFileSync(join(f.parentPath, f.name), 'utf8')) as
    { target: { logGroupName: string, logStreamName: string }, events: Array<{ message: string }> })
  t.same(saved.map(f => `${f.target.logGroupName}/${f.target.logStreamName}:${f.events.length}`).sort(),
    ['app/x/a:1', 'app/y/b:2'], 'each batch on disk names where it goes')
  sender.release()
})

t.test('open batches of many destinations never fill the bound by themselves: the input never stalls', async t => {
  const { sender, pipeline } = start({ logGroupName: 'app', logStreamName: 's-{field.k}', maxBufferSize: 3_145_728 })
  const pad = 'x'.repeat(20_000)
  for (let seq = 0; seq < 600; seq++) {
    pipeline.write(line({ k: seq % 10, seq, pad }))
    if (pipeline.bufferedBytes > 3_145_728 / 3 + 300_000 && sender.calls.length === 0) {
      t.fail(`open batches hold ${pipeline.bufferedBytes} bytes and nothing was sent`)
      return
    }
    if (pipeline.mustWait) {
      // Only sends can make room here (no timer runs within the wait: bufferDuration 60 s, idleFlush off).
      const drained = new Promise<boolean>(resolve => pipeline.onDrain(() => resolve(true)))
      const timeout = new Promise<boolean>(resolve => setTimeout(() => resolve(false), 2000).unref())
      if (!await Promise.race([drained, timeout])) {
        t.fail(`the input waited for room that never came (line ${seq}, ${pipeline.bufferedBytes} bytes)`)
        return
      }
    }
  }
  await pipeline.flush()
  t.equal(sender.calls.reduce((n, c) => n + c.events.length, 0), 600, 'every line sent')
  for (let k = 0; k < 10; k++) {
    const seqs = sender.stored('app', `s-${k}`).map(m => (m as { seq: number }).seq)
    t.same(seqs, Array.from({ length: 60 }, (_, i) => i * 10 + k), `s-${k}: in order`)
  }
})
