import t from 'tap'
import { readFileSync } from 'node:fs'
import { parseCliArgs } from '../../lib/cli/args.js'
import { FLAGS, envName } from '../../lib/cli/flags.js'
import { builtCli, cliEnv, startCli } from '../fixtures/cli-helpers.js'
import { runInProcess } from '../fixtures/cli-in-process.js'

const G = ['--log-group-name', 'app/args']

/** Runs argv in-process with an empty stdin; returns the exit status and stderr. */
async function usage (argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number, stderr: string, stdout: string }> {
  const cli = runInProcess(argv, env)
  cli.stdin.end()
  const code = await cli.done
  return { code, stderr: cli.stderr(), stdout: cli.stdout() }
}

const binary = builtCli()

t.test('the binary: an unknown flag exits 2 and names the flag', { skip: binary }, async t => {
  const cli = startCli([...G, '--log-grup-name', 'x'])
  cli.child.stdin!.end()
  const { code } = await cli.exited
  t.equal(code, 2)
  t.match(cli.stderr(), /unknown flag --log-grup-name/)
  t.equal(cli.stdout().length, 0)
})

t.test('the binary: --version prints the version of package.json', { skip: binary }, async t => {
  const cli = startCli(['--version'])
  const { code } = await cli.exited
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  t.equal(code, 0)
  t.equal(cli.stdout().toString(), `${pkg.version}\n`)
})

t.test('the binary: --help lists every flag, its environment variable and the exit statuses', { skip: binary }, async t => {
  const cli = startCli(['--help'])
  const { code } = await cli.exited
  const help = cli.stdout().toString()
  t.equal(code, 0)
  for (const flag of FLAGS) {
    t.ok(help.includes(`--${flag.name}`), `--${flag.name}`)
    if (flag.negatable) t.ok(help.includes(`--no-${flag.name}`), `--no-${flag.name}`)
    const env = envName(flag)
    if (env) t.ok(help.includes(env), env)
  }
  t.match(help, /Exit status:[\s\S]*130/)
})

t.test('the binary: no region anywhere exits 2 with a message saying how to set one', { skip: binary }, async t => {
  const env = cliEnv({ AWS_CONFIG_FILE: '/nonexistent/config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials' })
  delete env.AWS_REGION
  const cli = startCli(G, env)
  cli.child.stdin!.end()
  const { code } = await cli.exited
  t.equal(code, 2)
  t.match(cli.stderr(), /no AWS region: set --region \(or LOGBEAM_REGION\) or the AWS_REGION environment variable/)
  t.notMatch(cli.stderr(), /clientConfig/, 'the library\'s option is not the CLI\'s business')
})

t.test('a value that is not a number exits 2 naming the flag', async t => {
  const { code, stderr } = await usage([...G, '--buffer-duration', '10s'])
  t.equal(code, 2)
  t.match(stderr, /invalid value for --buffer-duration: expected a whole number, got "10s"/)
})

t.test('a value out of range exits 2 naming the flag, not the option', async t => {
  const { code, stderr } = await usage([...G, '--batch-count', '20000'])
  t.equal(code, 2)
  t.match(stderr, /invalid value for --batch-count: expected a whole number from 1 to 10000, got 20000/)
  t.notMatch(stderr, /batchCount/)
})

t.test('a value not among the choices exits 2 and lists them', async t => {
  const { code, stderr } = await usage([...G, '--overflow', 'wait'])
  t.equal(code, 2)
  t.match(stderr, /--overflow: expected one of drop-oldest, drop-newest, block/)
})

t.test('a retention the service does not accept exits 2', async t => {
  const { code, stderr } = await usage([...G, '--retention-in-days', '2'])
  t.equal(code, 2)
  t.match(stderr, /--retention-in-days: expected one of 1, 3, 5/)
})

t.test('a bad log group name exits 2 naming --log-group-name', async t => {
  const { code, stderr } = await usage(['--log-group-name', 'has space'])
  t.equal(code, 2)
  t.match(stderr, /invalid value for --log-group-name/)
})

t.test('a bad stream-name template exits 2 naming the flag or the variable that set it', async t => {
  const flag = await usage([...G, '--log-stream-name', 'app/{env}'])
  t.equal(flag.code, 2)
  t.match(flag.stderr, /invalid value for --log-stream-name: "\{env\}" in "app\/\{env\}"/)
  const variable = await usage(G, { LOGBEAM_LOG_STREAM_NAME: '{env.NOT_SET_ANYWHERE}' })
  t.match(variable.stderr, /invalid value for LOGBEAM_LOG_STREAM_NAME \(--log-stream-name\): .*expands to an empty name/)
})

t.test('a tag without = exits 2', async t => {
  const { code, stderr } = await usage([...G, '--tag', 'team'])
  t.equal(code, 2)
  t.match(stderr, /--tag: expected KEY=VALUE, got "team"/)
})

t.test('an endpoint that is not an http(s) URL exits 2', async t => {
  const { code, stderr } = await usage([...G, '--endpoint', 'localhost:4566'])
  t.equal(code, 2)
  t.match(stderr, /--endpoint: expected an http:\/\/ or https:\/\/ URL/)
})

t.test('a missing value, a value given to a switch, and a stray argument exit 2', async t => {
  t.match((await usage(['--log-group-name'])).stderr, /--log-group-name needs a value/)
  t.match((await usage([...G, '--tee=yes'])).stderr, /--tee takes no value/)
  const stray = await usage([...G, 'app.log'])
  t.equal(stray.code, 2)
  t.match(stray.stderr, /unexpected argument "app.log"/)
})

t.test('--log-group-name is required', async t => {
  const { code, stderr } = await usage([])
  t.equal(code, 2)
  t.match(stderr, /--log-group-name is required \(or set LOGBEAM_LOG_GROUP_NAME\)/)
})

t.test('usage errors go to stderr only', async t => {
  const { stdout } = await usage(['--nope'])
  t.equal(stdout, '')
})

t.test('every flag maps to its option', async t => {
  const { options, tee, quiet } = parseCliArgs([
    '--log-group-name', 'g', '--log-stream-name', 's/{pid}', '--buffer-duration', '1', '--batch-count', '2',
    '--batch-size', '2048', '--no-create-log-group', '--no-create-log-stream', '--retention-in-days', '7',
    '--log-group-class', 'INFREQUENT_ACCESS', '--tag', 'a=1', '--tag', 'b=x=y', '--max-puts-per-second', '3',
    '--max-concurrent-puts', '4', '--idle-flush', '250', '--timestamp-key', 'ts', '--oversize-events', 'truncate', '--request-timeout', '500',
    '--close-timeout', '600', '--max-buffer-size', '2000000', '--overflow', 'drop-oldest', '--spool-dir', '/tmp/s',
    '--max-spool-size', '3000000', '--retry-base-delay', '7', '--retry-max-delay', '8', '--tee', '--quiet',
    '--region', 'eu-west-1', '--endpoint', 'http://127.0.0.1:1', '--profile', 'dev'
  ], {})
  t.same(options, {
    logGroupName: 'g',
    logStreamName: 's/{pid}',
    bufferDuration: 1,
    batchCount: 2,
    batchSize: 2048,
    createLogGroup: false,
    createLogStream: false,
    retentionInDays: 7,
    logGroupClass: 'INFREQUENT_ACCESS',
    tags: { a: '1', b: 'x=y' },
    maxPutsPerSecond: 3,
    maxConcurrentPuts: 4,
    idleFlush: 250,
    timestampKey: 'ts',
    oversizeEvents: 'truncate',
    requestTimeout: 500,
    closeTimeout: 600,
    maxBufferSize: 2000000,
    overflow: 'drop-oldest',
    spoolDir: '/tmp/s',
    maxSpoolSize: 3000000,
    retryBaseDelay: 7,
    retryMaxDelay: 8,
    clientConfig: { region: 'eu-west-1', endpoint: 'http://127.0.0.1:1', profile: 'dev' },
    stderr: false
  })
  t.equal(tee, true)
  t.equal(quiet, true)
})

t.test('the CLI blocks by default instead of dropping', async t => {
  t.equal(parseCliArgs(G, {}).options.overflow, 'block')
})

t.test('LOGBEAM_* variables set what the flags set', async t => {
  const { options, tee } = parseCliArgs([], {
    LOGBEAM_LOG_GROUP_NAME: 'from-env',
    LOGBEAM_BUFFER_DURATION: '250',
    LOGBEAM_CREATE_LOG_GROUP: 'false',
    LOGBEAM_TAG: 'team=core,env=prod',
    LOGBEAM_REGION: 'eu-central-1',
    LOGBEAM_TEE: '1'
  })
  t.equal(options.logGroupName, 'from-env')
  t.equal(options.bufferDuration, 250)
  t.equal(options.createLogGroup, false)
  t.same(options.tags, { team: 'core', env: 'prod' })
  t.same(options.clientConfig, { region: 'eu-central-1' })
  t.equal(tee, true)
})

t.test('flags win over LOGBEAM_* variables', async t => {
  const { options } = parseCliArgs(['--buffer-duration', '5', '--create-log-group', '--tag', 'x=1'], {
    LOGBEAM_LOG_GROUP_NAME: 'g', LOGBEAM_BUFFER_DURATION: '250', LOGBEAM_CREATE_LOG_GROUP: 'false', LOGBEAM_TAG: 'team=core'
  })
  t.equal(options.bufferDuration, 5)
  t.equal(options.createLogGroup, true)
  t.same(options.tags, { x: '1' })
})

t.test('an empty LOGBEAM_* variable counts as unset', async t => {
  t.equal(parseCliArgs(G, { LOGBEAM_BUFFER_DURATION: '' }).options.bufferDuration, undefined)
})

t.test('a bad LOGBEAM_* value exits 2 naming the variable', async t => {
  const { code, stderr } = await usage(G, { LOGBEAM_BATCH_COUNT: 'many' })
  t.equal(code, 2)
  t.match(stderr, /invalid value for LOGBEAM_BATCH_COUNT \(--batch-count\): expected a whole number/)
  const range = await usage(G, { LOGBEAM_MAX_CONCURRENT_PUTS: '100' })
  t.match(range.stderr, /invalid value for LOGBEAM_MAX_CONCURRENT_PUTS \(--max-concurrent-puts\): expected a whole number from 1 to 64/)
  const bool = await usage(G, { LOGBEAM_QUIET: 'maybe' })
  t.match(bool.stderr, /LOGBEAM_QUIET \(--quiet\): expected true or false/)
})

t.test('on a terminal, a hint says that the logs are read from stdin', async t => {
  const cli = runInProcess([...G, '--region', 'us-east-1'], {}, undefined, true)
  cli.stdin.end()
  t.equal(await cli.done, 0)
  t.match(cli.stderr(), /reading log lines from stdin/)
})

t.test('--quiet: no hint', async t => {
  const cli = runInProcess([...G, '--region', 'us-east-1', '--quiet'], {}, undefined, true)
  cli.stdin.end()
  t.equal(await cli.done, 0)
  t.equal(cli.stderr(), '')
})
