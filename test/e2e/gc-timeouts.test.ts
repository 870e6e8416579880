import t from 'tap'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const app = fileURLToPath(new URL('../fixtures/gc-timeouts.mjs', import.meta.url))

t.test('every call\'s timeout fires while the garbage collector runs: hung calls never stop delivery for good', async t => {
  const child = spawn(process.execPath, ['--expose-gc', app], { env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const code = await new Promise(resolve => child.on('exit', resolve))
  t.equal(code, 0, stderr)
  const result = JSON.parse(stdout) as { out: unknown, hung: number, stored: number }
  t.same(result.out, { delivered: 1, rejected: 0, undelivered: 0 }, 'delivered once the endpoint answered again')
  t.ok(result.hung >= 10, `${result.hung} calls hung and were each timed out`)
  t.equal(result.stored, 1)
})
