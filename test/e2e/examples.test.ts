// Runs every program in examples/ the way a reader would, and checks that each line it logs is
// what CloudWatch stored (as the example prints it), so that the examples cannot rot.
// They import 'logbeam' by name, which resolves to dist/: build first.
import { spawn } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const root = fileURLToPath(new URL('../..', import.meta.url))
const examples = join(root, 'examples')

interface Example {
  /** The `msg` of each event the example must have stored, in order. */
  stored: string[]
  /** Other things its output must show. */
  output?: RegExp[]
  /** A package the example needs that logbeam does not depend on. */
  needs?: string
}

const EXAMPLES: Record<string, Example> = {
  'quick-start.js': { stored: ['hello from logbeam', 'order placed', 'payment retried'] },
  'transport-target.js': { stored: ['cart loaded', 'user signed in', 'checkout failed'] },
  'pino-transport.js': {
    stored: ['service starting', 'database connected', 'service ready'],
    output: [/^event created: created log stream pino-transport\//m]
  },
  'targets.js': {
    // 'console only' is a debug line: pino-pretty shows it, the info-level logbeam target does not.
    stored: ['worker started', 'queue is growing'],
    output: [/DEBUG \(\d+\): console only/, /WARN \(\d+\): queue is growing/]
  },
  'fastify.js': {
    stored: ['Server listening at', 'incoming request', 'looking up order', 'request completed'],
    output: [/^GET \/orders\/42 -> 200 \{"id":"42","status":"shipped"\}$/m],
    needs: 'fastify'
  },
  'lambda.js': {
    stored: ['invocation started', 'invocation finished', 'invocation started', 'invocation finished'],
    output: [/body: 'hello first'/, /body: 'hello second'/]
  },
  'cli-pipe.sh': {
    stored: ['import started', 'rows imported', 'rows skipped'],
    // --tee: the lines themselves went on down the pipe.
    output: [/^\{"level":30,.*"msg":"import started"\}$/m, /^\{"level":40,.*"msg":"rows skipped"\}$/m]
  },
  'in-process.js': {
    stored: ['running in the main thread', 'no worker involved'],
    output: [/close result: \{ delivered: 2, undelivered: 0, dropped: 0, rejected: 0 \}/]
  },
  'routing.js': { stored: ['refund approved', 'role granted'] },
  'signals.js': {
    stored: ['shutting down soon', 'last requests drained'],
    output: [/^the app got SIGTERM and exited with code 143$/m]
  }
}

interface Run { code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string }

/** The environment of a reader's shell: no endpoint set (so the local one is used), no test loader. */
function cleanEnv (extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...extra }
  for (const name of ['NODE_OPTIONS', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS', 'AWS_PROFILE', 'AWS_LAMBDA_FUNCTION_NAME']) {
    if (!(name in extra)) delete env[name]
  }
  return env
}

function run (file: string, env: NodeJS.ProcessEnv): Promise<Run> {
  const command = file.endsWith('.sh') ? 'bash' : process.execPath
  const child = spawn(command, [join(examples, file)], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  const timer = setTimeout(() => child.kill('SIGKILL'), 45_000)
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })
}

interface Stored { where: string, group: string, stream: string, count: number, messages: string[] }

/** Reads back the block the examples print: a header, the group, the stream, one line per event. */
function parseStored (stdout: string): Stored | undefined {
  const header = /^CloudWatch Logs \((.+)\) stored (\d+) events?\n {2}log group: {2}(.+)\n {2}log stream: (.+)\n((?: {2}\d{4}-\d\d-\d\dT[\d:.]+Z {2}.*\n)*)/m.exec(stdout)
  if (header === null) return undefined
  const lines = header[5]!.split('\n').filter(line => line !== '')
  return {
    where: header[1]!,
    count: Number(header[2]),
    group: header[3]!,
    stream: header[4]!,
    messages: lines.map(line => line.replace(/^ {2}\S+ {2}/, ''))
  }
}

function msgOf (message: string): string {
  try {
    return String(JSON.parse(message).msg)
  } catch {
    return message
  }
}

/** Fastify's first line names the address it listens on: compare the start only. */
function sameMessages (actual: string[], expected: string[]): boolean {
  return actual.length === expected.length &&
    actual.every((msg, i) => msg === expected[i] || (expected[i] === 'Server listening at' && msg.startsWith(expected[i]!)))
}

function installed (name: string): boolean {
  try {
    createRequire(join(examples, 'package-probe.js')).resolve(name)
    return true
  } catch {
    return false
  }
}

const missing = ['dist/index.js', 'dist/local/index.js', 'dist/local/main.js', 'dist/cli/main.js'].filter(f => !existsSync(join(root, f)))
if (missing.length > 0) {
  t.fail(`dist/ is not built (missing ${missing.join(', ')}): run \`npx tsc -p tsconfig.build.json\` or \`npm run build\` first`)
} else {
  t.test('every example in examples/ is run by this test', async t => {
    const files = readdirSync(examples).filter(f => f.endsWith('.js') || f.endsWith('.sh')).sort()
    t.same(files, Object.keys(EXAMPLES).sort(), 'a new example needs an entry in EXAMPLES')
  })

  for (const [file, example] of Object.entries(EXAMPLES)) {
    const skip = example.needs !== undefined && !installed(example.needs)
      ? `${example.needs} is not installed (npm install --save-dev ${example.needs}): examples/${file} not run`
      : false
    t.test(`examples/${file}`, { skip }, async t => {
      const result = await run(file, cleanEnv())
      t.equal(result.code, 0, 'exits 0', { stdout: result.stdout, stderr: result.stderr })
      const stored = parseStored(result.stdout)
      if (stored === undefined) {
        t.fail('prints what CloudWatch stored', { stdout: result.stdout, stderr: result.stderr })
        return
      }
      t.match(stored.where, /^(the local endpoint at )?http:\/\/127\.0\.0\.1:\d+$/, 'talks to a local endpoint')
      t.equal(stored.group, 'logbeam-examples')
      t.match(stored.stream, new RegExp(`^${file.replace(/\.(js|sh)$/, '')}/`), 'a stream named for the example')
      t.equal(stored.messages.length, stored.count, 'prints every stored event')
      const messages = stored.messages.map(msgOf)
      t.ok(sameMessages(messages, example.stored), 'every line logged was stored, once, in order', {
        found: messages, wanted: example.stored
      })
      for (const pattern of example.output ?? []) t.match(result.stdout, pattern)
      t.notMatch(result.stderr, /not delivered|undelivered|Error/, 'no delivery trouble on stderr', { stderr: result.stderr })
    })
  }

  t.test('with AWS_ENDPOINT_URL set, an example talks to that endpoint instead', async t => {
    const { startLocalEndpoint } = await import('logbeam/local')
    const endpoint = await startLocalEndpoint({ port: 0 })
    t.teardown(() => endpoint.close())
    const result = await run('quick-start.js', cleanEnv({
      AWS_ENDPOINT_URL: endpoint.url, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test'
    }))
    t.equal(result.code, 0, 'exits 0', { stdout: result.stdout, stderr: result.stderr })
    const stored = parseStored(result.stdout)
    t.equal(stored?.where, endpoint.url, 'names the endpoint it read back from')
    t.same(stored?.messages.map(msgOf), EXAMPLES['quick-start.js']!.stored, 'read back through the SDK')
    const held = endpoint.streams('logbeam-examples').flatMap(stream => endpoint.events('logbeam-examples', stream))
    t.same(held.map(e => msgOf(e.message)), EXAMPLES['quick-start.js']!.stored, 'the endpoint given holds the events')
  })
}
