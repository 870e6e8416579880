import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DescribeLogGroupsCommand, PutLogEventsCommand
} from '@aws-sdk/client-cloudwatch-logs'

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'

// The bin is tested as users run it: the compiled file (the build runs before the tests).
const BIN = fileURLToPath(new URL('../../dist/local/main.js', import.meta.url))

function run (...args: string[]): ChildProcessWithoutNullStreams {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: compile first (npm run build)`)
  return spawn(process.execPath, [BIN, ...args])
}

/** Everything the process prints on a stream until it exits. */
function collect (stream: NodeJS.ReadableStream): () => string {
  let text = ''
  stream.setEncoding('utf8')
  stream.on('data', (chunk: string) => { text += chunk })
  return () => text
}

/** The first line on stdout, which is the listening line. */
async function firstLine (child: ChildProcessWithoutNullStreams): Promise<string> {
  let text = ''
  child.stdout.setEncoding('utf8')
  for await (const chunk of child.stdout) {
    text += chunk as string
    if (text.includes('\n')) return text.slice(0, text.indexOf('\n'))
  }
  throw new Error(`exited before printing its URL: ${text}`)
}

t.test('logbeam-local --port 0 prints its URL, serves the SDK and exits 0 on SIGTERM', async (t) => {
  const child = run('--port', '0')
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  const line = await firstLine(child)
  const match = /^logbeam-local listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line)
  t.ok(match, line)
  const client = new CloudWatchLogsClient({
    endpoint: match![1], region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1
  })
  await client.send(new CreateLogGroupCommand({ logGroupName: 'from-bin' }))
  const { logGroups } = await client.send(new DescribeLogGroupsCommand({}))
  t.same(logGroups?.map((g) => g.logGroupName), ['from-bin'])
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  t.same(await exited, [0, null])
  client.destroy()
})

t.test('SIGINT stops it too, with open keep-alive connections', async (t) => {
  const child = run('--port', '0')
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  const url = (await firstLine(child)).split(' ').at(-1)!
  const client = new CloudWatchLogsClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 })
  await client.send(new DescribeLogGroupsCommand({}))
  const exited = once(child, 'exit')
  child.kill('SIGINT')
  t.same(await exited, [0, null])
  client.destroy()
})

t.test('fault flags reach the endpoint: --throttle-rate 1 throttles every PutLogEvents', async (t) => {
  const child = run('--port', '0', '--throttle-rate', '1', '--latency-ms', '1', '--seed', '3')
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  const url = (await firstLine(child)).split(' ').at(-1)!
  const client = new CloudWatchLogsClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 })
  await client.send(new CreateLogGroupCommand({ logGroupName: 'g' }))
  await client.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 's' }))
  await t.rejects(client.send(new PutLogEventsCommand({ logGroupName: 'g', logStreamName: 's', logEvents: [{ timestamp: Date.now(), message: 'x' }] })),
    { name: 'ThrottlingException' })
  client.destroy()
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  t.same(await exited, [0, null])
})

t.test('--help prints the usage and exits 0', async (t) => {
  const child = run('--help')
  const stdout = collect(child.stdout)
  const [code] = await once(child, 'exit')
  t.equal(code, 0)
  t.match(stdout(), /^Usage: logbeam-local \[options\]/)
  t.match(stdout(), /--throttle-rate R/)
})

t.test('a bad flag exits 2 naming it', async (t) => {
  for (const args of [['--throttle-rate', '2'], ['--port', 'abc'], ['--nope']]) {
    const child = run(...args)
    const stderr = collect(child.stderr)
    const [code] = await once(child, 'exit')
    t.equal(code, 2, args.join(' '))
    t.match(stderr(), args[0]!, args.join(' '))
  }
})
