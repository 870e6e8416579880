import t from 'tap'
import type { EventName, EventPayloads } from '../../lib/events.js'
import { ProblemReports } from '../../lib/metrics/problem-reports.js'
import { startMetrics } from '../../lib/metrics/start.js'
import type { MetricsOptions } from '../../lib/metrics/metrics-options.js'

const METRICS: MetricsOptions = { namespace: 'N', fields: { n: 'Count' } }

function recorder (): { report: <N extends EventName>(name: N, info: EventPayloads[N]) => void, seen: Array<[string, any]> } {
  const seen: Array<[string, any]> = []
  return { report: (name, info) => { seen.push([name, info]) }, seen }
}

t.test('without metrics there is no writer, and nothing is reported', async t => {
  const { report, seen } = recorder()
  t.equal(startMetrics({ metrics: undefined, logGroupClass: 'INFREQUENT_ACCESS' }, report), undefined)
  t.same(seen, [])
})

t.test('a class CloudWatch extracts no metrics in: one warning at start', async t => {
  for (const logGroupClass of ['INFREQUENT_ACCESS', 'DELIVERY'] as const) {
    const { report, seen } = recorder()
    t.ok(startMetrics({ metrics: METRICS, logGroupClass }, report))
    t.equal(seen.length, 1)
    t.equal(seen[0]![0], 'metricsUnsupported')
    t.equal(seen[0]![1].logGroupClass, logGroupClass)
    t.match(seen[0]![1].message, new RegExp(`extracts no metrics in a log group of class ${logGroupClass}`))
  }
  for (const logGroupClass of ['STANDARD', undefined] as const) {
    const { report, seen } = recorder()
    startMetrics({ metrics: METRICS, logGroupClass }, report)
    t.same(seen, [], `${logGroupClass}: no warning`)
  }
})

t.test('problems are reported at most once a second, counted, the last reason kept', async t => {
  const { report, seen } = recorder()
  let now = 0
  const problems = new ProblemReports(report, 1000, () => now)
  problems.add('first')
  t.same(seen, [['metricsInvalid', { message: '1 line with metrics CloudWatch will not extract: first', reason: 'first', count: 1 }]])
  now = 10
  problems.add('second')
  now = 20
  problems.add('third')
  t.equal(seen.length, 1, 'held back within the second')
  problems.flush()
  t.same(seen[1], ['metricsInvalid', { message: '2 lines with metrics CloudWatch will not extract: third', reason: 'third', count: 2 }])
  now = 500
  problems.add('fourth')
  t.equal(seen.length, 2, 'the flush started a new quiet second')
  now = 1600
  problems.flush()
  t.equal(seen[2]![1].count, 1)
})

t.test('what is held back goes out by itself when the second is over', async t => {
  const { report, seen } = recorder()
  const problems = new ProblemReports(report, 50)
  problems.add('a')
  problems.add('b')
  t.equal(seen.length, 1)
  await new Promise(resolve => setTimeout(resolve, 120))
  t.equal(seen.length, 2)
  t.equal(seen[1]![1].count, 1)
  t.equal(seen[1]![1].reason, 'b')
})
