import t from 'tap'
import { LogbeamOptionError } from '../lib/option-error.js'
import { resolveOptions, DEFAULTS, type Options } from '../lib/options.js'
import { compileName } from '../lib/cloudwatch/name-template.js'

t.test('defaults apply', async t => {
  const o = resolveOptions({ logGroupName: 'app' })
  t.equal(o.bufferDuration, 10_000)
  t.equal(o.batchCount, 10_000)
  t.equal(o.batchSize, 1_048_576)
  t.equal(o.maxPutsPerSecond, 0)
  t.equal(o.maxConcurrentPuts, 16)
  t.equal(o.requestTimeout, 5000)
  t.equal(o.idleFlush, 1000)
  t.equal(o.timestampKey, 'time')
  t.equal(o.createLogGroup, true)
  t.equal(o.overflow, DEFAULTS.overflow)
  t.match(o.logStreamName, /^\d{4}-\d{2}-\d{2}\/[^/]+\/\d+\/[0-9a-f]{8}$/)
})

t.test('two transports never share the default stream name', async t => {
  t.not(resolveOptions({ logGroupName: 'app' }).logStreamName, resolveOptions({ logGroupName: 'app' }).logStreamName)
})

const bad: Array<[string, Partial<Options> | Record<string, unknown>, RegExp]> = [
  ['missing group', {}, /logGroupName/],
  ['group with a space', { logGroupName: 'my app' }, /logGroupName/],
  ['group under aws/', { logGroupName: 'aws/lambda' }, /logGroupName.*aws\//],
  ['batchCount over the limit', { logGroupName: 'g', batchCount: 10_001 }, /batchCount: expected a whole number from 1 to 10000, got 10001/],
  ['batchCount zero', { logGroupName: 'g', batchCount: 0 }, /batchCount/],
  ['batchSize over the limit', { logGroupName: 'g', batchSize: 1_048_577 }, /batchSize: expected a whole number from 1024 to 1048576/],
  ['bufferDuration not a number', { logGroupName: 'g', bufferDuration: '10s' }, /bufferDuration.*"10s"/],
  ['retention not allowed', { logGroupName: 'g', retentionInDays: 2 }, /retentionInDays: expected one of 1, 3, 5, 7/],
  ['unknown option', { logGroupName: 'g', bufferDurration: 5 }, /bufferDurration: unknown option/],
  ['a name of Object.prototype', { logGroupName: 'g', toString: 5 }, /toString: unknown option/],
  ['bad overflow', { logGroupName: 'g', overflow: 'explode' }, /overflow: expected one of 'drop-oldest', 'drop-newest', 'block'/],
  ['bad class', { logGroupName: 'g', logGroupClass: 'CHEAP' }, /logGroupClass/],
  ['bad tags', { logGroupName: 'g', tags: { a: 1 } }, /tags/],
  ['negative rate', { logGroupName: 'g', maxPutsPerSecond: -1 }, /maxPutsPerSecond/],
  ['empty stream template', { logGroupName: 'g', logStreamName: ' ' }, /logStreamName/],
  ['timestampKey with a quote', { logGroupName: 'g', timestampKey: 'a"b' }, /timestampKey/],
  ['a buffer under three batches', { logGroupName: 'g', maxBufferSize: 3 * 1_048_576 - 1 }, /maxBufferSize: .*from 3145728/],
  ['a tag key under aws:', { logGroupName: 'g', tags: { 'aws:x': 'y' } }, /tags: key "aws:x"/],
  ['a closeTimeout over 10 minutes', { logGroupName: 'g', closeTimeout: 600_001 }, /closeTimeout: .*from 0 to 600000/],
  ['null tags', { logGroupName: 'g', tags: null }, /tags: expected an object of string values, got null/],
  ['an {env} token without a name', { logGroupName: 'g', logStreamName: 'app/{env}' }, /logStreamName: "\{env\}" in "app\/\{env\}"/],
  ['an {env.X} token with a bad name', { logGroupName: 'g', logStreamName: '{env.A-B}' }, /logStreamName: .*\{env\.NAME\}/],
  ['a template that expands to nothing', { logGroupName: 'g', logStreamName: '{env.LOGBEAM_UNSET_FOR_TEST}' }, /logStreamName: .*expands to an empty name/]
]
for (const [name, input, message] of bad) {
  t.test(`rejects ${name}, naming the option`, async t => {
    t.throws(() => resolveOptions(input as Options), { name: 'LogbeamOptionError', message })
  })
}

t.test('a bad option is data: the option and the reason, and the message keeps its form', async t => {
  const err = t.throws(() => resolveOptions({ logGroupName: 'g', maxConcurrentPuts: 65 })) as LogbeamOptionError
  t.ok(err instanceof LogbeamOptionError)
  t.equal(err.option, 'maxConcurrentPuts')
  t.equal(err.reason, 'expected a whole number from 1 to 64, got 65')
  t.equal(err.message, `logbeam: invalid option maxConcurrentPuts: ${err.reason}`)
  const template = t.throws(() => resolveOptions({ logGroupName: 'g', logStreamName: '{env}' })) as LogbeamOptionError
  t.ok(template instanceof LogbeamOptionError, 'a bad stream template too')
  t.equal(template.option, 'logStreamName')
})

t.test('the keys pino adds to a target\'s options are never refused', async t => {
  const withPinoKeys = {
    logGroupName: 'g',
    levels: { labels: { 30: 'info' }, values: { info: 30 } },
    dedupe: false,
    pinoWillSendConfig: true,
    $context: { worker: 1 }
  }
  const o = resolveOptions(withPinoKeys as Options) as unknown as Record<string, unknown>
  t.equal(o.logGroupName, 'g')
  for (const key of ['levels', 'dedupe', 'pinoWillSendConfig', '$context']) t.notOk(key in o, `${key} is passed over`)
})

t.test('closeTimeout may go up to 10 minutes here (the worker transport checks its own bound)', async t => {
  t.equal(resolveOptions({ logGroupName: 'g', closeTimeout: 600_000 }).closeTimeout, 600_000)
})

t.test('stream name templates expand and are made valid', async t => {
  const at = new Date(Date.UTC(2026, 10, 24, 9, 8, 7))
  const expand = (template: string, env: NodeJS.ProcessEnv = {}): string | undefined =>
    compileName(template, 'stream', env, at).fixed
  t.equal(expand('{date}T{time}'), '2026-11-24T09-08-07', 'the : of a time becomes -')
  t.equal(expand('a*b:c'), 'a-b-c')
  t.equal(expand('{env.SERVICE}-{pid}', { SERVICE: 'api' }), `api-${process.pid}`)
  t.equal(expand('x'.repeat(600))!.length, 512)
  t.match(expand('{id}'), /^[0-9a-f]{8}$/)
  const refused = (template: string, reason: RegExp, why: string): void => {
    const err = t.throws(() => expand(template), why) as LogbeamOptionError
    t.equal(err.option, 'logStreamName', `${why}: names the option`)
    t.match(err.reason, reason, `${why}: says why`)
  }
  refused('{unknown}', /"\{unknown\}".*is not a placeholder/, 'a misspelt placeholder is refused, never shipped as text')
  refused('{feild.tenant}', /is not a placeholder/, 'a misspelt record placeholder too')
  refused('{pid|x}', /only \{level\} and \{field.NAME\} take/, 'a fallback on a process placeholder')
  refused('{env.}', /expected \{env.NAME\}/, 'an env placeholder without a name')
  refused('{env.X}', /expands to an empty name/, 'an empty expansion')
})
