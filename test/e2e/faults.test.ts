import t, { type Test } from 'tap'
import { startLocalEndpoint, type LocalEndpoint } from '../../lib/local/index.js'
import { localEndpoint } from '../helpers/endpoint.js'
import pino from 'pino'
import { CreateLogGroupCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs'
import { client, range, seqs } from '../helpers/aws.js'
import { startTransport, until } from '../helpers/transport.js'

const GROUP = 'app/faults'

/** No call was refused for breaking a rule: only injected faults failed. */
function noRuleBroken (t: Test, ep: LocalEndpoint): void {
  const broken = ep.calls.filter(c => c.operation === 'PutLogEvents' && c.error === 'InvalidParameterException' && !c.fault)
  t.same(broken, [], 'no PutLogEvents call broke a rule')
}

function log (logger: { info: (o: object, m: string) => void }, from: number, to: number): void {
  for (let seq = from; seq < to; seq++) logger.info({ seq }, 'event')
}

t.test('throttling, 503s, dropped connections and latency at once: every line arrives once, in order', async t => {
  const ep = await localEndpoint(t, { throttleRate: 0.3, serverErrorRate: 0.2, dropRate: 0.1, latencyMs: 20 })
  const run = startTransport(ep.url, { logGroupName: GROUP, logStreamName: 'mixed', batchCount: 40 })
  log(run.logger, 0, 1000)
  await run.flush()
  t.same(seqs(ep.events(GROUP, 'mixed')), range(1000))
  const faults = new Set(ep.calls.map(c => c.fault).filter(Boolean))
  t.ok(faults.has('throttle') && faults.has('server-error') && faults.has('drop'), `faults were injected: ${[...faults]}`)
  t.ok(run.events.putError!.length > 0, 'failures reported as putError events')
  t.ok(run.events.putError!.every(e => typeof e.code === 'string'))
  noRuleBroken(t, ep)
  await run.end()
})

t.test('500 ms latency on every call: every line arrives', async t => {
  const ep = await localEndpoint(t, { latencyMs: 500 })
  const run = startTransport(ep.url, { logGroupName: GROUP, logStreamName: 'slow', batchCount: 100 })
  log(run.logger, 0, 300)
  await run.flush()
  t.same(seqs(ep.events(GROUP, 'slow')), range(300))
  await run.end()
})

t.test('a request that is never answered is timed out and retried', async t => {
  const ep = await localEndpoint(t)
  ep.failNext('hang', 'hang')
  const run = startTransport(ep.url, { logGroupName: GROUP, logStreamName: 'hang', requestTimeout: 1000 })
  log(run.logger, 0, 10)
  await run.flush()
  t.same(seqs(ep.events(GROUP, 'hang')), range(10))
  t.equal(ep.calls.filter(c => c.fault === 'hang').length, 2)
  await run.end()
})

t.test('a 30 s outage (connections refused) delays delivery but loses nothing', async t => {
  const ep = await localEndpoint(t)
  const run = startTransport(ep.url, { logGroupName: GROUP, logStreamName: 'outage', retryMaxDelay: 1000 })
  log(run.logger, 0, 50)
  await run.flush()
  const outage = ep.outage(30_000)
  log(run.logger, 50, 150)
  await until(() => run.events.putError!.length > 0, 'a refused connection to be reported')
  await outage
  await run.flush()
  t.same(seqs(ep.events(GROUP, 'outage')), range(150))
  t.ok(run.events.recovered!.length >= 1, 'recovery reported')
  await run.end()
})

t.test('credentials rejected for a while, then fixed: delivery resumes', async t => {
  for (const rejection of ['UnrecognizedClientException', 'AccessDeniedException'] as const) {
    const ep = await localEndpoint(t)
    const run = startTransport(ep.url, { logGroupName: GROUP, logStreamName: rejection, retryMaxDelay: 300 })
    ep.setFaults({ rejectCredentials: rejection })
    log(run.logger, 0, 20)
    await until(() => run.events.putError!.some(e => e.code === rejection), `${rejection} to be reported`)
    t.match(run.events.putError!.find(e => e.code === rejection)!.message, /check the credentials/, 'the message says what to check')
    ep.setFaults({})
    await run.flush()
    t.same(seqs(ep.events(GROUP, rejection)), range(20), `${rejection}: every line arrives after the fix`)
    await run.end()
  }
})

t.test('the log group deleted while running is created again', async t => {
  const ep = await localEndpoint(t)
  const run = startTransport(ep.url, { logGroupName: GROUP, logStreamName: 'deleted', retentionInDays: 7 })
  log(run.logger, 0, 30)
  await run.flush()
  ep.deleteLogGroup(GROUP)
  log(run.logger, 30, 60)
  await run.flush()
  t.same(seqs(ep.events(GROUP, 'deleted')), range(60).slice(30), 'lines after the deletion all stored')
  t.equal(run.events.created!.filter(e => e.kind === 'group').length, 2, 'created twice')
  t.ok(ep.calls.some(c => c.operation === 'PutRetentionPolicy' && c.status === 200), 'retention set on the group it created')
  await run.end()
})

t.test('a refused batch is split to find the bad event; the rest is delivered', async t => {
  const ep = await localEndpoint(t)
  ep.failNext('invalid-parameter')
  const run = startTransport(ep.url, { logGroupName: GROUP, logStreamName: 'bisect' })
  log(run.logger, 0, 64)
  await run.flush()
  // The injected refusal hit the whole first batch once; its halves went through.
  t.same(seqs(ep.events(GROUP, 'bisect')), range(64))
  const puts = ep.calls.filter(c => c.operation === 'PutLogEvents')
  t.equal(puts[0]!.fault, 'invalid-parameter')
  t.equal(puts[1]!.events! + puts[2]!.events!, puts[0]!.events!, 'the refused batch was resent as two halves')
  await run.end()
})

t.test('without permission to create, a missing group is reported clearly and retried', async t => {
  const ep = await localEndpoint(t)
  const run = startTransport(ep.url, { logGroupName: 'app/missing', logStreamName: 's', createLogGroup: false, retryMaxDelay: 100, closeTimeout: 300 })
  log(run.logger, 0, 5)
  await until(() => run.events.putError!.length > 0, 'the failure to be reported')
  t.match(run.events.putError![0]!.message, /ResourceNotFoundException.*creation is off/)
  t.same(ep.groups().filter(g => g === 'app/missing'), [], 'the group was not created')
  await run.end()
  t.ok(ep.calls.every(c => c.operation !== 'CreateLogGroup'))
  t.match(run.events.undelivered, [{ count: 5, reason: 'closeTimeout' }], 'what could not be delivered at close is counted')
})

t.test('a retention that cannot be set is reported and does not hold up delivery', async t => {
  const ep = await localEndpoint(t, { operations: ['PutRetentionPolicy'], throttleRate: 1 })
  const run = startTransport(ep.url, { logGroupName: 'app/retention', logStreamName: 's', retentionInDays: 30 })
  log(run.logger, 0, 10)
  await run.flush()
  t.same(seqs(ep.events('app/retention', 's')), range(10))
  t.match(run.events.putError, [{ kind: 'retention', message: /could not set retention on app\/retention.*logs:PutRetentionPolicy/ }])
  await run.end()
})

t.test('a machine clock 15 days off the service\'s: timestamps follow the service\'s clock, nothing is dropped', async t => {
  const ahead = 15 * 86_400_000
  const ep = await startLocalEndpoint({ port: 0, now: () => Date.now() + ahead })
  t.teardown(() => ep.close())
  const run = startTransport(ep.url, { logGroupName: GROUP, logStreamName: 'skew' })
  log(run.logger, 0, 10)
  await run.flush()
  t.same(seqs(ep.events(GROUP, 'skew')), range(10), 'all stored, in order')
  t.match(run.events.timestampAdjusted, [{ count: 10 }], 'and the adjustment reported')
  t.same(run.events.rejected, [])
  await run.end()
})

t.test('events the service does not store anyway are counted and reported, not ignored', async t => {
  const ep = await startLocalEndpoint({ port: 0 })
  t.teardown(() => ep.close())
  // Retention set outside logbeam, shorter than the lines' age: the service drops them as expired.
  const run = startTransport(ep.url, { logGroupName: 'app/retention-elsewhere', logStreamName: 's' })
  const admin = client(ep.url)
  await admin.send(new CreateLogGroupCommand({ logGroupName: 'app/retention-elsewhere' }))
  await admin.send(new PutRetentionPolicyCommand({ logGroupName: 'app/retention-elsewhere', retentionInDays: 1 }))
  admin.destroy()
  const old = pino({ timestamp: () => `,"time":${Date.now() - 3 * 86_400_000}` }, run.transport)
  for (const seq of range(4)) old.info({ seq }, 'three days old')
  await run.flush()
  t.same(ep.events('app/retention-elsewhere', 's'), [])
  t.match(run.events.rejected, [{ count: 4, reason: 'window', message: /did not store 4 of 4 events/ }])
  await run.end()
})
