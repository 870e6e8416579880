import t from 'tap'
import { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { startLocalEndpoint, type LocalEndpoint } from '../../lib/local/index.js'
import { extractMetrics } from '../../lib/local/emf-extract.js'
import { client } from '../helpers/aws.js'

const NOW = Date.now()

function emf (extra: Record<string, unknown> = {}, directive: Record<string, unknown> = {}): string {
  return JSON.stringify({
    _aws: {
      Timestamp: NOW,
      CloudWatchMetrics: [{
        Namespace: 'MyApp',
        Dimensions: [['service'], ['service', 'route']],
        Metrics: [{ Name: 'latencyMs', Unit: 'Milliseconds' }, { Name: 'hits' }],
        ...directive
      }]
    },
    service: 'api',
    route: '/orders',
    latencyMs: 12,
    hits: [1, 2],
    ...extra
  })
}

/** Puts `messages` into a new group of `logGroupClass` on `ep`. */
async function put (ep: LocalEndpoint, group: string, messages: string[], logGroupClass = 'STANDARD'): Promise<void> {
  const c = client(ep.url)
  t.teardown(() => c.destroy())
  await c.send(new CreateLogGroupCommand({ logGroupName: group, logGroupClass: logGroupClass as 'STANDARD' }))
  await c.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 's' }))
  await c.send(new PutLogEventsCommand({
    logGroupName: group,
    logStreamName: 's',
    logEvents: messages.map(message => ({ timestamp: NOW, message }))
  }))
}

t.test('one datapoint per value, per metric, per dimension set, with the unit and resolution', async t => {
  const extraction = extractMetrics(emf(), NOW)
  t.equal(extraction.kind, 'metrics')
  const points = extraction.kind === 'metrics' ? extraction.datapoints : []
  t.same(points.map(p => [p.name, p.value, p.dimensions, p.unit, p.storageResolution, p.timestamp]), [
    ['latencyMs', 12, { service: 'api' }, 'Milliseconds', 60, NOW],
    ['hits', 1, { service: 'api' }, 'None', 60, NOW],
    ['hits', 2, { service: 'api' }, 'None', 60, NOW],
    ['latencyMs', 12, { service: 'api', route: '/orders' }, 'Milliseconds', 60, NOW],
    ['hits', 1, { service: 'api', route: '/orders' }, 'None', 60, NOW],
    ['hits', 2, { service: 'api', route: '/orders' }, 'None', 60, NOW]
  ])
})

t.test('a set whose members are missing is left out; with none left, no dimensions', async t => {
  const some = extractMetrics(emf({ route: 5 }), NOW)
  t.same(some.kind === 'metrics' && [...new Set(some.datapoints.map(p => JSON.stringify(p.dimensions)))], ['{"service":"api"}'])
  const none = extractMetrics(emf({ service: '' }), NOW)
  t.same(none.kind === 'metrics' && [...new Set(none.datapoints.map(p => JSON.stringify(p.dimensions)))], ['{}'])
})

t.test('not EMF, not JSON, invalid EMF', async t => {
  t.same(extractMetrics('{"msg":"hello"}', NOW), { kind: 'none' })
  t.same(extractMetrics('{"nested":{"_aws":{}}}', NOW), { kind: 'none' }, '_aws must be at the root')
  t.equal(extractMetrics('{"_aws": broken', NOW).kind, 'parsing')
  t.match(extractMetrics(emf({}, { Metrics: [{ Name: 'latencyMs', Unit: 'ms' }] }), NOW), { kind: 'validation', reason: /Unit "ms"/ })
})

t.test('the endpoint extracts on PutLogEvents and answers queries, exact on dimensions', async t => {
  const ep = await startLocalEndpoint()
  t.teardown(() => ep.close())
  await put(ep, 'g', [emf(), '{"msg":"plain"}', emf({ latencyMs: 30, service: 'web' })])
  const api = ep.metrics({ namespace: 'MyApp', name: 'latencyMs', dimensions: { service: 'api' } })
  t.same(api.map(p => p.value), [12])
  t.match(api[0], { logGroupName: 'g', logStreamName: 's', unit: 'Milliseconds', timestamp: NOW })
  t.same(ep.metrics({ namespace: 'MyApp', name: 'latencyMs', dimensions: { service: 'web' } }).map(p => p.value), [30])
  t.same(ep.metrics({ name: 'latencyMs' }).map(p => p.value), [12, 12, 30, 30], 'any dimensions')
  t.same(ep.metrics({ name: 'latencyMs', dimensions: {} }), [], 'none without dimensions')
  t.equal(ep.metrics().length, 12)
  const copy = ep.metrics()[0]!
  copy.dimensions.service = 'changed'
  t.equal(ep.metrics()[0]!.dimensions.service, 'api', 'a copy')
})

t.test('EMF the endpoint could not use is counted as CloudWatch counts it, per group', async t => {
  const ep = await startLocalEndpoint()
  t.teardown(() => ep.close())
  await put(ep, 'errors', ['{"_aws":', emf({}, { Namespace: 'AWS/Nope' }), emf({ latencyMs: 'slow' })])
  t.same(ep.metrics({ namespace: 'AWS/Logs', name: 'EMFParsingErrors', dimensions: { LogGroupName: 'errors' } }).length, 1)
  t.same(ep.metrics({ namespace: 'AWS/Logs', name: 'EMFValidationErrors' }).map(p => p.value), [1, 1])
  t.same(ep.metrics({ namespace: 'MyApp' }), [])
})

t.test('no metrics in INFREQUENT_ACCESS and DELIVERY groups', async t => {
  const ep = await startLocalEndpoint()
  t.teardown(() => ep.close())
  await put(ep, 'ia', [emf()], 'INFREQUENT_ACCESS')
  await put(ep, 'delivery', [emf()], 'DELIVERY')
  t.equal(ep.events('ia', 's').length, 1, 'the event is stored')
  t.same(ep.metrics(), [])
})
