import t from 'tap'
import { startLocalEndpoint } from '../../lib/local/index.js'
import { startTransport, until } from '../helpers/transport.js'

const GROUP = 'app/overflow'
const PAD = 'x'.repeat(400)

for (const overflow of ['drop-oldest', 'drop-newest'] as const) {
  t.test(`${overflow}: memory stays bounded while CloudWatch is down; drops are counted and summarised`, async t => {
    const ep = await startLocalEndpoint({ port: 0 })
    t.teardown(() => ep.close())
    const stream = overflow
    const run = startTransport(ep.url, { logGroupName: GROUP, logStreamName: stream, overflow, maxBufferSize: 3_145_728, batchCount: 200, retryMaxDelay: 100 })
    // The first lines create the group and stream; then every put fails until the end.
    run.logger.info({ seq: -1 }, 'warm up')
    await run.flush()
    ep.setFaults({ throttleRate: 1 })
    const total = 40_000 // ~18 MB of lines against a 3 MB buffer
    const rssBefore = process.memoryUsage().rss
    let rssPeak = rssBefore
    for (let seq = 0; seq < total; seq++) {
      run.logger.info({ seq, pad: PAD }, 'event')
      if (seq % 1000 === 0) {
        // Let the worker read while logging goes on, as it would in an app.
        await new Promise(resolve => setImmediate(resolve))
        rssPeak = Math.max(rssPeak, process.memoryUsage().rss)
      }
    }
    await until(() => run.events.dropped!.length > 0, 'the first drop to be reported')
    ep.setFaults({})
    await run.flush()
    await until(() => run.events.dropped!.some(e => typeof e.message === 'string' && /dropped between/.test(e.message)), 'the summary')
    await run.flush()
    const stored = ep.events(GROUP, stream).map(e => JSON.parse(e.message))
    const lines = stored.filter(m => typeof m.seq === 'number' && m.seq >= 0)
    const summaries = stored.filter(m => m.logbeam?.dropped)
    t.ok(summaries.length >= 1, 'summary events in the stream')
    // Lines may keep arriving faster than one put at a time clears them after recovery, so
    // there can be more than one drop period; a dropped summary carries over into the next.
    const dropped = summaries.reduce((n, m) => n + (m.logbeam.dropped as number), 0)
    t.ok(dropped > 0)
    t.equal(lines.length + dropped, total, `every line is either stored or counted as dropped (${lines.length} + ${dropped})`)
    t.equal(new Set(lines.map(m => m.seq)).size, lines.length, 'none twice')
    const seqs = lines.map(m => m.seq as number)
    if (overflow === 'drop-newest') {
      t.equal(seqs[0], 0, 'the oldest lines were kept')
    } else {
      t.equal(seqs[seqs.length - 1], total - 1, 'the newest lines were kept')
    }
    t.match(summaries[0].msg, new RegExp(`^logbeam: ${summaries[0].logbeam.dropped} events dropped between \\S+ and \\S+ because the buffer was full`))
    t.ok(rssPeak - rssBefore < 64 * 1024 * 1024, `RSS grew ${Math.round((rssPeak - rssBefore) / 1e6)} MB while 18 MB were logged against a 3 MB bound`)
    await run.end()
  })
}
