import t, { type Test } from 'tap'
import { BatchPacker } from '../../lib/pipeline/batch-packer.js'
import type { Batch, LogEvent } from '../../lib/pipeline/batch.js'
import { decodeEvents } from '../../lib/pipeline/encoded-batch.js'
import { LIMITS } from '../../lib/cloudwatch/limits.js'

const NOW = Date.UTC(2026, 10, 24, 12)
const HOUR = 3600_000

/** A sealed batch with its events read back from its bytes. */
type Packed = Batch & { events: LogEvent[] }

function packer (limits: Partial<ConstructorParameters<typeof BatchPacker>[0]> = {}): { p: BatchPacker, out: Packed[] } {
  const out: Packed[] = []
  const p = new BatchPacker({ maxCount: 10_000, maxBytes: 1_048_576, oversize: 'split', ...limits },
    b => out.push({ ...b, events: decodeEvents(b) }))
  return { p, out }
}

/** The rules every batch must obey, checked the service's way. */
function assertValid (t: Test, batches: Packed[], maxCount = 10_000, maxBytes = 1_048_576): void {
  for (const b of batches) {
    if (b.count !== b.events.length || b.first !== b.events[0]!.timestamp || b.last !== b.events.at(-1)!.timestamp) {
      t.fail('count and ends as the bytes hold them')
    }
    const bytes = b.events.reduce((n, e) => n + Buffer.byteLength(e.message, 'utf8') + 26, 0)
    t.equal(bytes, b.bytes, 'byte count is the service\'s')
    t.ok(b.events.length >= 1 && b.events.length <= maxCount, 'count within limit')
    t.ok(bytes <= maxBytes, 'bytes within limit')
    for (let i = 1; i < b.events.length; i++) {
      if (b.events[i]!.timestamp < b.events[i - 1]!.timestamp) t.fail('out of order')
    }
    t.ok(b.events[b.events.length - 1]!.timestamp - b.events[0]!.timestamp <= LIMITS.maxSpanMs, 'span within 24 h')
  }
}

t.test('10,000 events make one batch; the 10,001st starts the next', async t => {
  const { p, out } = packer()
  for (let i = 0; i < 10_000; i++) p.add(NOW, 'x', NOW)
  t.equal(out.length, 0, 'nothing sealed at exactly 10,000')
  p.add(NOW, 'y', NOW)
  t.equal(out.length, 1)
  t.equal(out[0]!.events.length, 10_000)
  t.equal(p.length, 1)
  p.seal()
  t.equal(out[1]!.events[0]!.message, 'y')
  assertValid(t, out)
})

t.test('batchCount is honoured exactly', async t => {
  const { p, out } = packer({ maxCount: 3 })
  for (let i = 0; i < 7; i++) p.add(NOW, String(i), NOW)
  p.seal()
  t.same(out.map(b => b.events.map(e => e.message).join('')), ['012', '345', '6'])
})

// Characters of 1, 2, 3 and 4 UTF-8 bytes (the 4-byte one is 2 UTF-16 units).
for (const [char, width] of [['a', 1], ['é', 2], ['€', 3], ['😀', 4]] as const) {
  t.test(`1,048,576 bytes fit, 1,048,577 do not (${width}-byte characters)`, async t => {
    // Two events: the first fills all but the second's share; the second is one char.
    const second = char
    const secondBytes = width + 26
    const firstMessageBytes = 1_048_576 - secondBytes - 26
    const fill = 'a'.repeat(firstMessageBytes % width) + char.repeat(Math.floor(firstMessageBytes / width))
    t.equal(Buffer.byteLength(fill), firstMessageBytes)
    const exact = packer({ maxBytes: 1_048_576 })
    exact.p.add(NOW, fill, NOW)
    exact.p.add(NOW, second, NOW)
    t.equal(exact.out.length, 0, 'exactly 1,048,576 bytes stay in one batch')
    t.equal(exact.p.bytes, 1_048_576)
    exact.p.seal()
    assertValid(t, exact.out)

    const over = packer({ maxBytes: 1_048_576 })
    over.p.add(NOW, fill + 'a', NOW)
    over.p.add(NOW, second, NOW)
    t.equal(over.out.length, 1, 'one byte more seals the first batch')
    t.equal(over.out[0]!.events.length, 1)
    t.equal(over.p.length, 1)
    over.p.seal()
    assertValid(t, over.out)
  })
}

t.test('an event of exactly the per-event limit is kept whole; one byte more is split', async t => {
  const limit = LIMITS.maxEventBytes - 26
  const exact = packer()
  exact.p.add(NOW, 'b'.repeat(limit), NOW)
  exact.p.seal()
  t.equal(exact.out.length, 1)
  t.equal(exact.out[0]!.events.length, 1)
  t.equal(exact.out[0]!.bytes, 1_048_576)

  const over = packer()
  const big = 'c'.repeat(limit) + 'd'
  over.p.add(NOW, big, NOW)
  over.p.seal()
  const events = over.out.flatMap(b => b.events)
  t.equal(events.length, 2)
  t.equal(events.map(e => e.message).join(''), big, 'the parts hold every byte, in order')
  t.equal(over.p.stats.split, 1)
  assertValid(t, over.out)
})

t.test('a split never cuts a UTF-8 character in half', async t => {
  const { p, out } = packer({ maxBytes: 1024 })
  const big = '😀'.repeat(1000) + 'é€'.repeat(333)
  p.add(NOW, big, NOW)
  p.seal()
  const parts = out.flatMap(b => b.events.map(e => e.message))
  t.ok(parts.length > 1)
  t.equal(parts.join(''), big)
  for (const part of parts) {
    t.notOk(part.includes('\ufffd'), 'no replacement character from a cut')
    t.ok(Buffer.byteLength(part) + 26 <= 1024)
  }
  assertValid(t, out, 10_000, 1024)
})

t.test('truncate keeps the start and says how much was cut', async t => {
  const { p, out } = packer({ oversize: 'truncate', maxBytes: 2048 })
  p.add(NOW, '{"msg":"' + 'z'.repeat(5000) + '"}', NOW)
  p.seal()
  t.equal(out[0]!.events.length, 1)
  const message = out[0]!.events[0]!.message
  t.ok(message.startsWith('{"msg":"zzz'))
  t.match(message, /…\[logbeam: truncated \d+ of 5010 bytes\]$/)
  t.ok(Buffer.byteLength(message) + 26 <= 2048)
  t.ok(Buffer.byteLength(message) + 26 > 2000, 'uses the room it has')
  t.equal(p.stats.truncated, 1)
})

t.test('out-of-order input is sorted, stable for equal timestamps', async t => {
  const { p, out } = packer()
  const input = [[3, 'a'], [1, 'b'], [2, 'c'], [1, 'd'], [3, 'e'], [2, 'f']] as const
  for (const [dt, m] of input) p.add(NOW + dt, m, NOW)
  p.seal()
  t.same(out[0]!.events.map(e => e.message), ['b', 'd', 'c', 'f', 'a', 'e'])
})

t.test('a batch spans at most 24 h: exactly 24 h stays together, 1 ms more splits', async t => {
  const { p, out } = packer()
  const start = NOW - 30 * HOUR
  p.add(start, 'first', NOW)
  p.add(start + 24 * HOUR, 'last', NOW)
  t.equal(out.length, 0)
  p.add(start + 24 * HOUR + 1, 'over', NOW)
  t.equal(out.length, 1)
  t.same(out[0]!.events.map(e => e.message), ['first', 'last'])
  // Spreading backwards counts too.
  p.add(start - 1, 'earlier', NOW)
  t.equal(out.length, 2)
  p.seal()
  assertValid(t, out)
})

t.test('timestamps the service would drop are moved into its window and counted', async t => {
  const { p, out } = packer()
  p.add(NOW - 15 * 24 * HOUR, 'too old', NOW)
  p.add(NOW + 3 * HOUR, 'too new', NOW)
  p.add(NOW - 13 * 24 * HOUR, 'old but fine', NOW)
  p.add(NOW + HOUR, 'ahead but fine', NOW)
  p.seal()
  const events = out.flatMap(b => b.events)
  t.equal(p.stats.adjusted, 2)
  for (const e of events) {
    t.ok(e.timestamp > NOW - 14 * 24 * HOUR && e.timestamp < NOW + 2 * HOUR, `${e.message} inside the window`)
  }
  t.equal(events.find(e => e.message === 'old but fine')!.timestamp, NOW - 13 * 24 * HOUR, 'in-window times untouched')
  t.equal(events.find(e => e.message === 'ahead but fine')!.timestamp, NOW + HOUR)
  assertValid(t, out)
})

t.test('the retention period narrows the window', async t => {
  const { p, out } = packer({ retentionInDays: 1 })
  p.add(NOW - 3 * 24 * HOUR, 'older than retention', NOW)
  p.seal()
  t.ok(out[0]!.events[0]!.timestamp > NOW - 24 * HOUR)
})

t.test('openedAt is when the oldest buffered event arrived', async t => {
  const { p } = packer({ maxCount: 2 })
  p.add(NOW, 'a', 1000)
  p.add(NOW, 'b', 2000)
  t.equal(p.openedAt, 1000)
  p.add(NOW, 'c', 3000)
  t.equal(p.openedAt, 3000)
})

t.test('a random mix always yields valid batches holding every event once, byte for byte, in order', async t => {
  let seed = 42
  const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  const { p, out } = packer({ maxCount: 500, maxBytes: 64 * 1024 })
  const sent = new Map<number, string>()
  for (let i = 0; i < 5000; i++) {
    const size = random() < 0.01 ? 70_000 : Math.floor(random() * 300)
    const msg = `${i}:` + '€'.repeat(size)
    // Few distinct milliseconds, so that batches are often cut inside one.
    const time = NOW - Math.floor(random() * 40) * HOUR - Math.floor(random() * 3)
    sent.set(time, (sent.get(time) ?? '') + msg)
    p.add(time, msg, NOW)
  }
  p.seal()
  assertValid(t, out, 500, 64 * 1024)
  // Events of one millisecond keep the order they were logged in, and split parts follow each other: joined per
  // millisecond, what came out is exactly what went in.
  const received = new Map<number, string>()
  for (const e of out.flatMap(b => b.events)) received.set(e.timestamp, (received.get(e.timestamp) ?? '') + e.message)
  t.equal(received.size, sent.size)
  for (const [time, text] of sent) if (received.get(time) !== text) t.fail(`events of ${time} differ`)
})

t.test('a full batch is cut on a millisecond boundary: consecutive batches never share a timestamp', async t => {
  const { p, out } = packer({ maxCount: 64 })
  for (let i = 0; i < 61; i++) p.add(NOW + i, `a${i}`, NOW)
  for (let i = 0; i < 5; i++) p.add(NOW + 61, `b${i}`, NOW)
  t.equal(out.length, 1)
  t.equal(out[0]!.events.length, 61, 'the last millisecond waits: its 3 events are at most an eighth of 64')
  t.equal(out[0]!.events[60]!.message, 'a60')
  p.seal()
  t.same(out[1]!.events.map(e => e.message), ['b0', 'b1', 'b2', 'b3', 'b4'])
  assertValid(t, out, 64)
})

t.test('a full batch goes whole when the event that did not fit starts a later millisecond', async t => {
  const { p, out } = packer({ maxCount: 64 })
  for (let i = 0; i < 62; i++) p.add(NOW + i, `a${i}`, NOW)
  p.add(NOW + 62, 'b0', NOW)
  p.add(NOW + 62, 'b1', NOW)
  p.add(NOW + 63, 'c', NOW)
  t.same(out.map(b => b.events.length), [64], 'nothing to carry: the two batches share no millisecond')
  p.seal()
  t.same(out[1]!.events.map(e => e.message), ['c'])
  assertValid(t, out, 64)
})

t.test('a full batch from one millisecond, or with a long last millisecond, is sealed whole', async t => {
  const same = packer({ maxCount: 8 })
  for (let i = 0; i < 9; i++) same.p.add(NOW, `s${i}`, NOW)
  t.same(same.out.map(b => b.events.length), [8], 'one millisecond: no boundary to cut on')
  const long = packer({ maxCount: 8 })
  for (let i = 0; i < 6; i++) long.p.add(NOW, `l${i}`, NOW)
  for (let i = 0; i < 3; i++) long.p.add(NOW + 1, `m${i}`, NOW)
  t.same(long.out.map(b => b.events.length), [8], 'a tail over an eighth of the batch is not carried')
  const edge = packer({ maxCount: 32 })
  for (let i = 0; i < 28; i++) edge.p.add(NOW + i, `e${i}`, NOW)
  for (let i = 0; i < 5; i++) edge.p.add(NOW + 28, `f${i}`, NOW)
  t.same(edge.out.map(b => b.events.length), [28], 'four of 32 are an eighth: carried')
  const over = packer({ maxCount: 32 })
  for (let i = 0; i < 27; i++) over.p.add(NOW + i, `o${i}`, NOW)
  for (let i = 0; i < 6; i++) over.p.add(NOW + 27, `g${i}`, NOW)
  t.same(over.out.map(b => b.events.length), [32], 'five of 32 are more: sealed whole')
})

t.test('a carried tail keeps the byte count exact when the size limit seals the batch', async t => {
  const { p, out } = packer({ maxBytes: 1024 })
  for (let i = 0; i < 30; i++) p.add(NOW + (i < 27 ? i : 27), 'x'.repeat(10 + i), NOW)
  p.seal()
  assertValid(t, out, 10_000, 1024)
  t.ok(out[0]!.events[out[0]!.events.length - 1]!.timestamp < out[1]!.events[0]!.timestamp)
})
