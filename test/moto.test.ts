import t from 'tap'
import pino from 'pino'
import { motoAvailable, startMoto } from './helpers/moto.js'
import { clientConfig, range, readAll, seqs } from './helpers/aws.js'

const available = motoAvailable()

t.test('round trip through a real worker to moto: every line, in order, with its own time', { skip: available.ok ? false : available.why }, async t => {
  const moto = await startMoto()
  t.teardown(moto.stop)
  const transport = pino.transport({
    target: 'logbeam',
    options: { logGroupName: 'app/moto', logStreamName: 'round-trip', bufferDuration: 50, stderr: false, clientConfig: clientConfig(moto.url) }
  })
  const created: string[] = []
  transport.on('created', (info: { kind: string, name: string }) => created.push(`${info.kind}:${info.name}`))
  const logger = pino(transport)
  const times: number[] = []
  for (const seq of range(300)) {
    logger.info({ seq, text: 'naïve café 😀' }, 'line')
    if (seq % 100 === 0) times.push(Date.now())
  }
  await new Promise<void>(resolve => logger.flush(() => resolve()))
  const stored = await readAll(moto.url, 'app/moto', 'round-trip')
  t.same(seqs(stored), range(300), 'every line once, in order')
  for (const e of stored) {
    if (e.timestamp !== JSON.parse(e.message).time) t.fail('the event time is the time the line was logged')
  }
  t.equal(JSON.parse(stored[7]!.message).text, 'naïve café 😀', 'multi-byte text intact')
  t.same(created.sort(), ['group:app/moto', 'stream:round-trip'], 'group and stream created')
  await new Promise<void>(resolve => { transport.once('close', resolve); logger.flush(); transport.end() })
})

t.test('moto: an old line is sent inside the window, not lost', { skip: available.ok ? false : available.why }, async t => {
  const moto = await startMoto()
  t.teardown(moto.stop)
  const transport = pino.transport({
    target: 'logbeam',
    options: { logGroupName: 'app/moto', logStreamName: 'old', bufferDuration: 50, stderr: false, clientConfig: clientConfig(moto.url) }
  })
  const adjusted: number[] = []
  transport.on('timestampAdjusted', (info: { count: number }) => adjusted.push(info.count))
  const logger = pino({ timestamp: () => `,"time":${Date.now() - 20 * 86_400_000}` }, transport)
  logger.info({ seq: 0 }, 'from twenty days ago')
  await new Promise<void>(resolve => logger.flush(() => resolve()))
  const stored = await readAll(moto.url, 'app/moto', 'old')
  t.same(seqs(stored), [0])
  t.same(adjusted, [1])
  await new Promise<void>(resolve => { transport.once('close', resolve); transport.end() })
})
