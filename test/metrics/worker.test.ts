import t from 'tap'
import { startLocalEndpoint } from '../../lib/local/index.js'
import type { MetricsOptions } from '../../lib/metrics/metrics-options.js'
import { startTransport, until } from '../helpers/transport.js'

// Through a real pino worker (logbeam from dist/) into the local endpoint: what CloudWatch would store, and the
// metrics it would extract from it.

const METRICS: MetricsOptions = {
  namespace: 'MyApp',
  dimensions: [['service'], ['service', 'route']],
  fields: { latencyMs: 'Milliseconds', bytesSent: 'Bytes' },
  storageResolution: { latencyMs: 1 }
}

/** A stored message split into its `_aws` block and the rest, which must be exactly the JSON pino wrote. */
function parts (message: string): { aws: any, rest: Record<string, unknown> } {
  const doc = JSON.parse(message)
  const { _aws: aws, ...rest } = doc
  const block = aws === undefined ? '' : `"_aws":${JSON.stringify(aws)},`
  t.equal(message, `{${block}${JSON.stringify(rest).slice(1)}`, 'nothing but _aws added, right after the brace')
  return { aws, rest }
}

t.test('lines with metric fields get their _aws block, lines without are untouched; the endpoint has the metrics', async t => {
  const ep = await startLocalEndpoint()
  t.teardown(() => ep.close())
  const run = startTransport(ep.url, { logGroupName: 'app/metrics', logStreamName: 'worker', metrics: METRICS })
  run.logger.info({ service: 'api', route: '/orders', latencyMs: 12, bytesSent: 512 }, 'request')
  run.logger.info({ service: 'api', user: 'u1' }, 'no metric here')
  run.logger.info({ service: 'api', latencyMs: 30 }, 'no route')
  run.logger.info({ latencyMs: 'fast', bytesSent: null }, 'not numbers')
  await run.flush()
  const stored = ep.events('app/metrics', 'worker')
  t.equal(stored.length, 4)
  const [request, plain, noRoute, notNumbers] = stored.map(e => parts(e.message))
  t.same(request!.aws, {
    Timestamp: request!.rest.time,
    CloudWatchMetrics: [{
      Namespace: 'MyApp',
      Dimensions: [['service'], ['service', 'route']],
      Metrics: [{ Name: 'latencyMs', Unit: 'Milliseconds', StorageResolution: 1 }, { Name: 'bytesSent', Unit: 'Bytes' }]
    }]
  })
  t.equal(stored[0]!.timestamp, request!.rest.time, 'the event and the metric share the line\'s time')
  t.match(request!.rest, { level: 30, service: 'api', route: '/orders', latencyMs: 12, bytesSent: 512, msg: 'request' })
  t.equal(plain!.aws, undefined)
  t.match(plain!.rest, { user: 'u1', msg: 'no metric here' })
  t.same(noRoute!.aws.CloudWatchMetrics[0].Dimensions, [['service']])
  t.same(noRoute!.aws.CloudWatchMetrics[0].Metrics, [{ Name: 'latencyMs', Unit: 'Milliseconds', StorageResolution: 1 }])
  t.equal(notNumbers!.aws, undefined)

  const api = ep.metrics({ namespace: 'MyApp', name: 'latencyMs', dimensions: { service: 'api' } })
  t.same(api.map(p => [p.value, p.unit, p.storageResolution]), [[12, 'Milliseconds', 1], [30, 'Milliseconds', 1]],
    'this request emitted latencyMs=12 for service=api')
  t.same(ep.metrics({ name: 'bytesSent', dimensions: { service: 'api', route: '/orders' } }).map(p => p.value), [512])
  t.same(ep.metrics({ namespace: 'AWS/Logs' }), [], 'no EMF errors')
  await run.end()
})

t.test('an app-written _aws that breaks the spec is stored unchanged and reported', async t => {
  const ep = await startLocalEndpoint()
  t.teardown(() => ep.close())
  const run = startTransport(ep.url, { logGroupName: 'app/metrics', logStreamName: 'invalid', metrics: METRICS })
  const reports: any[] = []
  run.transport.on('metricsInvalid', info => reports.push(info))
  const _aws = { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: 'Lib', Dimensions: [[]], Metrics: [{ Name: 'x', Unit: 'Millis' }] }] }
  run.logger.info({ _aws, x: 5, latencyMs: 1 }, 'library metrics')
  await run.flush()
  await until(() => reports.length === 1, 'the metricsInvalid event')
  t.match(reports[0], { count: 1, reason: 'CloudWatchMetrics[0].Metrics[0]: Unit "Millis" is not a CloudWatch unit' })
  const stored = JSON.parse(ep.events('app/metrics', 'invalid')[0]!.message)
  t.same(stored._aws, _aws, 'shipped as the app wrote it')
  t.equal(stored.latencyMs, 1)
  t.same(ep.metrics({ namespace: 'AWS/Logs', name: 'EMFValidationErrors' }).length, 1, 'CloudWatch would count it too')
  t.same(ep.metrics({ namespace: 'MyApp' }), [])
  await run.end()
})

t.test('metrics with logGroupClass INFREQUENT_ACCESS: a warning at start, and no metrics', async t => {
  const ep = await startLocalEndpoint()
  t.teardown(() => ep.close())
  const run = startTransport(ep.url, {
    logGroupName: 'app/ia', logStreamName: 's', logGroupClass: 'INFREQUENT_ACCESS', metrics: METRICS
  })
  const warnings: any[] = []
  run.transport.on('metricsUnsupported', info => warnings.push(info))
  run.logger.info({ service: 'api', latencyMs: 12 }, 'x')
  await run.flush()
  await until(() => warnings.length === 1, 'the metricsUnsupported event')
  t.equal(warnings[0].logGroupClass, 'INFREQUENT_ACCESS')
  t.ok(JSON.parse(ep.events('app/ia', 's')[0]!.message)._aws, 'the block is written all the same')
  t.same(ep.metrics(), [])
  await run.end()
})
