import t from 'tap'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseCliArgs, resolveCliOptions } from '../../lib/cli/args.js'
import { parseJsonValue } from '../../lib/cli/json-value.js'
import { LogbeamOptionError } from '../../lib/option-error.js'
import { resolveOptions, type Options } from '../../lib/options.js'
import { runInProcess } from '../fixtures/cli-in-process.js'

const GOOD = { namespace: 'MyApp', fields: { latencyMs: 'Milliseconds' }, dimensions: [['service']] }

/** The option a bad `metrics` value is refused for, with the reason. */
function refused (metrics: unknown): { option: string, reason: string } | undefined {
  try {
    resolveOptions({ logGroupName: 'g', metrics } as Options)
  } catch (err) {
    if (err instanceof LogbeamOptionError) return { option: err.option, reason: err.reason }
    throw err
  }
  return undefined
}

const fields = (n: number): Record<string, string> => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, 'Count']))
const names = (n: number, prefix = 'd'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`)

t.test('a good metrics option resolves as given; absent, it is undefined', async t => {
  t.same(resolveOptions({ logGroupName: 'g', metrics: GOOD as Options['metrics'] }).metrics, GOOD)
  t.equal(resolveOptions({ logGroupName: 'g' }).metrics, undefined)
  t.equal(refused({
    ...GOOD,
    storageResolution: { latencyMs: 1 },
    defaultDimensions: { env: 'prod' },
    dimensions: [[], ['service', 'route']]
  }), undefined)
})

t.test('a bad setting is refused at start, naming it inside the option', async t => {
  const cases: Array<[unknown, string, RegExp]> = [
    [{ ...GOOD, fields: { latencyMs: 'Millis' } }, 'metrics.fields.latencyMs', /one of the CloudWatch units \(Seconds, .*None; see https:\/\/docs\.aws\.amazon\.com\/.*MetricDatum.*\), got "Millis"/],
    [{ ...GOOD, fields: { latencyMs: 'milliseconds' } }, 'metrics.fields.latencyMs', /got "milliseconds"/],
    [{ ...GOOD, namespace: 'AWS/Mine' }, 'metrics.namespace', /AWS's own/],
    [{ ...GOOD, namespace: '' }, 'metrics.namespace', /not 1 to 255/],
    [{ fields: GOOD.fields }, 'metrics.namespace', /not a string/],
    [{ namespace: 'N' }, 'metrics.fields', /expected an object of field name -> unit/],
    [{ namespace: 'N', fields: {} }, 'metrics.fields', /expected 1 to 100 fields, got 0/],
    [{ namespace: 'N', fields: fields(101) }, 'metrics.fields', /expected 1 to 100 fields, got 101/],
    [{ namespace: 'N', fields: { 'a"b': 'Count' } }, 'metrics.fields.a"b', /without " or \\/],
    [{ namespace: 'N', fields: { _aws: 'Count' } }, 'metrics.fields._aws', /other than _aws/],
    [{ ...GOOD, storageResolution: { latencyMs: 30 } }, 'metrics.storageResolution.latencyMs', /expected 1 or 60, got 30/],
    [{ ...GOOD, storageResolution: { other: 1 } }, 'metrics.storageResolution.other', /not a field of metrics.fields/],
    [{ ...GOOD, dimensions: ['service'] }, 'metrics.dimensions[0]', /expected an array of field names/],
    [{ ...GOOD, dimensions: [['latencyMs']] }, 'metrics.dimensions[0]', /is a metric field; it cannot be a dimension too/],
    [{ ...GOOD, dimensions: [['a', 'a']] }, 'metrics.dimensions[0]', /named twice/],
    [{ ...GOOD, dimensions: [[':a']] }, 'metrics.dimensions[0]', /starts with ':'/],
    [{ ...GOOD, dimensions: [names(31)] }, 'metrics.dimensions[0]', /31 dimensions with defaultDimensions; at most 30/],
    [{ ...GOOD, dimensions: [names(29)], defaultDimensions: { env: 'prod', zone: 'a' } }, 'metrics.dimensions[0]', /31 dimensions/],
    [{ ...GOOD, defaultDimensions: { env: '' } }, 'metrics.defaultDimensions.env', /printable ASCII/],
    [{ ...GOOD, defaultDimensions: { latencyMs: 'x' } }, 'metrics.defaultDimensions.latencyMs', /metric field/],
    [{ ...GOOD, defaultDimensions: Object.fromEntries(names(31).map(n => [n, 'v'])) }, 'metrics.defaultDimensions', /at most 30/],
    [{ ...GOOD, dimension: [] }, 'metrics.dimension', /unknown setting \(known: namespace, fields, dimensions/],
    [['x'], 'metrics', /expected an object with namespace and fields/]
  ]
  for (const [metrics, option, reason] of cases) {
    const got = refused(metrics)
    t.equal(got?.option, option, option)
    t.match(got?.reason, reason, option)
  }
})

t.test('the limits of the option at their boundaries', async t => {
  t.equal(refused({ namespace: 'N', fields: fields(100) }), undefined, '100 fields')
  t.equal(refused({ ...GOOD, dimensions: [names(30)] }), undefined, '30 dimensions')
  t.equal(refused({ ...GOOD, dimensions: [names(28)], defaultDimensions: { d0: 'x', env: 'prod' } }), undefined,
    '28 + 2 defaults, one of them in the set: 29')
  for (const r of [1, 60]) t.equal(refused({ ...GOOD, storageResolution: { latencyMs: r } }), undefined, `resolution ${r}`)
})

t.test('--metrics takes JSON or @FILE; LOGBEAM_METRICS too', async t => {
  const json = JSON.stringify(GOOD)
  const flag = parseCliArgs(['--log-group-name', 'g', '--metrics', json], {})
  t.same(resolveCliOptions(flag, {}).metrics, GOOD)
  const dir = mkdtempSync(join(tmpdir(), 'logbeam-metrics-'))
  const file = join(dir, 'metrics.json')
  writeFileSync(file, json)
  t.same(resolveCliOptions(parseCliArgs(['--log-group-name', 'g', '--metrics', `@${file}`], {}), {}).metrics, GOOD)
  t.same(resolveCliOptions(parseCliArgs(['--log-group-name', 'g'], { LOGBEAM_METRICS: `@${file}` }), {}).metrics, GOOD)
})

t.test('bad --metrics: bad JSON, a missing file, a bad setting, each named', async t => {
  const message = (argv: string[], env: NodeJS.ProcessEnv = {}): string => {
    try {
      resolveCliOptions(parseCliArgs(['--log-group-name', 'g', ...argv], env), {})
    } catch (err) {
      return (err as Error).message
    }
    return 'accepted'
  }
  t.match(message(['--metrics', '{"namespace":']), /^invalid value for --metrics: expected JSON: /)
  t.match(message(['--metrics', '@/nonexistent/metrics.json']), /^invalid value for --metrics: cannot read \/nonexistent\/metrics.json: ENOENT/)
  t.match(message(['--metrics', '@']), /expected a file name after @/)
  t.equal(message(['--metrics', JSON.stringify({ ...GOOD, fields: { latencyMs: 'ms' } })]).split(': ').slice(0, 2).join(': '),
    'invalid value for --metrics: metrics.fields.latencyMs')
  t.match(message([], { LOGBEAM_METRICS: JSON.stringify({ ...GOOD, namespace: 'AWS/x' }) }),
    /^invalid value for LOGBEAM_METRICS \(--metrics\): metrics.namespace: namespace "AWS\/x"/)
})

t.test('the CLI exits 2 on a bad --metrics, naming the flag and the setting', async t => {
  const cli = runInProcess(['--log-group-name', 'g', '--metrics', JSON.stringify({ ...GOOD, fields: { latencyMs: 'ms' } })])
  cli.stdin.end()
  t.equal(await cli.done, 2)
  t.match(cli.stderr(), /pino-cloudwatch: invalid value for --metrics: metrics\.fields\.latencyMs: expected one of the CloudWatch units/)
})

t.test('parseJsonValue reads files through the reader it is given', async t => {
  t.same(parseJsonValue('@x.json', path => `{"file":"${path}"}`), { ok: true, value: { file: 'x.json' } })
  t.match(parseJsonValue('@x.json', () => 'nope'), { ok: false, reason: /^expected JSON in x.json: / })
  t.same(parseJsonValue('[1]'), { ok: true, value: [1] })
})
