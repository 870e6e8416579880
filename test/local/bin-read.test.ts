import { execFile, spawnSync } from 'node:child_process'
import { promisify } from 'node:util'
import t from 'tap'
import { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand, type InputLogEvent } from '@aws-sdk/client-cloudwatch-logs'
import { clientAt, runBin, serveBin } from './helpers.js'

const NOW = Date.now()
const iso = (offset: number): string => new Date(NOW + offset).toISOString()

/** A running bin with group `app` (streams `web-2`, `web-1`: names and times disagree) and an empty group `empty`. */
async function running (t: Parameters<typeof serveBin>[0]): Promise<string> {
  const { url } = await serveBin(t, '--port', '0')
  const client = clientAt(t, url)
  const put = async (stream: string, events: Array<[number, string]>): Promise<void> => {
    await client.send(new CreateLogStreamCommand({ logGroupName: 'app', logStreamName: stream }))
    const logEvents: InputLogEvent[] = events.map(([offset, message]) => ({ timestamp: NOW + offset, message }))
    await client.send(new PutLogEventsCommand({ logGroupName: 'app', logStreamName: stream, logEvents }))
  }
  await client.send(new CreateLogGroupCommand({ logGroupName: 'app' }))
  await client.send(new CreateLogGroupCommand({ logGroupName: 'empty' }))
  await put('web-2', [[-3000, 'first'], [-1000, 'third']])
  await put('web-1', [[-2000, 'second {"level":30}']])
  return url
}

t.test('dump prints every stream of a group merged by time, as TIME STREAM MESSAGE', async (t) => {
  const url = await running(t)
  t.same(await runBin('dump', '--endpoint', url, '--group', 'app'), {
    code: 0,
    stdout: `${iso(-3000)} web-2 first\n${iso(-2000)} web-1 second {"level":30}\n${iso(-1000)} web-2 third\n`,
    stderr: ''
  })
})

t.test('dump --stream prints one stream from its head; --json prints one object per line', async (t) => {
  const url = await running(t)
  const { code, stdout } = await runBin('dump', '--endpoint', url, '--group', 'app', '--stream', 'web-2', '--json')
  t.equal(code, 0)
  const events = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
  t.match(events, [
    { logStreamName: 'web-2', timestamp: NOW - 3000, message: 'first', ingestionTime: Number },
    { logStreamName: 'web-2', timestamp: NOW - 1000, message: 'third', ingestionTime: Number }
  ])
  t.equal(events.length, 2)
})

t.test('dump reads a group past one page (10,000 events)', async (t) => {
  const { url } = await serveBin(t, '--port', '0', '--auto-create')
  const client = clientAt(t, url)
  for (let i = 0; i < 3; i++) {
    const logEvents = Array.from({ length: 10_000 }, (_, j) => ({ timestamp: NOW + i, message: String(i * 10_000 + j) }))
    await client.send(new PutLogEventsCommand({ logGroupName: 'big', logStreamName: 's', logEvents }))
  }
  for (const args of [[], ['--stream', 's']]) {
    const { code, stdout } = await runBin('dump', '--endpoint', url, '--group', 'big', '--json', ...args)
    t.equal(code, 0)
    const messages = stdout.trim().split('\n').map((line) => (JSON.parse(line) as { message: string }).message)
    t.ok(messages.length === 30_000 && messages.every((m, i) => m === String(i)), `all 30,000 in order ${args.join(' ')}`)
  }
})

t.test('list prints the groups, their streams and how many events each holds', async (t) => {
  const url = await running(t)
  t.same(await runBin('list', '--endpoint', url), {
    code: 0,
    stdout: 'app\n  web-1  1 event\n  web-2  2 events\nempty (no streams)\n',
    stderr: ''
  })
  const { stdout } = await runBin('list', '--endpoint', url, '--json')
  const groups = stdout.trim().split('\n').map((line) => JSON.parse(line) as unknown)
  t.match(groups, [
    { logGroupName: 'app', streams: [{ logStreamName: 'web-1', events: 1 }, { logStreamName: 'web-2', events: 2, firstEventTimestamp: NOW - 3000, lastEventTimestamp: NOW - 1000 }] },
    { logGroupName: 'empty', streams: [] }
  ])
})

t.test('list of an empty endpoint says so on stderr, and exits 0', async (t) => {
  const { url } = await serveBin(t, '--port', '0')
  t.same(await runBin('list', '--endpoint', url), { code: 0, stdout: '', stderr: 'logbeam-local: no log groups\n' })
})

t.test('dump of a missing group, or of nothing listening, exits 1 saying why', async (t) => {
  const url = await running(t)
  const missing = await runBin('dump', '--endpoint', url, '--group', 'nope')
  t.equal(missing.code, 1)
  t.match(missing.stderr, /ResourceNotFoundException: The specified log group does not exist\./)
  const gone = await runBin('list', '--endpoint', 'http://127.0.0.1:1')
  t.equal(gone.code, 1)
  t.match(gone.stderr, /cannot reach http:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)/)
})

const awsCli = spawnSync('aws', ['--version']).status === 0

t.test("the help's aws CLI recipe reads the endpoint", { skip: awsCli ? false : 'no aws CLI on this machine' }, async (t) => {
  const url = await running(t)
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1' }
  const run = promisify(execFile)
  const got = await run('aws', ['logs', 'get-log-events', '--endpoint-url', url, '--log-group-name', 'app', '--log-stream-name', 'web-2', '--start-from-head'], { env })
  t.same((JSON.parse(got.stdout) as { events: Array<{ message: string }> }).events.map((e) => e.message), ['first', 'third'])
  const filtered = await run('aws', ['logs', 'filter-log-events', '--endpoint-url', url, '--log-group-name', 'app'], { env })
  t.same((JSON.parse(filtered.stdout) as { events: Array<{ message: string }> }).events.map((e) => e.message), ['first', 'second {"level":30}', 'third'])
})
