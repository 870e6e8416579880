import t from 'tap'
import { UsageError } from '../../lib/cli/args.js'
import { parseTailArgs } from '../../lib/cli/tail/args.js'
import { TAIL_FLAGS } from '../../lib/cli/tail/flags.js'
import { parseTimeSpec } from '../../lib/cli/tail/time-spec.js'

const NOW = Date.UTC(2026, 11, 1, 12)
const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseTailArgs(argv, env, NOW)

t.test('--since and --until: a time ago, now, or an ISO 8601 date or time', async t => {
  t.equal(parseTimeSpec('10m', NOW), NOW - 600_000)
  t.equal(parseTimeSpec('30s', NOW), NOW - 30_000)
  t.equal(parseTimeSpec('2h', NOW), NOW - 7_200_000)
  t.equal(parseTimeSpec('1d', NOW), NOW - 86_400_000)
  t.equal(parseTimeSpec('1w', NOW), NOW - 604_800_000)
  t.equal(parseTimeSpec('now', NOW), NOW)
  t.equal(parseTimeSpec('2026-11-30', NOW), Date.UTC(2026, 10, 30), 'a date alone is midnight UTC')
  t.equal(parseTimeSpec('2026-11-30T08:15:00Z', NOW), Date.UTC(2026, 10, 30, 8, 15))
  t.equal(parseTimeSpec('2026-11-30T08:15:00.250+02:00', NOW), Date.UTC(2026, 10, 30, 6, 15, 0, 250))
  t.equal(parseTimeSpec('2026-11-30 08:15', NOW), new Date(2026, 10, 30, 8, 15).getTime(), 'no offset: local time')
  for (const bad of ['10', '10 minutes', '-5m', 'yesterday', '2026-13-45', '1700000000000', '']) {
    t.match(parseTimeSpec(bad, NOW), { problem: /expected a time ago/ }, JSON.stringify(bad))
  }
})

t.test('defaults', async t => {
  t.match(parse(['--log-group-name', '/my/app']), {
    action: 'tail',
    groups: ['/my/app'],
    since: NOW - 600_000,
    until: undefined,
    follow: false,
    live: false,
    output: undefined,
    joinParts: true,
    pollInterval: 1000,
    followLookback: 30_000,
    quiet: false,
    client: {},
    pretty: {}
  })
})

t.test('every flag, and its variable', async t => {
  const argv = ['--log-group-name', 'g', '--log-stream-name', 'a', '--log-stream-name', 'b', '--filter', 'ERROR db',
    '--since', '2h', '--until', '1h', '--output', 'json', '--no-join-parts', '--no-colorize', '--level-first',
    '--translate-time', 'SYS:standard', '--ignore', 'pid', '--include', 'msg', '--single-line', '--hide-object',
    '--minimum-level', 'warn', '--message-key', 'm', '--message-format', '{msg}', '--region', 'eu-west-1',
    '--endpoint', 'http://127.0.0.1:4566', '--profile', 'p', '--quiet']
  const expected = {
    groups: ['g'],
    streams: ['a', 'b'],
    filter: 'ERROR db',
    since: NOW - 7_200_000,
    until: NOW - 3_600_000,
    output: 'json',
    joinParts: false,
    quiet: true,
    client: { region: 'eu-west-1', endpoint: 'http://127.0.0.1:4566', profile: 'p' },
    pretty: {
      colorize: false,
      levelFirst: true,
      translateTime: 'SYS:standard',
      ignore: 'pid',
      include: 'msg',
      singleLine: true,
      hideObject: true,
      minimumLevel: 'warn',
      messageKey: 'm',
      messageFormat: '{msg}'
    }
  }
  t.match(parse(argv), expected)
  const env = {
    LOGBEAM_LOG_GROUP_NAME: 'g',
    LOGBEAM_TAIL_LOG_STREAM_NAME: 'a,b',
    LOGBEAM_TAIL_FILTER: 'ERROR db',
    LOGBEAM_TAIL_SINCE: '2h',
    LOGBEAM_TAIL_UNTIL: '1h',
    LOGBEAM_TAIL_OUTPUT: 'json',
    LOGBEAM_TAIL_JOIN_PARTS: 'false',
    LOGBEAM_TAIL_COLORIZE: 'off',
    LOGBEAM_TAIL_LEVEL_FIRST: '1',
    LOGBEAM_TAIL_TRANSLATE_TIME: 'SYS:standard',
    LOGBEAM_TAIL_IGNORE: 'pid',
    LOGBEAM_TAIL_INCLUDE: 'msg',
    LOGBEAM_TAIL_SINGLE_LINE: 'yes',
    LOGBEAM_TAIL_HIDE_OBJECT: 'true',
    LOGBEAM_TAIL_MINIMUM_LEVEL: 'warn',
    LOGBEAM_TAIL_MESSAGE_KEY: 'm',
    LOGBEAM_TAIL_MESSAGE_FORMAT: '{msg}',
    LOGBEAM_REGION: 'eu-west-1',
    LOGBEAM_ENDPOINT: 'http://127.0.0.1:4566',
    LOGBEAM_PROFILE: 'p',
    LOGBEAM_QUIET: 'true'
  }
  t.match(parse([], env), expected, 'the same from the environment')
  t.match(parse(['--since', '3h', '--output', 'raw'], env), { since: NOW - 10_800_000, output: 'raw' }, 'flags win over variables')
  t.match(parse(['--follow', '--poll-interval', '250', '--follow-lookback', '0'], { LOGBEAM_LOG_GROUP_NAME: 'g' }),
    { follow: true, pollInterval: 250, followLookback: 0 })
  t.match(parse(['--log-group-name', 'g'], { LOGBEAM_TAIL_TRANSLATE_TIME: 'false' }), { pretty: { translateTime: false } })
})

t.test('the shipping template LOGBEAM_LOG_STREAM_NAME is not read as a stream to tail', async t => {
  t.equal(parse(['--log-group-name', 'g'], { LOGBEAM_LOG_STREAM_NAME: '{date}/{hostname}' }).streams, undefined)
})

t.test('every flag but --help has a LOGBEAM_ variable, unique, tail-only ones under LOGBEAM_TAIL_', async t => {
  const shared = new Set(['log-group-name', 'region', 'endpoint', 'profile', 'quiet'])
  const names = new Set<string>()
  for (const flag of TAIL_FLAGS) {
    if (flag.name === 'help') {
      t.equal(flag.env, undefined)
      continue
    }
    const expected = `LOGBEAM_${shared.has(flag.name) ? '' : 'TAIL_'}${flag.name.toUpperCase().replaceAll('-', '_')}`
    t.equal(flag.env, expected, flag.name)
    t.notOk(names.has(flag.env!), 'unique')
    names.add(flag.env!)
  }
})

t.test('--help', async t => {
  t.equal(parse(['--help']).action, 'help')
  t.equal(parse(['-h']).action, 'help')
})

const REFUSED: Array<[string[], RegExp]> = [
  [[], /--log-group-name is required \(or set LOGBEAM_LOG_GROUP_NAME\)/],
  [['--log-group-name', 'bad name!'], /expected a log group name or ARN/],
  [['--log-group-name', 'a', '--log-group-name', 'b'], /several --log-group-name values need --live/],
  [['--log-group-name', 'g', '--log-stream-name', 's', '--log-stream-name-prefix', 'p'], /cannot be used together/],
  [['--log-group-name', 'g', '--since', 'yesterday'], /invalid value for --since: expected a time ago/],
  [['--log-group-name', 'g', '--since', '1h', '--until', '2h'], /--until is before --since/],
  [['--log-group-name', 'g', '--follow', '--until', '1h'], /--until ends the reading, --follow never does/],
  [['--log-group-name', 'g', '--live', '--since', '1h'], /--since reads history, which --live does not/],
  [['--log-group-name', 'a', '--log-group-name', 'b', '--live', '--log-stream-name', 's'], /cannot select streams/],
  [[...Array.from({ length: 11 }, (_, i) => ['--log-group-name', `g${i}`]).flat(), '--live'], /at most 10 log groups, got 11/],
  [['--log-group-name', 'g', '--output', 'yaml'], /invalid value for --output: expected one of pretty, json, raw/],
  [['--log-group-name', 'g', '--poll-interval', '50'], /expected a whole number from 200 to 60000/],
  [['--log-group-name', 'g', '--endpoint', 'localhost:4566'], /expected an http:\/\/ or https:\/\/ URL/],
  [['--log-group-name', 'g', '--bogus'], /unknown flag --bogus/],
  [['--log-group-name', 'g', 'extra'], /unexpected argument "extra": pino-cloudwatch tail takes flags only/],
  [['--log-group-name', 'g', '--follow=yes'], /--follow takes no value/],
  [['--log-group-name'], /--log-group-name needs a value/]
]

for (const [argv, message] of REFUSED) {
  t.test(`refused: ${argv.slice(0, 8).join(' ')}`, async t => {
    let error: unknown
    try { parse(argv) } catch (err) { error = err }
    t.type(error, UsageError)
    t.match((error as Error | undefined)?.message, message)
  })
}

t.test('a bad variable names the variable and its flag', async t => {
  t.throws(() => parse(['--log-group-name', 'g'], { LOGBEAM_TAIL_FOLLOW: 'maybe' }),
    { message: 'invalid value for LOGBEAM_TAIL_FOLLOW (--follow): expected true or false, got "maybe"' })
  t.throws(() => parse(['--log-group-name', 'g'], { LOGBEAM_TAIL_SINCE: 'soon' }),
    { message: /^invalid value for LOGBEAM_TAIL_SINCE \(--since\): expected a time ago/ })
})
