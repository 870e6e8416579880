import t from 'tap'
import { emfProblem, checkEmf } from '../../lib/metrics/emf-check.js'
import {
  EMF_LIMITS, EMF_UNITS, dimensionNameProblem, isDimensionValue, metricNameProblem, metricValueCount, namespaceProblem,
  timestampProblem
} from '../../lib/metrics/emf-spec.js'

const NOW = 1_764_000_000_000

/** A valid document with `metrics` metrics of one value each and one dimension set of `dims` dimensions. */
function doc (metrics = 1, dims = 1, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const names = Array.from({ length: metrics }, (_, i) => `m${i}`)
  const keys = Array.from({ length: dims }, (_, i) => `d${i}`)
  return {
    _aws: {
      Timestamp: NOW,
      CloudWatchMetrics: [{ Namespace: 'App', Dimensions: [keys], Metrics: names.map(Name => ({ Name, Unit: 'Count' })) }]
    },
    ...Object.fromEntries(names.map(n => [n, 1])),
    ...Object.fromEntries(keys.map(k => [k, 'v'])),
    ...extra
  }
}

/** The document with its first directive changed by `change`. */
function withDirective (change: (d: Record<string, unknown>) => void, base = doc()): Record<string, unknown> {
  const copy = structuredClone(base)
  change((copy._aws as { CloudWatchMetrics: Array<Record<string, unknown>> }).CloudWatchMetrics[0]!)
  return copy
}

t.test('a valid document passes, with its metadata', async t => {
  const verdict = checkEmf(doc(), NOW)
  t.ok(verdict.ok)
  t.equal(emfProblem(doc(), NOW), undefined)
})

t.test('metrics per document: 100 pass, 101 do not (counted over directives)', async t => {
  t.equal(emfProblem(doc(EMF_LIMITS.metricsPerDocument), NOW), undefined)
  t.match(emfProblem(doc(101), NOW), /more than 100 metric definitions/)
  const split = doc(101)
  const aws = split._aws as { CloudWatchMetrics: Array<{ Metrics: unknown[] }> }
  aws.CloudWatchMetrics.push({ ...aws.CloudWatchMetrics[0]!, Metrics: aws.CloudWatchMetrics[0]!.Metrics.splice(50) })
  t.match(emfProblem(split, NOW), /more than 100 metric definitions/, '50 + 51 in two directives')
})

t.test('dimensions per set: 30 pass, 31 do not', async t => {
  t.equal(emfProblem(doc(1, EMF_LIMITS.dimensionsPerSet), NOW), undefined)
  t.match(emfProblem(doc(1, 31), NOW), /Dimensions\[0\] has 31 dimensions; at most 30/)
  t.equal(emfProblem(withDirective(d => { d.Dimensions = [[]] }), NOW), undefined, 'an empty set is allowed')
  t.equal(emfProblem(withDirective(d => { d.Dimensions = [] }), NOW), undefined, 'no set at all too')
})

t.test('values per metric: an array of 100 passes, 101 or none do not', async t => {
  t.equal(emfProblem(doc(1, 1, { m0: Array(100).fill(2) }), NOW), undefined)
  t.match(emfProblem(doc(1, 1, { m0: Array(101).fill(2) }), NOW), /"m0" holds more than 100 values/)
  t.match(emfProblem(doc(1, 1, { m0: [] }), NOW), /"m0" is missing or not a number/)
  t.match(emfProblem(doc(1, 1, { m0: [1, '2'] }), NOW), /"m0" is missing or not a number/)
  t.match(emfProblem(doc(1, 1, { m0: '12' }), NOW), /"m0" is missing or not a number/)
  const missing = doc()
  delete missing.m0
  t.match(emfProblem(missing, NOW), /CloudWatchMetrics\[0\]\.Metrics\[0\]: the member "m0" is missing/)
})

t.test('units: every unit of the spec passes, others do not; none means None', async t => {
  for (const unit of EMF_UNITS) t.equal(emfProblem(withDirective(d => { d.Metrics = [{ Name: 'm0', Unit: unit }] }), NOW), undefined, unit)
  t.match(emfProblem(withDirective(d => { d.Metrics = [{ Name: 'm0', Unit: 'Millis' }] }), NOW),
    /Metrics\[0\]: Unit "Millis" is not a CloudWatch unit/)
  t.match(emfProblem(withDirective(d => { d.Metrics = [{ Name: 'm0', Unit: 'milliseconds' }] }), NOW), /Unit/, 'case counts')
  t.equal(emfProblem(withDirective(d => { d.Metrics = [{ Name: 'm0' }] }), NOW), undefined)
})

t.test('storage resolution: 1 and 60 pass, others do not; one metric, one resolution', async t => {
  for (const r of [1, 60]) t.equal(emfProblem(withDirective(d => { d.Metrics = [{ Name: 'm0', StorageResolution: r }] }), NOW), undefined)
  for (const r of [0, 5, 30, '1', 61]) {
    t.match(emfProblem(withDirective(d => { d.Metrics = [{ Name: 'm0', StorageResolution: r }] }), NOW), /StorageResolution .* is not 1 or 60/, String(r))
  }
  const twice = withDirective(d => { d.Metrics = [{ Name: 'm0', StorageResolution: 1 }, { Name: 'm0' }] })
  t.match(emfProblem(twice, NOW), /"m0" is given two storage resolutions/)
})

t.test('timestamp: 14 days back and 2 hours ahead pass, a millisecond more does not', async t => {
  const at = (Timestamp: unknown): Record<string, unknown> => ({ ...doc(), _aws: { ...(doc()._aws as object), Timestamp } })
  t.equal(emfProblem(at(NOW - EMF_LIMITS.pastMs), NOW), undefined)
  t.match(emfProblem(at(NOW - EMF_LIMITS.pastMs - 1), NOW), /more than 14 days in the past/)
  t.equal(emfProblem(at(NOW + EMF_LIMITS.futureMs), NOW), undefined)
  t.match(emfProblem(at(NOW + EMF_LIMITS.futureMs + 1), NOW), /more than 2 hours in the future/)
  for (const bad of [undefined, '1764000000000', NOW + 0.5, -1]) t.match(emfProblem(at(bad), NOW), /not a whole number of epoch milliseconds/, String(bad))
  t.equal(timestampProblem(NOW, NOW), undefined)
})

t.test('names: namespace, metric and dimension names at their limits', async t => {
  t.equal(namespaceProblem('a'.repeat(255)), undefined)
  t.match(namespaceProblem('a'.repeat(256)), /not 1 to 255/)
  t.match(namespaceProblem(''), /not 1 to 255/)
  t.equal(namespaceProblem('My App/v1.2_x-y#z:w'), undefined, 'letters, digits, spaces, . - _ / # :')
  t.match(namespaceProblem('App!'), /holds other than/)
  t.match(namespaceProblem('   '), /holds other than/, 'blank')
  t.match(namespaceProblem('AWS/Lambda'), /AWS's own/)
  t.equal(metricNameProblem('m'.repeat(255)), undefined)
  t.match(metricNameProblem('m'.repeat(256)), /not 1 to 255/)
  t.match(metricNameProblem('a\nb'), /control characters/)
  t.match(metricNameProblem(' '), /blank/)
  t.equal(dimensionNameProblem('d'.repeat(255)), undefined)
  t.match(dimensionNameProblem('d'.repeat(256)), /not 1 to 255/)
  t.match(dimensionNameProblem(':d'), /starts with ':'/)
  t.match(dimensionNameProblem('café'), /printable ASCII/)
  t.ok(isDimensionValue('v'.repeat(1024)))
  t.notOk(isDimensionValue('v'.repeat(1025)))
  t.notOk(isDimensionValue(''))
  t.notOk(isDimensionValue(' '))
  t.notOk(isDimensionValue('é'))
  t.notOk(isDimensionValue(5))
  t.match(emfProblem(withDirective(d => { d.Namespace = 'AWS/X' }), NOW), /CloudWatchMetrics\[0\]: namespace "AWS\/X"/)
  t.match(emfProblem(withDirective(d => { d.Dimensions = [['ok', 5]] }), NOW), /dimension name 5 is not a string/)
})

t.test('dimension members must hold strings (the whole check; extraction leaves the set out instead)', async t => {
  t.match(emfProblem(doc(1, 1, { d0: 5 }), NOW), /Dimensions\[0\]: the dimension member "d0": 5 is not a string/)
  const missing = doc()
  delete missing.d0
  t.match(emfProblem(missing, NOW), /the dimension member "d0" is missing/)
  t.ok(checkEmf(missing, NOW).ok, 'the structure alone is fine')
})

t.test('structure: _aws, CloudWatchMetrics, Dimensions, Metrics of the wrong kind', async t => {
  t.match(emfProblem({ _aws: [] }, NOW), /_aws is not an object/)
  t.match(emfProblem({ _aws: { Timestamp: NOW } }, NOW), /CloudWatchMetrics is missing/)
  t.match(emfProblem({ _aws: { Timestamp: NOW, CloudWatchMetrics: [5] } }, NOW), /CloudWatchMetrics\[0\] is not an object/)
  t.match(emfProblem(withDirective(d => { delete d.Dimensions }), NOW), /Dimensions is missing/)
  t.match(emfProblem(withDirective(d => { d.Dimensions = ['d0'] }), NOW), /Dimensions\[0\] is not an array/)
  t.match(emfProblem(withDirective(d => { d.Metrics = {} }), NOW), /Metrics is missing or not an array/)
  t.match(emfProblem(withDirective(d => { d.Metrics = ['m0'] }), NOW), /Metrics\[0\]: not an object/)
  t.equal(emfProblem({ _aws: { Timestamp: NOW, CloudWatchMetrics: [] } }, NOW), undefined, 'no directive: nothing to extract, nothing wrong')
})

t.test('metricValueCount: a finite number, or an array of 1 to 100 finite numbers', async t => {
  t.equal(metricValueCount(0), 1)
  t.equal(metricValueCount(-2.5), 1)
  t.equal(metricValueCount(Infinity), 0)
  t.equal(metricValueCount(NaN), 0)
  t.equal(metricValueCount('1'), 0)
  t.equal(metricValueCount(null), 0)
  t.equal(metricValueCount([1, 2]), 2)
  t.equal(metricValueCount(Array(100).fill(1)), 100)
  t.equal(metricValueCount(Array(101).fill(1)), -1)
  t.equal(metricValueCount([1, null]), 0)
})
