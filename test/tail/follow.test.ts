import t from 'tap'
import { PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { startLocalEndpoint } from '../../lib/local/index.js'
import { pinoLines, readingFrom, ship, shipper, tail, until, type Tail } from './helpers.js'

// --follow against the local endpoint: lines logged after tail started appear at the next poll (1 s), none twice.

const local = readingFrom(startLocalEndpoint, ep => ep.close())

const printed = (run: Tail): string[] => run.stdout().toString('utf8').split('\n').slice(0, -1)

/** SIGINT, as the process would get it: resolves with the exit status. */
async function interrupt (run: Tail): Promise<number> {
  run.signals.emit('SIGINT', 'SIGINT')
  return await run.done
}

t.test('lines logged while following print at the next poll after they are stored (about 1 s), each once', async t => {
  await ship(local.cw, 'follow', 'web-1', pinoLines(5).join('\n') + '\n')
  // Default poll interval (1 s) and lookback (30 s): every poll reads the lines printed before again.
  const run = tail(local.server.url, ['--log-group-name', 'follow', '--output', 'raw', '--follow'], local.cw)
  await until(() => printed(run).length === 5, 'the history')
  // Counted in polls rather than milliseconds, so a slow machine cannot fail it: for each line, how many
  // FilterLogEvents calls the endpoint had answered when the line was stored, and when tail printed it.
  const polls = (): number => local.server.calls.filter(c => c.operation === 'FilterLogEvents').length
  const storedAt = new Map<number, number>()
  const printedAt = new Map<number, number>()
  const watch = setInterval(() => {
    for (const e of local.server.events('follow', 'web-1')) {
      const seq = JSON.parse(e.message).seq as number
      if (!storedAt.has(seq)) storedAt.set(seq, polls())
    }
    for (const line of printed(run)) {
      const seq = JSON.parse(line).seq as number
      if (!printedAt.has(seq)) printedAt.set(seq, polls())
    }
  }, 2)
  t.teardown(() => clearInterval(watch))
  const app = shipper(local.cw, 'follow', 'web-1')
  for (let seq = 100; seq < 120; seq++) {
    app.write(JSON.stringify({ level: 30, time: Date.now(), seq, msg: `live ${seq} ✓` }) + '\n')
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  await until(() => printed(run).length === 25 && printedAt.size === 25, 'the lines logged while following')
  clearInterval(watch)
  for (let seq = 100; seq < 120; seq++) {
    const waited = printedAt.get(seq)! - storedAt.get(seq)!
    // The poll under way when the line was stored may have read before it: then the next one prints it.
    t.ok(waited <= 2, `line ${seq} printed ${waited} polls after it was stored`)
  }
  // Three more polls, each reading again what was printed.
  const after = polls()
  await until(() => polls() >= after + 3, 'three more polls')
  const seqs = printed(run).map(line => JSON.parse(line).seq as number)
  t.same(seqs, [0, 1, 2, 3, 4, ...Array.from({ length: 20 }, (_, i) => 100 + i)], 'each line once, in order')
  t.equal(await app.end(), 0)
  t.equal(await interrupt(run), 130, 'SIGINT: exit 130')
})

t.test('an older batch merged in before printed events does not print them again', async t => {
  await ship(local.cw, 'merge', 's', 'first\n')
  const run = tail(local.server.url, ['--log-group-name', 'merge', '--output', 'raw', '--follow', '--poll-interval', '200'], local.cw)
  await until(() => printed(run).length === 1, 'the history')
  const now = Date.now()
  const put = (timestamp: number, message: string): Promise<unknown> =>
    local.cw.send(new PutLogEventsCommand({ logGroupName: 'merge', logStreamName: 's', logEvents: [{ timestamp, message }] }))
  await put(now, 'newer')
  await until(() => printed(run).length === 2, 'the newer event')
  // Stored before `newer` (parallel puts do this): every later event moves one place down in the stream.
  await put(now - 3000, 'older, stored late')
  await until(() => printed(run).length === 3, 'the late event')
  await new Promise(resolve => setTimeout(resolve, 1000))
  t.same(printed(run), ['first', 'newer', 'older, stored late'], 'the late event once; nothing printed again')
  t.equal(await interrupt(run), 130, 'SIGINT: exit 130')
})

t.test('a line split for size while following prints joined', async t => {
  await ship(local.cw, 'split', 's', 'before\n')
  const run = tail(local.server.url, ['--log-group-name', 'split', '--output', 'raw', '--follow', '--poll-interval', '200'], local.cw)
  await until(() => printed(run).length === 1, 'the history')
  const huge = JSON.stringify({ level: 30, time: Date.now(), msg: 'huge', blob: 'ü'.repeat(1_200_000) })
  await ship(local.cw, 'split', 's', `${huge}\nafter\n`)
  await until(() => printed(run).length === 3, 'the split line and the next')
  t.equal(local.server.events('split', 's').length, 5, 'stored as three parts and two lines')
  t.same(printed(run), ['before', huge, 'after'])
  t.equal(await interrupt(run), 130, 'SIGINT: exit 130')
})

t.test('SIGINT while the history is read: the page under way is printed, then exit 130', async t => {
  const now = Date.now()
  // Three pages of about 1 MB, each answered after 300 ms.
  const events = Array.from({ length: 600 }, (_, i) => ({ timestamp: now - 60_000 + i, message: `${i} ${'x'.repeat(5000)}` }))
  await ship(local.cw, 'paged', 's', 'create the group\n')
  for (let i = 0; i < events.length; i += 100) {
    await local.cw.send(new PutLogEventsCommand({ logGroupName: 'paged', logStreamName: 's', logEvents: events.slice(i, i + 100) }))
  }
  local.server.setFaults({ latencyMs: 300 })
  t.teardown(() => local.server.setFaults({}))
  const run = tail(local.server.url, ['--log-group-name', 'paged', '--output', 'raw'], local.cw)
  await until(() => run.chunks.length > 0, 'the first page')
  run.signals.emit('SIGINT', 'SIGINT')
  t.equal(await run.done, 130)
  const lines = printed(run)
  t.ok(lines.length > 0 && lines.length < 601, `stopped early: ${lines.length} of 601 lines`)
  t.same(lines, [...events.map(e => e.message), 'create the group'].slice(0, lines.length), 'whole lines, in order, no gap')
})
