import t from 'tap'
import { startLocalEndpoint } from '../../lib/local/index.js'
import logbeam from '../../lib/index.js'
import pino from 'pino'
import { client, range, seqs } from '../helpers/aws.js'
import { startTransport, until } from '../helpers/transport.js'

const GROUP = 'app/delivery'

t.test('logger.flush(cb) calls back only once CloudWatch holds every line', async t => {
  const ep = await startLocalEndpoint({ port: 0, faults: { latencyMs: 200 } })
  t.teardown(() => ep.close())
  const run = startTransport(ep.url, { logGroupName: GROUP, logStreamName: 'flush', bufferDuration: 60_000 })
  for (const seq of range(100)) run.logger.info({ seq }, 'x')
  await run.flush()
  t.same(seqs(ep.events(GROUP, 'flush')), range(100))
  await run.end()
})

t.test('bufferDuration is a real timer: a lone line goes out when it is due, with no further logging', async t => {
  const ep = await startLocalEndpoint({ port: 0 })
  t.teardown(() => ep.close())
  const run = startTransport(ep.url, { logGroupName: GROUP, logStreamName: 'timer', bufferDuration: 300 })
  const loggedAt = Date.now()
  run.logger.info({ seq: 0 }, 'alone')
  await until(() => ep.events(GROUP, 'timer').length === 1, 'the line to be sent by the timer')
  t.ok(Date.now() - loggedAt >= 300, 'not before bufferDuration')
  await run.end()
})

t.test('10,001 tiny lines: a full call cut on a millisecond boundary, then the rest', async t => {
  const ep = await startLocalEndpoint({ port: 0 })
  t.teardown(() => ep.close())
  const run = startTransport(ep.url, { logGroupName: GROUP, logStreamName: 'count', bufferDuration: 60_000, idleFlush: 0 })
  for (let i = 0; i <= 10_000; i++) run.logger.info('')
  await run.flush()
  const puts = ep.calls.filter(c => c.operation === 'PutLogEvents')
  // The two calls may be in flight together: the endpoint can answer the small one first.
  const counts = puts.map(c => c.events ?? 0).sort((a, b) => b - a)
  t.equal(counts.length, 2)
  t.ok(puts.every(c => c.status === 200))
  t.equal(counts[0]! + counts[1]!, 10_001)
  t.ok(counts[0]! <= 10_000 && counts[0]! > 10_000 * 7 / 8, 'the first call is (nearly) full')
  const stored = ep.events(GROUP, 'count')
  const cut = stored[counts[0]! - 1]!.timestamp
  if (stored[counts[0]!]!.timestamp > cut) {
    t.pass('the second call starts in a later millisecond')
  } else {
    // A last millisecond over an eighth of the batch is not carried: the batch goes whole, the next after it.
    t.equal(counts[0], 10_000, 'a batch sharing its last millisecond went whole')
    t.ok(stored.filter(e => e.timestamp === cut).length > 10_000 / 8, 'its last millisecond was over an eighth of it')
  }
  await run.end()
})

t.test('a 2.5 MB line arrives whole, in ordered parts under the per-event limit', async t => {
  const ep = await startLocalEndpoint({ port: 0 })
  t.teardown(() => ep.close())
  const run = startTransport(ep.url, { logGroupName: GROUP, logStreamName: 'huge' })
  const big = '€'.repeat(850_000) // 2.55 MB of 3-byte characters
  run.logger.info({ big }, 'huge')
  run.logger.info({ seq: 1 }, 'after')
  await run.flush()
  const stored = ep.events(GROUP, 'huge')
  t.equal(stored.length, 4, 'three parts and the next line')
  t.ok(stored.every(e => Buffer.byteLength(e.message) + 26 <= 1_048_576))
  const whole = JSON.parse(stored.slice(0, 3).map(e => e.message).join(''))
  t.equal(whole.big, big, 'the parts joined give back the line')
  t.equal(JSON.parse(stored[3]!.message).seq, 1)
  t.match(run.events.oversize, [{ split: 1 }])
  t.ok(ep.calls.filter(c => c.operation === 'PutLogEvents').every(c => c.status === 200), 'no call broke a rule')
  await run.end()
})

t.test('in-process use with an injected client; the stream emits the events', async t => {
  const ep = await startLocalEndpoint({ port: 0 })
  t.teardown(() => ep.close())
  const injected = client(ep.url)
  const stream = await logbeam({ logGroupName: GROUP, logStreamName: 'in-process', stderr: false }, { client: injected })
  const created: unknown[] = []
  stream.on('created', info => created.push(info))
  stream.write('{"level":30,"time":1764000000000,"seq":0}\n')
  stream.write('not json at all\r\n')
  stream.write('   \n\n')
  await stream.flush()
  const stored = ep.events(GROUP, 'in-process')
  t.same(stored.map(e => e.message), ['{"level":30,"time":1764000000000,"seq":0}', 'not json at all'], 'CRLF and blank lines handled')
  t.ok(stored[1]!.timestamp >= Date.now() - 60_000, 'a line with no time is stamped when read')
  t.equal(created.length, 2)
  stream.end()
  const result = await stream.closeResult
  t.same(result, { delivered: 2, undelivered: 0, dropped: 0, rejected: 0 })
  injected.destroy()
})

t.test('bad options fail at start, naming the option', async t => {
  await t.rejects(logbeam({ logGroupName: 'g', batchSize: 2_000_000 }), /invalid option batchSize/)
  // @ts-expect-error: refused at compile time too
  await t.rejects(logbeam({ logGroupName: 'g', overflow: 'block' }), /overflow: 'block' is for the CLI only/)
})

t.test('in-process, pino\'s logger.flush(cb) calls back after delivery', async t => {
  const ep = await startLocalEndpoint({ port: 0, faults: { latencyMs: 100 } })
  t.teardown(() => ep.close())
  const injected = client(ep.url)
  const stream = await logbeam({ logGroupName: GROUP, logStreamName: 'in-process-flush', stderr: false }, { client: injected })
  const logger = pino(stream)
  for (const seq of range(20)) logger.info({ seq }, 'x')
  await new Promise<void>((resolve, reject) => logger.flush(err => (err ? reject(err) : resolve())))
  t.same(seqs(ep.events(GROUP, 'in-process-flush')), range(20))
  stream.end()
  await stream.closeResult
  injected.destroy()
})

const T0 = Date.now() - 60_000

/** A client that counts how many PutLogEvents calls it has in flight at once. */
function countingClient (url: string): { c: ReturnType<typeof client>, max: () => number } {
  const c = client(url)
  const send = c.send.bind(c) as (...args: unknown[]) => Promise<unknown>
  let now = 0
  let max = 0
  c.send = (async (...args: unknown[]) => {
    const put = (args[0] as { constructor: { name: string } }).constructor.name === 'PutLogEventsCommand'
    if (put) max = Math.max(max, ++now)
    try { return await send(...args) } finally { if (put) now-- }
  }) as typeof c.send
  return { c, max: () => max }
}

for (const [name, timeOf, expected] of [
  ['batches with disjoint timestamps go out in parallel', (seq: number) => T0 + seq, 4],
  ['batches sharing a timestamp go one at a time, so the stored order is the logged one', () => T0, 1]
] as const) {
  t.test(`maxConcurrentPuts: ${name}`, async t => {
    const ep = await startLocalEndpoint({ port: 0, faults: { latencyMs: 100 } })
    t.teardown(() => ep.close())
    const { c, max } = countingClient(ep.url)
    const stream = await logbeam({ logGroupName: GROUP, logStreamName: 'parallel', stderr: false, maxConcurrentPuts: 4, maxPutsPerSecond: 0, batchCount: 10 }, { client: c })
    // Eight batches: the window starts at two calls and grows to the cap as calls succeed.
    for (const seq of range(80)) stream.write(`{"time":${timeOf(seq)},"seq":${seq}}\n`)
    await stream.flush()
    t.same(seqs(ep.events(GROUP, 'parallel')), range(80))
    t.equal(max(), expected, `at most ${max()} in flight`)
    stream.end()
    await stream.closeResult
    c.destroy()
  })
}
