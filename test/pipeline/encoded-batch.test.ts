import t from 'tap'
import type { LogEvent } from '../../lib/pipeline/batch.js'
import {
  BATCH_MEMORY, batchMemory, bodyFrame, decodeEvents, encodeBatch, holdsMessage, mergeBatches, releaseBatch, retimed
} from '../../lib/pipeline/encoded-batch.js'
import { SendQueue } from '../../lib/pipeline/send-queue.js'

/** Messages that JSON has to escape, in every way it can: quotes, backslashes, controls, separators, astral. */
const AWKWARD = ['{"msg":"plain"}', 'quotes " \\" and \\\\', 'tab\tnl\ncr\r nul\u0000 bell\u0007', '\u2028\u2029',
  '😀 € ü', '"message":"x"}', '},{"timestamp":1,"message":"forged"}']

function events (n: number, from: number, seed: number): LogEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    timestamp: 1_800_000_000_000 + from + i,
    message: `${AWKWARD[(seed + i) % AWKWARD.length]!} #${from + i}`
  }))
}

t.test('a batch is the JSON of its events, with their count, size and ends', async t => {
  const list = events(40, 0, 3)
  const batch = encodeBatch(list, 7)
  t.equal(batch.data.toString('utf8'), JSON.stringify(list), 'the bytes of the logEvents array')
  t.same(decodeEvents(batch), list, 'every event back as logged')
  t.equal(batch.count, 40)
  t.equal(batch.bytes, list.reduce((n, e) => n + Buffer.byteLength(e.message) + 26, 0), 'counted the service\'s way')
  t.same([batch.first, batch.last, batch.openedAt], [list[0]!.timestamp, list[39]!.timestamp, 7])
  t.equal(batchMemory(batch), batch.data.length + BATCH_MEMORY, 'memory is the bytes held')
})

t.test('merged batches are byte for byte the batch of all their events, in order', async t => {
  for (let round = 0; round < 50; round++) {
    const parts = 1 + (round % 6)
    const lists: LogEvent[][] = []
    let from = 0
    for (let p = 0; p < parts; p++) {
      const n = 1 + ((round * 7 + p * 13) % 23)
      lists.push(events(n, from, round + p))
      from += n
    }
    const batches = lists.map((l, i) => encodeBatch(l, 100 - i))
    const merged = mergeBatches(batches)
    const all = lists.flat()
    const whole = encodeBatch(all, 0)
    if (!merged.data.equals(whole.data)) t.fail(`round ${round}: bytes differ`)
    if (merged.count !== all.length || merged.bytes !== whole.bytes || merged.first !== whole.first ||
      merged.last !== whole.last || merged.openedAt !== 100 - (parts - 1)) t.fail(`round ${round}: counts differ`)
  }
  const one = encodeBatch(events(3, 0, 0), 0)
  t.equal(mergeBatches([one]), one, 'a batch alone is not copied')
})

t.test('timestamps are moved into the window only when one is outside it, messages untouched', async t => {
  const list = events(10, 0, 1)
  const batch = encodeBatch(list, 5)
  const inside = retimed(batch, { min: list[0]!.timestamp, max: list[9]!.timestamp })
  t.equal(inside.batch, batch, 'nothing to move: the same batch, no encoding')
  t.equal(inside.moved, 0)
  const min = list[3]!.timestamp
  const out = retimed(batch, { min, max: list[7]!.timestamp })
  t.equal(out.moved, 5, 'three too old, two too new')
  const back = decodeEvents(out.batch)
  t.same(back.map(e => e.message), list.map(e => e.message), 'every message as it was')
  t.same(back.map(e => e.timestamp).slice(0, 4), [min, min, min, min])
  t.same([out.batch.first, out.batch.last, out.batch.bytes, out.batch.openedAt], [min, list[7]!.timestamp, batch.bytes, 5])
  t.same(decodeEvents(batch), list, 'the batch given is left as it was')
})

t.test('a message is found only whole, however it is escaped', async t => {
  const batch = encodeBatch(AWKWARD.map((message, i) => ({ timestamp: i, message })), 0)
  AWKWARD.forEach((message, i) => t.ok(holdsMessage(batch, message), `awkward message ${i}`))
  t.notOk(holdsMessage(batch, 'x'), 'a message quoted inside another is not it')
  t.notOk(holdsMessage(batch, 'forged'), 'nor one forged in a message\'s text')
  t.notOk(holdsMessage(batch, '{"msg":"plain"'), 'nor the start of one')
  t.notOk(holdsMessage(batch, 'msg'))
})

const canRelease = typeof (new ArrayBuffer(0) as { transfer?: unknown }).transfer === 'function'

t.test('a batch with a body of its own gives its memory back at once; others are left to the collector', { skip: canRelease ? false : 'no ArrayBuffer.prototype.transfer (Node 20)' }, async t => {
  const sealed = encodeBatch(events(50, 0, 2), 0, undefined, bodyFrame({ logGroupName: 'g', logStreamName: 's' }))
  const store = sealed.body!.bytes.buffer
  t.ok(store.byteLength > 0)
  releaseBatch(sealed)
  t.equal(store.byteLength, 0, 'its memory is gone')
  t.equal(sealed.data.length, 0, 'and the batch is empty')
  const merged = mergeBatches([encodeBatch(events(2, 0, 1), 0), encodeBatch(events(2, 2, 1), 0)])
  const length = merged.data.length
  releaseBatch(merged)
  t.equal(merged.data.length, length, 'bytes that may share their memory are not touched')
})

t.test('the queue gives back the batches it drops, after the drop is counted', { skip: canRelease ? false : 'no ArrayBuffer.prototype.transfer (Node 20)' }, async t => {
  // Calls fail and one is in flight: the bound drops the oldest waiting batches.
  const sender = { limit: 1, healthy: false, send: async () => await new Promise<never>(() => {}) }
  const seen: Array<{ count: number, bytes: number }> = []
  const queue = new SendQueue({ maxBufferSize: 3 * 1024, overflow: 'drop-oldest', batchCount: 10_000, batchSize: 1_048_576 },
    sender, { dropped: b => seen.push({ count: b.count, bytes: b.data.length }), delivered: () => {}, drained: () => {} })
  const frame = bodyFrame({ logGroupName: 'g', logStreamName: 's' })
  const batches = Array.from({ length: 6 }, (_, i) => encodeBatch(events(10, i * 10, i), 0, undefined, frame))
  for (const b of batches) queue.push(b, { logGroupName: 'g', logStreamName: 's' })
  queue.enforce(0)
  t.ok(seen.length > 0, `${seen.length} dropped`)
  t.ok(seen.every(d => d.count === 10 && d.bytes > 0), 'each whole when counted')
  t.same(batches.slice(1, 1 + seen.length).map(b => b.data.length), seen.map(() => 0), 'then given back')
  t.ok(batches[0]!.data.length > 0, 'the batch in flight is untouched')
  t.ok(batches.slice(1 + seen.length).every(b => b.data.length > 0), 'and those still waiting')
})
