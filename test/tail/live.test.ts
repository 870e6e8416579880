import t from 'tap'
import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand, StartLiveTailCommand,
  type StartLiveTailCommandInput, type StartLiveTailResponseStream
} from '@aws-sdk/client-cloudwatch-logs'
import { startLocalEndpoint, type LocalEndpoint } from '../../lib/local/index.js'
import { client } from '../helpers/aws.js'
import { shipper, tail, until, type Tail } from './helpers.js'

// StartLiveTail: the local endpoint's event stream read by the real SDK, then `pino-cloudwatch tail --live`.

const ARN = (group: string): string => `arn:aws:logs:us-east-1:123456789012:log-group:${group}`

let ep: LocalEndpoint
let cw: CloudWatchLogsClient
t.before(async () => {
  // Updates every 100 ms; sessions of 1.5 s, to see the CLI start new ones; 5 events an update before sampling.
  ep = await startLocalEndpoint({ liveTail: { updateIntervalMs: 100, sessionTimeoutMs: 1500, maxEventsPerUpdate: 5 } })
  // StartLiveTail's host prefix cannot go before 127.0.0.1: the CLI turns it off for an endpoint given by URL.
  cw = client(ep.url, { disableHostPrefix: true })
  for (const group of ['live-a', 'live-b', 'live-c']) {
    await cw.send(new CreateLogGroupCommand({ logGroupName: group }))
    for (const stream of ['web-1', 'web-2', 'tenant-7']) {
      await cw.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }))
    }
  }
})
t.teardown(async () => {
  cw?.destroy()
  await ep?.close()
})

const put = (group: string, stream: string, ...messages: string[]): Promise<unknown> => cw.send(new PutLogEventsCommand({
  logGroupName: group, logStreamName: stream, logEvents: messages.map(message => ({ timestamp: Date.now(), message }))
}))

/**
 * A session read with the SDK until `stop` says enough, then aborted. `started` runs once the session has started:
 * a session shows only what is stored after that, so events put before it would never come.
 */
async function session (input: StartLiveTailCommandInput, stop: (items: StartLiveTailResponseStream[]) => boolean,
  started: () => Promise<unknown> = async () => {}): Promise<StartLiveTailResponseStream[]> {
  const abort = new AbortController()
  const items: StartLiveTailResponseStream[] = []
  const res = await cw.send(new StartLiveTailCommand(input), { abortSignal: abort.signal })
  try {
    for await (const item of res.responseStream!) {
      items.push(item)
      if (item.sessionStart !== undefined) started().catch(() => {})
      if (stop(items)) break
    }
  } finally {
    abort.abort()
  }
  return items
}

const results = (items: StartLiveTailResponseStream[]): string[] =>
  items.flatMap(i => i.sessionUpdate?.sessionResults ?? []).map(r => `${r.logStreamName}:${r.message}`)

t.test('the SDK reads the session: sessionStart, then updates with the events stored since', async t => {
  const items = await session({ logGroupIdentifiers: [ARN('live-a')] }, items => results(items).length >= 2,
    // Three update intervals after the start: empty updates come first.
    () => new Promise(resolve => setTimeout(resolve, 300)).then(() => put('live-a', 'web-1', 'héllo ✓ 日本 🎉', 'ERROR db down')))
  t.match(items[0], { sessionStart: { logGroupIdentifiers: [ARN('live-a')], sessionId: String, requestId: String } })
  t.same(results(items), ['web-1:héllo ✓ 日本 🎉', 'web-1:ERROR db down'])
  const event = items.flatMap(i => i.sessionUpdate?.sessionResults ?? [])[0]!
  t.match(event, { logGroupIdentifier: ARN('live-a'), timestamp: Number, ingestionTime: Number })
  t.ok(items.some(i => i.sessionUpdate?.sessionResults?.length === 0), 'empty updates keep coming while nothing is stored')
})

t.test('the session selects streams and events as asked', async t => {
  const items = await session({ logGroupIdentifiers: [ARN('live-a')], logStreamNamePrefixes: ['tenant-'], logEventFilterPattern: 'ERROR' },
    items => results(items).length >= 1,
    () => put('live-a', 'web-2', 'ERROR on web-2').then(() => put('live-a', 'tenant-7', 'info', 'ERROR tenant')))
  t.same(results(items), ['tenant-7:ERROR tenant'])
})

t.test('past the events an update holds, the update is sampled and says so', async t => {
  const items = await session({ logGroupIdentifiers: [ARN('live-b')] }, items => results(items).length > 0,
    () => put('live-b', 'web-1', ...Array.from({ length: 12 }, (_, i) => `e${i}`)))
  const update = items.at(-1)!.sessionUpdate!
  t.equal(update.sessionMetadata?.sampled, true)
  t.equal(update.sessionResults?.length, 5)
})

t.test('a session ends with SessionTimeoutException after its time', async t => {
  const started = Date.now()
  await t.rejects(session({ logGroupIdentifiers: [ARN('live-c')] }, () => false), { name: 'SessionTimeoutException' })
  t.ok(Date.now() - started >= 1400, 'after the session timeout')
})

t.test('requests the service refuses are refused', async t => {
  const refused = async (input: StartLiveTailCommandInput, name: string, message: RegExp): Promise<void> => {
    await t.rejects(cw.send(new StartLiveTailCommand(input)), { name, message }, JSON.stringify(input))
  }
  await refused({ logGroupIdentifiers: ['live-a'] }, 'InvalidParameterException', /by its ARN/)
  await refused({ logGroupIdentifiers: [`${ARN('live-a')}:*`] }, 'InvalidParameterException', /by its ARN/)
  await refused({ logGroupIdentifiers: [ARN('nope')] }, 'ResourceNotFoundException', /does not exist/)
  await refused({ logGroupIdentifiers: Array.from({ length: 11 }, () => ARN('live-a')) }, 'InvalidParameterException', /between 1 and 10/)
  await refused({ logGroupIdentifiers: [ARN('live-a'), ARN('live-b')], logStreamNames: ['web-1'] }, 'InvalidParameterException', /single log group/)
  await refused({ logGroupIdentifiers: [ARN('live-a')], logStreamNames: ['web-1'], logStreamNamePrefixes: ['w'] }, 'InvalidParameterException', /both/)
  await refused({ logGroupIdentifiers: [ARN('live-a')], logEventFilterPattern: '{ $.level = 50 }' }, 'InvalidParameterException', /only term/)
})

/** Resolves once `count` more StartLiveTail sessions than now were answered. */
async function sessionsOpened (count = 1): Promise<void> {
  const sessions = (): number => ep.calls.filter(c => c.operation === 'StartLiveTail' && c.status === 200).length
  const target = sessions() + count
  // The answer is recorded once its headers are out; the session takes events from then on.
  await until(() => sessions() >= target, 'a Live Tail session')
}

const printed = (run: Tail): string[] => run.stdout().toString('utf8').split('\n').slice(0, -1)

/** SIGINT, as the process would get it: resolves with the exit status. */
async function interrupt (run: Tail): Promise<number> {
  run.signals.emit('SIGINT', 'SIGINT')
  return await run.done
}

t.test('tail --live prints what is shipped while it runs, across the sessions it starts again', async t => {
  const opened = sessionsOpened()
  const run = tail(ep.url, ['--log-group-name', 'live-c', '--live', '--output', 'json'], cw)
  await opened
  const app = shipper(cw, 'live-c', 'web-1')
  for (let i = 0; i < 30; i++) {
    app.write(JSON.stringify({ level: 30, time: Date.now(), seq: i, msg: 'über' }) + '\n')
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  t.equal(await app.end(), 0)
  // Lines stored while one session ends and the next starts are not shown (Live Tail shows what arrives while it
  // runs): under load that gap grows, so the test asks for a third of the lines, not nearly all.
  await until(() => printed(run).length >= 10, 'the lines')
  const objects = printed(run).map(line => JSON.parse(line))
  t.match(objects[0], { group: 'live-c', stream: 'web-1', timestamp: Number, ingestionTime: Number })
  const seqs = objects.map(o => JSON.parse(o.message).seq as number)
  t.same(seqs, [...seqs].sort((a, b) => a - b), 'in order, none twice')
  t.match(run.stderr(), /Live Tail session reached its 3-hour limit: starting a new one/)
  t.ok(ep.calls.filter(c => c.operation === 'StartLiveTail').length >= 2, 'a new session after the first timed out')
  t.equal(await interrupt(run), 130, 'SIGINT: exit 130')
})

t.test('tail --live reads several groups (by name or ARN) and says when CloudWatch sampled', async t => {
  const opened = sessionsOpened()
  const run = tail(ep.url, ['--log-group-name', 'live-a', '--log-group-name', ARN('live-b'), '--live', '--output', 'json'], cw)
  await opened
  await put('live-a', 'web-1', 'from a')
  await put('live-b', 'web-2', 'from b')
  await until(() => printed(run).length >= 2, 'one event of each group')
  t.same(printed(run).map(line => JSON.parse(line)).map(o => `${o.group}/${o.stream}:${o.message}`), ['live-a/web-1:from a', 'live-b/web-2:from b'])
  await put('live-a', 'web-1', ...Array.from({ length: 20 }, (_, i) => `burst ${i}`))
  await until(() => /CloudWatch sampled an update/.test(run.stderr()), 'the sampling notice')
  t.match(run.stderr(), /more events matched than Live Tail sends \(500 a second\); 5 of them shown/)
  t.equal(await interrupt(run), 130, 'SIGINT: exit 130')
})

t.test('tail --live: a missing group or permission exits 1 naming it', async t => {
  const missing = tail(ep.url, ['--log-group-name', 'not-there', '--live'], cw)
  t.equal(await missing.done, 1)
  t.equal(missing.stderr(), `pino-cloudwatch tail: log group not-there does not exist (${ep.url})\n`)
  ep.setFaults({ rejectCredentials: 'AccessDeniedException' })
  t.teardown(() => ep.setFaults({}))
  const byName = tail(ep.url, ['--log-group-name', 'live-a', '--live'], cw)
  t.equal(await byName.done, 1)
  t.match(byName.stderr(), /the credentials lack the IAM permission logs:DescribeLogGroups/)
  const byArn = tail(ep.url, ['--log-group-name', ARN('live-a'), '--live'], cw)
  t.equal(await byArn.done, 1)
  t.match(byArn.stderr(), /the credentials lack the IAM permission logs:StartLiveTail/)
})
