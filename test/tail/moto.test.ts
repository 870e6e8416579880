import t from 'tap'
import { PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { motoAvailable, startMoto } from '../helpers/moto.js'
import { pinoLines, readingFrom, ship, shipper, tail, until, type Tail } from './helpers.js'

// `pino-cloudwatch tail` against moto, which answers FilterLogEvents stream by stream (unless asked to interleave)
// and ignores logStreamNamePrefix: what tail prints must not depend on it.

const motoCheck = motoAvailable()
if (!motoCheck.ok) {
  t.plan(0, `skipped: ${motoCheck.why}`)
} else {
  const moto = readingFrom(startMoto, server => server.stop())

  const printed = (run: Tail): string[] => run.stdout().toString('utf8').split('\n').slice(0, -1)

  t.test('raw output gives back two services\' lines byte for byte, interleaved by time, a split line joined', async t => {
    const base = Date.now() - 120_000
    const web = pinoLines(30, base)
    const worker = pinoLines(30, base + 500).map(line => line.replace('"hostname":"h"', '"hostname":"worker"'))
    const huge = JSON.stringify({ level: 30, time: base + 10_250, msg: 'huge', blob: '😀'.repeat(600_000) })
    web.splice(11, 0, huge)
    await ship(moto.cw, 'moto/raw', 'web', web.join('\n') + '\n')
    await ship(moto.cw, 'moto/raw', 'worker', worker.join('\n') + '\n')
    const merged = [...web, ...worker].sort((a, b) => JSON.parse(a).time - JSON.parse(b).time)
    const run = tail(moto.server.url, ['--log-group-name', 'moto/raw', '--output', 'raw'], moto.cw)
    t.equal(await run.done, 0, run.stderr())
    t.ok(run.stdout().equals(Buffer.from(merged.join('\n') + '\n', 'utf8')), 'the bytes of both streams, in time order')
    const one = tail(moto.server.url, ['--log-group-name', 'moto/raw', '--output', 'raw', '--log-stream-name-prefix', 'wo'], moto.cw)
    t.equal(await one.done, 0, one.stderr())
    t.equal(one.stdout().toString('utf8'), worker.join('\n') + '\n', 'one tenant\'s stream by prefix')
  })

  t.test('--since and --filter select the events', async t => {
    const now = Date.now()
    const put = (logStreamName: string, logEvents: Array<{ timestamp: number, message: string }>): Promise<unknown> =>
      moto.cw.send(new PutLogEventsCommand({ logGroupName: 'moto/raw', logStreamName, logEvents }))
    await put('web', [{ timestamp: now - 30 * 60_000, message: 'old ERROR' }, { timestamp: now - 2000, message: 'new ERROR' }])
    await put('worker', [{ timestamp: now - 1000, message: 'new info' }])
    const lines = async (...args: string[]): Promise<string[]> => {
      const run = tail(moto.server.url, ['--log-group-name', 'moto/raw', '--output', 'raw', ...args], moto.cw)
      t.equal(await run.done, 0, run.stderr())
      return printed(run).filter(line => !line.startsWith('{'))
    }
    t.same(await lines('--since', '1h', '--filter', 'ERROR'), ['old ERROR', 'new ERROR'])
    t.same(await lines('--since', '1m'), ['new ERROR', 'new info'])
    t.same(await lines('--since', new Date(now - 3000).toISOString(), '--filter', '"new info"'), ['new info'])
  })

  t.test('--follow prints lines logged after it started within 2 s, none twice', async t => {
    await ship(moto.cw, 'moto/follow', 'web', 'history\n')
    const run = tail(moto.server.url, ['--log-group-name', 'moto/follow', '--output', 'raw', '--follow'], moto.cw)
    await until(() => printed(run).length === 1, 'the history')
    const app = shipper(moto.cw, 'moto/follow', 'web')
    const loggedAt = new Map<number, number>()
    for (let seq = 0; seq < 15; seq++) {
      loggedAt.set(seq, Date.now())
      app.write(JSON.stringify({ level: 30, time: Date.now(), seq, msg: 'ünïcode' }) + '\n')
      await new Promise(resolve => setTimeout(resolve, 150))
    }
    await until(() => printed(run).length === 16, 'the lines logged while following')
    for (const { at, text } of run.chunks) {
      for (const line of text.split('\n').filter(l => l.startsWith('{'))) {
        const seq = JSON.parse(line).seq as number
        t.ok(at - loggedAt.get(seq)! < 2000, `line ${seq} printed ${at - loggedAt.get(seq)!} ms after it was logged`)
      }
    }
    await new Promise(resolve => setTimeout(resolve, 2500))
    t.same(printed(run).slice(1).map(line => JSON.parse(line).seq), Array.from({ length: 15 }, (_, i) => i), 'each once, in order')
    t.equal(await app.end(), 0)
    run.signals.emit('SIGINT', 'SIGINT')
    t.equal(await run.done, 130)
  })

  t.test('a missing group: exit 1, said plainly', async t => {
    const run = tail(moto.server.url, ['--log-group-name', 'moto/none'], moto.cw)
    t.equal(await run.done, 1)
    t.equal(run.stderr(), `pino-cloudwatch tail: log group moto/none does not exist (${moto.server.url})\n`)
  })
}
