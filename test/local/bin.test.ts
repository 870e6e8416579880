import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import t from 'tap'
import {
  CreateLogGroupCommand, CreateLogStreamCommand, DescribeLogGroupsCommand, PutLogEventsCommand
} from '@aws-sdk/client-cloudwatch-logs'
import { FLAGS } from '../../lib/local/cli/flags.js'
import { RANDOM_FAULTS } from '../../lib/local/faults.js'
import { clientAt, errorOf, runBin, serveBin, spawnBin } from './helpers.js'

const hello = (): PutLogEventsCommand => new PutLogEventsCommand({ logGroupName: 'g', logStreamName: 's', logEvents: [{ timestamp: Date.now(), message: 'hello' }] })

t.test('logbeam-local --port 0 prints its URL, serves the SDK and exits 0 on SIGTERM', async (t) => {
  const { child, url } = await serveBin(t, '--port', '0')
  t.match(url, /^http:\/\/127\.0\.0\.1:\d+$/)
  const client = clientAt(t, url)
  await client.send(new CreateLogGroupCommand({ logGroupName: 'from-bin' }))
  const { logGroups } = await client.send(new DescribeLogGroupsCommand({}))
  t.same(logGroups?.map((g) => g.logGroupName), ['from-bin'])
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  t.same(await exited, [0, null])
})

t.test('SIGINT stops it too, with open keep-alive connections', async (t) => {
  const { child, url } = await serveBin(t, '--port', '0')
  await clientAt(t, url).send(new DescribeLogGroupsCommand({}))
  const exited = once(child, 'exit')
  child.kill('SIGINT')
  t.same(await exited, [0, null])
})

t.test('fault flags reach the endpoint: --throttle-rate 1 throttles every PutLogEvents', async (t) => {
  const { child, url } = await serveBin(t, '--port', '0', '--throttle-rate', '1', '--latency-ms', '1', '--seed', '3')
  const client = clientAt(t, url)
  await client.send(new CreateLogGroupCommand({ logGroupName: 'g' }))
  await client.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 's' }))
  await t.rejects(client.send(hello()), { name: 'ThrottlingException' })
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  t.same(await exited, [0, null])
})

t.test('--auto-create: PutLogEvents creates the group and stream; without it, ResourceNotFoundException', async (t) => {
  const strict = await serveBin(t, '--port', '0')
  t.equal((await errorOf(clientAt(t, strict.url).send(hello()))).name, 'ResourceNotFoundException')
  const { url } = await serveBin(t, '--port', '0', '--auto-create')
  await clientAt(t, url).send(hello())
  t.equal((await runBin('dump', '--endpoint', url, '--group', 'g')).stdout.trim().split(' ').at(-1), 'hello')
})

t.test('--max-body-bytes: a larger request gets the proxy 413', async (t) => {
  const { url } = await serveBin(t, '--port', '0', '--auto-create', '--max-body-bytes', '64')
  const err = await errorOf(clientAt(t, url).send(hello()))
  t.equal(err.$metadata?.httpStatusCode, 413)
})

t.test('--stall-rate 1: the client is left waiting for the body; SIGTERM still exits at once', async (t) => {
  const { child, url } = await serveBin(t, '--port', '0', '--auto-create', '--stall-rate', '1')
  const pending = errorOf(clientAt(t, url).send(hello()))
  await new Promise((resolve) => setTimeout(resolve, 300))
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  t.same(await exited, [0, null])
  t.equal((await pending).code, 'ECONNRESET', 'cut by the endpoint closing')
})

t.test('--reset-after-processing-rate 1 stores, then cuts; --hang-after-processing-rate 1 stores, never answers', async (t) => {
  const reset = await serveBin(t, '--port', '0', '--auto-create', '--reset-after-processing-rate', '1')
  t.equal((await errorOf(clientAt(t, reset.url).send(hello()))).code, 'ECONNRESET')
  t.match((await runBin('dump', '--endpoint', reset.url, '--group', 'g')).stdout, / s hello\n$/)

  const hang = await serveBin(t, '--port', '0', '--auto-create', '--hang-after-processing-rate', '1', '--fault-operations', 'PutLogEvents')
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), 300)
  const err = await errorOf(clientAt(t, hang.url).send(hello(), { abortSignal: controller.signal }))
  clearTimeout(timer)
  t.equal(err.name, 'AbortError')
  t.match((await runBin('dump', '--endpoint', hang.url, '--group', 'g')).stdout, / s hello\n$/)
})

t.test('--version prints the version of package.json', async (t) => {
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  t.same(await runBin('--version'), { code: 0, stdout: `${version}\n`, stderr: '' })
})

t.test('--help prints the usage, every flag, the commands and the aws CLI recipe, and exits 0', async (t) => {
  const { code, stdout } = await runBin('--help')
  t.equal(code, 0)
  t.match(stdout, /^Usage: logbeam-local \[options\]/)
  for (const flag of FLAGS) t.match(stdout, `--${flag.name}`)
  t.match(stdout, /logbeam-local dump --endpoint URL --group NAME/)
  t.match(stdout, /logbeam-local list --endpoint URL/)
  t.match(stdout, /aws logs get-log-events --endpoint-url URL/)
})

t.test('a bad command line exits 2 with the message on stderr, nothing on stdout', async (t) => {
  // Each message is checked in-process (cli-args.test.ts); this is the exit status and the streams.
  for (const args of [['--nope'], ['--group', 'g'], ['--throttle-rate', '2']]) {
    const { code, stderr, stdout } = await runBin(...args)
    t.equal(code, 2, args.join(' '))
    t.match(stderr, new RegExp(`^logbeam-local: .*${args[0]!}.*\nTry 'logbeam-local --help'[.]\n$`), args.join(' '))
    t.equal(stdout, '', 'nothing on stdout')
  }
})

t.test('every random fault rate has its flag', async (t) => {
  const targets = FLAGS.map((f) => 'fault' in f.target ? f.target.fault : undefined)
  for (const [rate] of RANDOM_FAULTS) t.ok(targets.includes(rate), rate)
})

t.test('stdout closed early (dump | head) is no failure', async (t) => {
  const { url } = await serveBin(t, '--port', '0', '--auto-create')
  const client = clientAt(t, url)
  const timestamp = Date.now()
  for (let i = 0; i < 5; i++) {
    const logEvents = Array.from({ length: 10_000 }, (_, j) => ({ timestamp, message: `line ${i * 10_000 + j} ${'x'.repeat(60)}` }))
    await client.send(new PutLogEventsCommand({ logGroupName: 'g', logStreamName: 's', logEvents }))
  }
  const child = spawnBin('dump', '--endpoint', url, '--group', 'g')
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  child.stdout.once('data', () => child.stdout.destroy())
  const [code] = await once(child, 'close')
  t.equal(code, 0, stderr)
})
