import t from 'tap'
import pino from 'pino'
import { fileURLToPath } from 'node:url'
import { DescribeLogGroupsCommand, ListTagsForResourceCommand } from '@aws-sdk/client-cloudwatch-logs'
import { client, clientConfig, readAll, seqs, streamNames } from '../helpers/aws.js'
import { localEndpoint } from '../helpers/endpoint.js'
import { motoAvailable, startMoto } from '../helpers/moto.js'
import { startTransport, until } from '../helpers/transport.js'

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'
const TENANTS = ['acme', 'globex', 'initech']

/** Logs `count` lines across three tenants and the levels given; returns the seqs expected per group|stream. */
function logAcross (logger: pino.Logger<'audit'>, count: number): Map<string, number[]> {
  const expected = new Map<string, number[]>()
  for (let seq = 0; seq < count; seq++) {
    const tenant = TENANTS[seq % 3]!
    const level = seq % 4 === 0 ? 'audit' : 'info'
    logger[level]({ tenant, seq }, 'routed')
    const where = `app/${tenant}|${level}`
    expected.set(where, [...expected.get(where) ?? [], seq])
  }
  return expected
}

function pinoOptions (endpoint: string, options: Record<string, unknown>): Record<string, unknown> {
  return { stderr: false, bufferDuration: 20, retryBaseDelay: 10, clientConfig: clientConfig(endpoint), ...options }
}

const waitClose = (transport: { once: (e: 'close', fn: () => void) => unknown }): Promise<void> =>
  new Promise(resolve => { transport.once('close', () => resolve()) })

t.test('pino({ customLevels, transport }): tenants and levels land in their groups and streams, in order, every one',
  async t => {
    const ep = await localEndpoint(t)
    const logger = pino({
      customLevels: { audit: 35 },
      transport: {
        target: 'logbeam',
        options: pinoOptions(ep.url, {
          logGroupName: 'app/{field.tenant}',
          logStreamName: '{level}',
          retentionInDays: 7,
          logGroupClass: 'INFREQUENT_ACCESS',
          tags: { team: 'core' },
          kmsKeyId: KEY,
          deletionProtection: true
        })
      }
    })
    const expected = logAcross(logger, 1200)
    logger.info({ seq: -1 }, 'no tenant')
    // The endpoint answers from this thread, which end() blocks: wait until it holds every line first.
    await until(() => ep.groups().flatMap(g => ep.streams(g).map(s => ep.events(g, s))).flat().length === 1201,
      'every line at the endpoint')
    const stream = (logger as unknown as Record<symbol, ReturnType<typeof pino.transport>>)[pino.symbols.streamSym]!
    const closed = waitClose(stream)
    stream.end()
    await closed
    t.equal(expected.size, 6)
    for (const [where, want] of expected) {
      const [group, stream] = where.split('|') as [string, string]
      t.same(seqs(ep.events(group, stream)), want, `${where}: every line once, in order`)
    }
    t.same(seqs(ep.events('app/unknown', 'info')), [-1], 'a line without the field goes to the fallback')
    const c = client(ep.url)
    t.teardown(() => c.destroy())
    const groups = (await c.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'app/' }))).logGroups ?? []
    t.equal(groups.length, 4)
    for (const group of groups) {
      t.match(group, {
        retentionInDays: 7,
        logGroupClass: 'INFREQUENT_ACCESS',
        kmsKeyId: KEY,
        deletionProtectionEnabled: true
      }, `${group.logGroupName}: created with retention, class, key and deletion protection`)
      const tags = await c.send(new ListTagsForResourceCommand({ resourceArn: group.logGroupArn! }))
      t.same(tags.tags, { team: 'core' }, `${group.logGroupName}: tagged`)
    }
  })

/** Every line of the test at the endpoint, then the transport ended (pino's multi-target worker forwards no flush). */
async function endAfter (ep: Awaited<ReturnType<typeof localEndpoint>>, transport: ReturnType<typeof pino.transport>,
  count: number): Promise<void> {
  // The endpoint answers from this thread, which end() blocks: wait until it holds every line first.
  await until(() => ep.groups().flatMap(g => ep.streams(g).map(s => ep.events(g, s))).flat().length === count,
    'every line at the endpoint')
  const closed = waitClose(transport)
  transport.end()
  await closed
}

t.test('targets: custom levels reach logbeam from pino\'s options, even beside a target that listens first', async t => {
  const ep = await localEndpoint(t)
  const logger = pino({
    customLevels: { audit: 35 },
    transport: {
      targets: [
        { target: fileURLToPath(new URL('../fixtures/config-listener.mjs', import.meta.url)), options: {} },
        { target: 'logbeam', options: pinoOptions(ep.url, { logGroupName: 'app/{field.tenant}', logStreamName: '{level}' }) }
      ]
    }
  })
  const expected = logAcross(logger, 300)
  await endAfter(ep, (logger as unknown as Record<symbol, ReturnType<typeof pino.transport>>)[pino.symbols.streamSym]!, 300)
  for (const [where, want] of expected) {
    const [group, stream] = where.split('|') as [string, string]
    t.same(seqs(ep.events(group, stream)), want, `${where}: by the custom level's label`)
  }
  t.same(ep.streams('app/acme').sort(), ['audit', 'info'], 'no stream named by a number')
})

t.test('targets made before the logger: the custom levels come in pino\'s config message', async t => {
  const ep = await localEndpoint(t)
  const transport = pino.transport({
    targets: [{ target: 'logbeam', options: pinoOptions(ep.url, { logGroupName: 'app/{field.tenant}', logStreamName: '{level}' }) }]
  })
  const logger = pino({ customLevels: { audit: 35 } }, transport)
  const expected = logAcross(logger, 300)
  await endAfter(ep, transport, 300)
  for (const [where, want] of expected) {
    const [group, stream] = where.split('|') as [string, string]
    t.same(seqs(ep.events(group, stream)), want, `${where}: by the custom level's label`)
  }
})

t.test('the destination cap holds under 10,000 distinct values; nothing is lost', async t => {
  const ep = await localEndpoint(t)
  const run = startTransport(ep.url, { logGroupName: 'app/users', logStreamName: 'u-{field.user|overflow}', maxDestinations: 20 })
  for (let seq = 0; seq < 10_000; seq++) run.logger.info({ user: `user${seq}`, seq }, 'x')
  await run.flush()
  const streams = ep.streams('app/users')
  t.equal(streams.length, 21, '20 routed streams and the fallback')
  const stored = streams.flatMap(s => seqs(ep.events('app/users', s)))
  t.equal(stored.length, 10_000, 'every line stored')
  t.equal(new Set(stored).size, 10_000, 'each once')
  t.same(seqs(ep.events('app/users', 'u-overflow')).slice(0, 3), [20, 21, 22], 'past the cap, in order in the fallback')
  await run.end()
  const capped = run.events.routeFallback!.filter(e => e.reason === 'maxDestinations')
  t.ok(capped.length >= 2 && capped.length <= 3, `a few reports, not one per line (${capped.length})`)
  t.equal(capped.reduce((n, e) => n + (e.count as number), 0), 10_000 - 20, 'whose counts add up to every refused name')
})

const moto = motoAvailable()
t.test('moto: routed lines round-trip to their streams', { skip: moto.ok ? false : moto.why }, async t => {
  const server = await startMoto()
  t.teardown(server.stop)
  // One logger on the transport, as in an app: its custom levels reach the worker in pino's config message.
  const transport = pino.transport({
    target: 'logbeam',
    options: pinoOptions(server.url, { logGroupName: 'app/{field.tenant}', logStreamName: 'web-{level}' })
  })
  const logger = pino({ customLevels: { audit: 35 } }, transport)
  const expected = logAcross(logger, 600)
  await new Promise<void>((resolve, reject) => logger.flush(err => (err ? reject(err) : resolve())))
  for (const [where, want] of expected) {
    const [group, level] = where.split('|') as [string, string]
    t.same(seqs(await readAll(server.url, group, `web-${level}`)), want, `${where}: every line, in order`)
  }
  t.same((await streamNames(server.url, 'app/globex')).sort(), ['web-audit', 'web-info'])
  const closed = waitClose(transport)
  transport.end()
  await closed
})
