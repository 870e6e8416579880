import t from 'tap'
import { EmfWriter } from '../../lib/metrics/emf-writer.js'
import type { MetricsOptions } from '../../lib/metrics/metrics-options.js'

const NOW = 1_764_000_000_000
const OPTIONS: MetricsOptions = {
  namespace: 'MyApp',
  dimensions: [['service'], ['service', 'route']],
  fields: { latencyMs: 'Milliseconds', bytesSent: 'Bytes', retries: 'Count' }
}

function writer (options: MetricsOptions = OPTIONS): { w: EmfWriter, problems: string[] } {
  const problems: string[] = []
  return { w: new EmfWriter(options, reason => problems.push(reason)), problems }
}

/** The line written, split into the `_aws` block (parsed) and what follows the block in the line. */
function split (written: string): { aws: unknown, rest: string } {
  const doc = JSON.parse(written)
  const block = `"_aws":${JSON.stringify(doc._aws)},`
  t.equal(written.indexOf(block), 1, '_aws comes right after the opening brace')
  return { aws: doc._aws, rest: `{${written.slice(1 + block.length)}` }
}

t.test('a line with metric fields gets exactly the expected _aws block; every other byte stays', async t => {
  const { w } = writer()
  const line = '{"level":30,"time":1764000000123,"service":"api","route":"/orders","latencyMs":12,"retries":0,"msg":"done"}'
  const out = w.write(line, 1_764_000_000_123, NOW)
  const { aws, rest } = split(out)
  t.equal(rest, line, 'the rest of the line is the line, byte for byte')
  t.same(aws, {
    Timestamp: 1_764_000_000_123,
    CloudWatchMetrics: [{
      Namespace: 'MyApp',
      Dimensions: [['service'], ['service', 'route']],
      Metrics: [{ Name: 'latencyMs', Unit: 'Milliseconds' }, { Name: 'retries', Unit: 'Count' }]
    }]
  })
})

t.test('lines without metric fields are returned as they are, and never parsed', async t => {
  const { w } = writer()
  const parse = JSON.parse
  let parsed = 0
  JSON.parse = ((...args: Parameters<typeof parse>) => { parsed++; return parse(...args) }) as typeof JSON.parse
  t.teardown(() => { JSON.parse = parse })
  const lines = [
    '{"level":30,"time":1,"msg":"hello"}',
    '{"level":30,"msg":"latencyMs is slow","latency":12}',
    'plain text latencyMs: 12',
    '{"latencyMsX":12}'
  ]
  for (const line of lines) t.equal(w.write(line, NOW, NOW), line, line)
  t.equal(parsed, 0, 'JSON.parse was never called')
})

t.test('only fields present as finite numbers (or arrays of them) become metrics', async t => {
  const { w, problems } = writer()
  const line = '{"latencyMs":"12","bytesSent":null,"retries":[1,2,3]}'
  const { aws } = split(w.write(line, NOW, NOW))
  t.same((aws as any).CloudWatchMetrics[0].Metrics, [{ Name: 'retries', Unit: 'Count' }])
  t.equal(w.write('{"latencyMs":"12","bytesSent":true}', NOW, NOW), '{"latencyMs":"12","bytesSent":true}', 'none: unchanged')
  t.equal(w.write('{"latencyMs":1e999}', NOW, NOW), '{"latencyMs":1e999}', 'a number JSON cannot hold finitely is no metric')
  t.equal(w.write('{"nested":{"latencyMs":12}}', NOW, NOW), '{"nested":{"latencyMs":12}}', 'a nested field is no metric')
  t.same(problems, [])
})

t.test('values per metric: 100 in an array pass, 101 are left out and reported', async t => {
  const { w, problems } = writer()
  const ok = `{"latencyMs":[${Array(100).fill(1).join(',')}]}`
  t.match((split(w.write(ok, NOW, NOW)).aws as any).CloudWatchMetrics[0].Metrics, [{ Name: 'latencyMs' }])
  const over = `{"latencyMs":[${Array(101).fill(1).join(',')}],"retries":1}`
  t.same((split(w.write(over, NOW, NOW)).aws as any).CloudWatchMetrics[0].Metrics, [{ Name: 'retries', Unit: 'Count' }])
  t.same(problems, ['field "latencyMs" holds more than 100 values; left out'])
})

t.test('dimension sets: only those whose fields are all present as strings', async t => {
  const { w } = writer()
  const dims = (line: string): unknown => (split(w.write(line, NOW, NOW)).aws as any).CloudWatchMetrics[0].Dimensions
  t.same(dims('{"service":"api","latencyMs":1}'), [['service']])
  t.same(dims('{"service":"api","route":7,"latencyMs":1}'), [['service']], 'a number is no dimension value')
  t.same(dims('{"service":"","route":"/x","latencyMs":1}'), [[]], 'an empty string neither: no set applies, no dimensions')
  t.same(dims('{"route":"/x","latencyMs":1}'), [[]])
  t.same(dims(`{"service":"${'s'.repeat(1024)}","latencyMs":1}`), [['service']], '1024 characters')
  t.same(dims(`{"service":"${'s'.repeat(1025)}","latencyMs":1}`), [[]], '1025 are too many')
})

t.test('without dimension sets, metrics have no dimensions; default dimensions join every set', async t => {
  const bare = writer({ namespace: 'N', fields: { n: 'None' } }).w
  t.same((split(bare.write('{"n":1}', NOW, NOW)).aws as any).CloudWatchMetrics[0].Dimensions, [[]])
  const { w } = writer({ ...OPTIONS, defaultDimensions: { env: 'prod', service: 'fallback' } })
  const line = '{"service":"api","latencyMs":1,"msg":"m"}'
  const out = w.write(line, NOW, NOW)
  const doc = JSON.parse(out)
  t.same(doc._aws.CloudWatchMetrics[0].Dimensions, [['env', 'service']], 'the line\'s own service is used')
  t.equal(doc.env, 'prod', 'a default the line lacks is added')
  t.equal(doc.service, 'api')
  t.equal(out, `{"_aws":${JSON.stringify(doc._aws)},"env":"prod",${line.slice(1)}`, 'added right after _aws, nothing else changed')
  const lacking = JSON.parse(w.write('{"latencyMs":1}', NOW, NOW))
  t.same(lacking._aws.CloudWatchMetrics[0].Dimensions, [['env', 'service']], 'defaults fill in what the line lacks')
  t.equal(lacking.service, 'fallback')
  const invalid = JSON.parse(w.write('{"service":5,"latencyMs":1}', NOW, NOW))
  t.same(invalid._aws.CloudWatchMetrics[0].Dimensions, [[]], 'a default the line holds as no string: no set applies')
  t.notOk('env' in invalid, 'and nothing is added')
})

t.test('storageResolution and the timestamp', async t => {
  const { w } = writer({ ...OPTIONS, storageResolution: { latencyMs: 1 } })
  const { aws } = split(w.write('{"latencyMs":1,"retries":2}', 1_764_000_000_999, NOW))
  t.same((aws as any).CloudWatchMetrics[0].Metrics, [
    { Name: 'latencyMs', Unit: 'Milliseconds', StorageResolution: 1 }, { Name: 'retries', Unit: 'Count' }
  ])
  t.equal((aws as any).Timestamp, 1_764_000_000_999, 'the line\'s own time, from the pipeline')
})

t.test('a line with its own _aws is shipped unchanged; a bad one is reported', async t => {
  const { w, problems } = writer()
  const good = JSON.stringify({
    _aws: { Timestamp: NOW, CloudWatchMetrics: [{ Namespace: 'Other', Dimensions: [[]], Metrics: [{ Name: 'x', Unit: 'Count' }] }] },
    x: 1,
    latencyMs: 5
  })
  t.equal(w.write(good, NOW, NOW), good)
  t.same(problems, [])
  const bad = good.replace('"Count"', '"Counts"')
  t.equal(w.write(bad, NOW, NOW), bad)
  t.same(problems, ['CloudWatchMetrics[0].Metrics[0]: Unit "Counts" is not a CloudWatch unit'])
  const noFields = '{"_aws":{"Timestamp":1,"CloudWatchMetrics":[]},"msg":"old"}'
  t.equal(w.write(noFields, NOW, NOW), noFields)
  t.match(problems[1], /more than 14 days in the past/, 'checked even without a configured field in the line')
})

t.test('what is not a JSON object stays as it is', async t => {
  const { w } = writer()
  for (const line of ['{"latencyMs":12', '["latencyMs":1]', 'x {"latencyMs":1}', '"latencyMs":1']) {
    t.equal(w.write(line, NOW, NOW), line, line)
  }
})

t.test('keys written with blanks around the colon, and leading blanks, are found', async t => {
  const { w } = writer()
  const line = '  { "latencyMs" : 3, "msg": "x" }'
  const out = w.write(line, NOW, NOW)
  t.ok(out.startsWith('  {"_aws":'), 'inserted after the brace, blanks before it kept')
  const doc = JSON.parse(out)
  t.equal(doc.latencyMs, 3)
  t.equal(out, `  {"_aws":${JSON.stringify(doc._aws)},${line.slice(3)}`, 'the rest unchanged')
})

t.test('field names that need regular-expression escapes are matched literally', async t => {
  const { w } = writer({ namespace: 'N', fields: { 'a.b': 'Count', 'c+d': 'Count' } })
  t.equal(w.write('{"aXb":1}', NOW, NOW), '{"aXb":1}')
  t.match(JSON.parse(w.write('{"a.b":1,"c+d":2}', NOW, NOW))._aws.CloudWatchMetrics[0].Metrics, [{ Name: 'a.b' }, { Name: 'c+d' }])
})
