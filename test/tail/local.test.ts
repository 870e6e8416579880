import t from 'tap'
import { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { startLocalEndpoint } from '../../lib/local/index.js'
import { client, pinoLines, readingFrom, ship, tail } from './helpers.js'

// `pino-cloudwatch tail` reading back what the pino-cloudwatch CLI shipped to the local endpoint.

const local = readingFrom(startLocalEndpoint, ep => ep.close())

/** A line over the 1 MB event limit, of 3-byte characters so that the cuts must back off to a character boundary. */
function hugeLine (time: number): string {
  return JSON.stringify({ level: 30, time, msg: 'huge', blob: '€'.repeat(900_000) })
}

t.test('--output raw gives back the shipped lines byte for byte, in order, a split line joined', async t => {
  const lines = pinoLines(40)
  const time = JSON.parse(lines.at(-1)!).time + 500
  lines.splice(20, 0, hugeLine(JSON.parse(lines[19]!).time))
  lines.push(hugeLine(time), 'a plain line, not JSON: ünïcödé ✓')
  const shipped = Buffer.from(lines.join('\n') + '\n', 'utf8')
  await ship(local.cw, 'raw', 'web-1', shipped)
  const stored = local.server.events('raw', 'web-1')
  t.ok(stored.length >= lines.length + 4, `each huge line was stored as parts (${stored.length} events for ${lines.length} lines)`)

  const joined = tail(local.server.url, ['--log-group-name', 'raw', '--output', 'raw'], local.cw)
  t.equal(await joined.done, 0, joined.stderr())
  t.ok(joined.stdout().equals(shipped), 'the bytes printed are the bytes shipped')

  const parts = tail(local.server.url, ['--log-group-name', 'raw', '--output', 'raw', '--no-join-parts'], local.cw)
  t.equal(await parts.done, 0, parts.stderr())
  const printed = parts.stdout().toString('utf8').split('\n').slice(0, -1)
  t.same(printed, stored.map(e => e.message), 'with --no-join-parts: each stored part on a line of its own')
})

t.test('--output json: one object per event, a joined line with its count of parts', async t => {
  const line = hugeLine(Date.now() - 5000)
  await ship(local.cw, 'json', 'api', `${line}\nsmall\n`)
  const run = tail(local.server.url, ['--log-group-name', 'json', '--output', 'json'], local.cw)
  t.equal(await run.done, 0, run.stderr())
  const objects = run.stdout().toString('utf8').trim().split('\n').map(l => JSON.parse(l))
  t.equal(objects.length, 2)
  t.match(objects[0], { group: 'json', stream: 'api', timestamp: Number, ingestionTime: Number, parts: 3 })
  t.equal(objects[0].message, line, 'the joined message is the line as logged')
  t.match(objects[1], { group: 'json', stream: 'api', message: 'small' })
  t.notOk('parts' in objects[1], 'no count for a line stored whole')
})

async function putAt (group: string, stream: string, events: Array<[number, string]>): Promise<void> {
  await local.cw.send(new CreateLogGroupCommand({ logGroupName: group })).catch(() => {})
  await local.cw.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream })).catch(() => {})
  await local.cw.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: events.map(([timestamp, message]) => ({ timestamp, message })) }))
}

t.test('--since, --until and --filter select the events, streams interleaved by time', async t => {
  const now = Date.now()
  const h = 3_600_000
  await putAt('select', 'a', [[now - 3 * h, 'a old ERROR'], [now - 30 * 60_000, 'a half-hour ERROR'], [now - 5 * 60_000, 'a recent info']])
  await putAt('select', 'b', [[now - 2 * h, 'b two hours ERROR'], [now - 4 * 60_000, 'b recent ERROR db']])
  const lines = async (...args: string[]): Promise<string[]> => {
    const run = tail(local.server.url, ['--log-group-name', 'select', '--output', 'raw', ...args], local.cw)
    t.equal(await run.done, 0, run.stderr())
    return run.stdout().toString('utf8').split('\n').filter(Boolean)
  }
  t.same(await lines(), ['a recent info', 'b recent ERROR db'], 'default: the last 10 minutes')
  t.same(await lines('--since', '1h'), ['a half-hour ERROR', 'a recent info', 'b recent ERROR db'])
  t.same(await lines('--since', '1d', '--until', '1h'), ['a old ERROR', 'b two hours ERROR'])
  t.same(await lines('--since', new Date(now - 2 * h).toISOString()), ['b two hours ERROR', 'a half-hour ERROR', 'a recent info', 'b recent ERROR db'])
  t.same(await lines('--since', '1d', '--filter', 'ERROR'), ['a old ERROR', 'b two hours ERROR', 'a half-hour ERROR', 'b recent ERROR db'])
  t.same(await lines('--since', '1d', '--filter', 'ERROR db'), ['b recent ERROR db'], 'every term must appear')
  t.same(await lines('--since', '1d', '--filter', '"half-hour ERROR"'), ['a half-hour ERROR'], 'a quoted phrase')
  t.same(await lines('--since', '1d', '--log-stream-name', 'b'), ['b two hours ERROR', 'b recent ERROR db'])
  t.same(await lines('--since', '1d', '--log-stream-name-prefix', 'a', '--filter', 'ERROR'), ['a old ERROR', 'a half-hour ERROR'])
})

t.test('a missing group, a missing permission and a pattern the endpoint refuses: exit 1 with a message naming it', async t => {
  const missing = tail(local.server.url, ['--log-group-name', 'no/such/group'], local.cw)
  t.equal(await missing.done, 1)
  t.equal(missing.stderr(), `pino-cloudwatch tail: log group no/such/group does not exist (${local.server.url})\n`)

  const pattern = tail(local.server.url, ['--log-group-name', 'select', '--filter', '{ $.level >= 50 }'], local.cw)
  t.equal(await pattern.done, 1)
  t.match(pattern.stderr(), /CloudWatch refused the request, likely the --filter pattern "\{ \$\.level >= 50 \}"/)

  local.server.setFaults({ rejectCredentials: 'AccessDeniedException' })
  t.teardown(() => local.server.setFaults({}))
  const denied = tail(local.server.url, ['--log-group-name', 'select'], local.cw)
  t.equal(await denied.done, 1)
  t.match(denied.stderr(), /not allowed to read select: the credentials lack the IAM permission logs:FilterLogEvents \(AccessDeniedException: /)
  t.equal(denied.stdout().length, 0)
})

t.test('throttled pages are asked for again after a backoff, and nothing is lost or doubled', async t => {
  const now = Date.now()
  // 1.5 MB: two pages.
  const events: Array<[number, string]> = Array.from({ length: 300 }, (_, i) => [now - 60_000 + i, `event ${i} ${'x'.repeat(5000)}`])
  await putAt('throttled', 's', events.slice(0, 150))
  await putAt('throttled', 's', events.slice(150))
  // Seed 7 draws 0.01, 0.06, 0.98, 0.70: the first two calls are throttled, then the two pages come.
  local.server.setFaults({ throttleRate: 0.5, operations: ['FilterLogEvents'], seed: 7 })
  t.teardown(() => local.server.setFaults({}))
  const run = tail(local.server.url, ['--log-group-name', 'throttled', '--output', 'raw'], local.cw)
  t.equal(await run.done, 0, run.stderr())
  t.same(run.stdout().toString('utf8').split('\n').filter(Boolean), events.map(e => e[1]))
  t.ok(local.server.calls.some(c => c.operation === 'FilterLogEvents' && c.fault === 'throttle'), 'calls were throttled')
  t.match(run.stderr(), /FilterLogEvents: ThrottlingException: Rate exceeded; trying again in \d+\.\d s/)
})

t.test('an unreachable endpoint fails after a few attempts instead of hanging', async t => {
  const dead = client('http://127.0.0.1:9')
  t.teardown(() => dead.destroy())
  const run = tail('http://127.0.0.1:9', ['--log-group-name', 'g', '--quiet'], dead)
  t.equal(await run.done, 1)
  t.match(run.stderr(), /^pino-cloudwatch tail: FilterLogEvents failed \(http:\/\/127\.0\.0\.1:9\): .*ECONNREFUSED/)
})
