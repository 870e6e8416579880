import t from 'tap'
import pino from 'pino'
import { motoAvailable, startMoto } from '../helpers/moto.js'
import { range, readAll, seqs } from '../helpers/aws.js'
import { startTransport } from '../helpers/transport.js'

const available = motoAvailable()
const skip = available.ok ? false : available.why

t.test('round trip through a real worker to moto: every line, in order, with its own time', { skip }, async t => {
  const moto = await startMoto()
  t.teardown(moto.stop)
  const run = startTransport(moto.url, { logGroupName: 'app/moto', logStreamName: 'round-trip', bufferDuration: 50, maxPutsPerSecond: 5 })
  for (const seq of range(300)) run.logger.info({ seq, text: 'naïve café 😀' }, 'line')
  await run.flush()
  const stored = await readAll(moto.url, 'app/moto', 'round-trip')
  t.same(seqs(stored), range(300), 'every line once, in order')
  for (const e of stored) {
    if (e.timestamp !== JSON.parse(e.message).time) t.fail('the event time is the time the line was logged')
  }
  t.equal(JSON.parse(stored[7]!.message).text, 'naïve café 😀', 'multi-byte text intact')
  t.same(run.events.created!.map(e => `${e.kind}:${e.name}`).sort(), ['group:app/moto', 'stream:round-trip'], 'group and stream created')
  await run.end()
})

t.test('moto: an old line is sent inside the window, not lost', { skip }, async t => {
  const moto = await startMoto()
  t.teardown(moto.stop)
  const run = startTransport(moto.url, { logGroupName: 'app/moto', logStreamName: 'old' })
  // A logger whose clock says twenty days ago, beside the transport's own.
  const logger = pino({ timestamp: () => `,"time":${Date.now() - 20 * 86_400_000}` }, run.transport)
  logger.info({ seq: 0 }, 'from twenty days ago')
  await run.flush()
  t.same(seqs(await readAll(moto.url, 'app/moto', 'old')), [0])
  t.match(run.events.timestampAdjusted, [{ count: 1 }])
  await run.end()
})
