// Calls that never end, answers that are lost, refusals that are not the batch's fault: none may wedge the stream
// or lose a line. Through a real worker, against the local endpoint's faults.
import t from 'tap'
import { localEndpoint } from '../helpers/endpoint.js'
import { range, seqs } from '../helpers/aws.js'
import { startTransport, until } from '../helpers/transport.js'

const GROUP = 'app/wedges'

function log (logger: { info: (o: object, m: string) => void }, from: number, to: number, pad = ''): void {
  for (let seq = from; seq < to; seq++) logger.info({ seq, pad }, 'event')
}

t.test('an answer whose body stalls after the headers is given up at requestTimeout; the batch is stored once', async t => {
  const ep = await localEndpoint(t)
  ep.failNext('stall-body')
  const run = startTransport(ep.url, { logGroupName: GROUP, logStreamName: 'stall', requestTimeout: 500 })
  log(run.logger, 0, 50)
  await run.flush()
  t.same(seqs(ep.events(GROUP, 'stall')), range(50), 'every line once: the stalled call was not processed')
  t.equal(ep.calls.filter(c => c.fault === 'stall-body').length, 1)
  await run.end()
})

t.test('while one call hangs, the batches behind it keep moving', async t => {
  const ep = await localEndpoint(t)
  const run = startTransport(ep.url, { logGroupName: GROUP, logStreamName: 'behind', requestTimeout: 60_000 })
  log(run.logger, 0, 10)
  await run.flush()
  ep.failNext('hang')
  log(run.logger, 10, 20)
  await until(() => ep.calls.some(c => c.fault === 'hang'), 'a call to hang')
  // Later lines, later milliseconds: they may go beside the hung call without changing the stored order.
  await new Promise(resolve => setTimeout(resolve, 5))
  log(run.logger, 20, 30)
  await until(() => ep.events(GROUP, 'behind').length === 20, 'the lines after the hung batch to be stored')
  t.same(seqs(ep.events(GROUP, 'behind')), [...range(10), ...range(30).slice(20)], 'stored while the call still hangs')
  await run.end()
})

t.test('an answer lost after the service stored the batch: the retry duplicates it (the documented case), nothing is lost', async t => {
  for (const fault of ['hang-after-processing', 'reset-after-processing'] as const) {
    const ep = await localEndpoint(t)
    ep.failNext(fault)
    const run = startTransport(ep.url, { logGroupName: GROUP, logStreamName: fault, requestTimeout: 500 })
    log(run.logger, 0, 40)
    await run.flush()
    const stored = seqs(ep.events(GROUP, fault))
    const faulted = ep.calls.find(c => c.fault === fault)!
    t.equal(stored.length, 40 + faulted.events!, `${fault}: the faulted batch twice`)
    t.same([...new Set(stored)].sort((a, b) => a - b), range(40), `${fault}: every line`)
    await run.end()
  }
})

t.test('a proxy that refuses bodies over 1 MiB (nginx\'s default): full batches are split, every line arrives', async t => {
  const ep = await localEndpoint(t, { maxBodyBytes: 1_048_576 })
  const run = startTransport(ep.url, { logGroupName: GROUP, logStreamName: 'proxy', bufferDuration: 60_000, idleFlush: 0 })
  // Quotes are escaped in the request body: every batch near the service's size is well over the proxy's limit.
  const pad = '"'.repeat(600)
  log(run.logger, 0, 3000, pad)
  await run.flush()
  t.same(seqs(ep.events(GROUP, 'proxy')), range(3000))
  const puts = ep.calls.filter(c => c.operation === 'PutLogEvents')
  t.ok(puts.filter(c => c.status === 413).length >= 2, 'full batches were refused with 413')
  t.ok(puts.filter(c => c.status === 200).every(c => c.bodyBytes! <= 1_048_576))
  t.same(run.events.rejected, [], 'nothing set aside')
  await run.end()
})

t.test('a line larger than the proxy allows even alone is cut once, then set aside and reported; the rest flows', async t => {
  const ep = await localEndpoint(t, { maxBodyBytes: 100_000 })
  const run = startTransport(ep.url, { logGroupName: GROUP, logStreamName: 'too-big' })
  log(run.logger, 0, 5)
  run.logger.info({ seq: 5, pad: 'z'.repeat(400_000) }, 'event')
  log(run.logger, 6, 10)
  await run.flush()
  t.same(seqs(ep.events(GROUP, 'too-big')), [0, 1, 2, 3, 4, 6, 7, 8, 9], 'every other line stored')
  t.equal(run.events.rejected!.length, 1)
  t.match(run.events.rejected![0], { count: 1, status: 413, message: /HTTP 413/ })
  await run.end()
})

t.test('small batches queued during an outage go out merged into full calls', async t => {
  const ep = await localEndpoint(t)
  const run = startTransport(ep.url, { logGroupName: GROUP, logStreamName: 'merged', bufferDuration: 20, retryMaxDelay: 200 })
  log(run.logger, 0, 1)
  await run.flush()
  const outage = ep.outage(1500)
  for (let i = 1; i <= 40; i++) {
    log(run.logger, i * 10, i * 10 + 10)
    await new Promise(resolve => setTimeout(resolve, 25))
  }
  await outage
  await run.flush()
  const stored = seqs(ep.events(GROUP, 'merged'))
  t.same(stored, [0, ...range(410).slice(10)])
  const after = ep.calls.filter(c => c.operation === 'PutLogEvents' && c.status === 200)
  t.ok(after.length < 20, `${after.length} calls carried 40 batches of 10 lines`)
  await run.end()
})

t.test('at the smallest maxBufferSize, a batch just sealed is never dropped while nothing is in flight', async t => {
  const ep = await localEndpoint(t)
  const run = startTransport(ep.url, { logGroupName: GROUP, logStreamName: 'small-bound', maxBufferSize: 3 * 1_048_576 })
  log(run.logger, 0, 7200, 'm'.repeat(900))
  await run.flush()
  t.same(seqs(ep.events(GROUP, 'small-bound')), range(7200))
  t.same(run.events.dropped, [])
  await run.end()
})

t.test('in a worker, a closeTimeout beyond pino\'s exit window is refused at start, naming the option', async t => {
  const ep = await localEndpoint(t)
  const run = startTransport(ep.url, { logGroupName: GROUP, logStreamName: 'close', closeTimeout: 9001 })
  const failed = await new Promise<Error>(resolve => run.transport.once('error', resolve))
  t.match(failed.message, /invalid option closeTimeout: at most 9000 ms in a worker transport/)
})
