// A service bundled with esbuild (examples/esbuild/build.js: pino's __bundlerPathsOverrides recipe)
// delivers from a folder with no node_modules. Runs examples/esbuild/run.js as a reader would; it
// bundles logbeam's dist/ (build first).
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const root = fileURLToPath(new URL('../..', import.meta.url))

interface Run { code: number | null, stdout: string, stderr: string }

function run (file: string): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }
  for (const name of ['NODE_OPTIONS', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS', 'AWS_PROFILE']) delete env[name]
  const child = spawn(process.execPath, [join(root, file)], { cwd: root, env })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000)
  return new Promise(resolve => child.on('close', code => {
    clearTimeout(timer)
    resolve({ code, stdout, stderr })
  }))
}

if (!existsSync(join(root, 'dist', 'index.js'))) {
  t.fail('dist/ is not built: run `npx tsc -p tsconfig.build.json` first')
} else {
  t.test('examples/esbuild: the bundled app delivers every line, with no node_modules beside it', async t => {
    const result = await run('examples/esbuild/run.js')
    t.equal(result.code, 0, 'exits 0', { stdout: result.stdout, stderr: result.stderr })
    const outdir = /^bundled into (.+)$/m.exec(result.stdout)?.[1]
    t.ok(outdir !== undefined && !outdir.startsWith(root), 'bundled outside the repository (no node_modules to fall back on)')
    t.match(result.stdout, /^the bundled app exited with code 0$/m, 'the bundle ran and exited 0')
    const stored = /stored (\d+) events?\n {2}log group: {2}(.+)\n {2}log stream: (.+)\n((?: {2}\S+ {2}.*\n?)*)/.exec(result.stdout)
    if (stored === null) return t.fail('prints what CloudWatch stored', { stdout: result.stdout })
    t.match(stored[3], /^esbuild\//, 'a stream named for the example')
    const messages = stored[4]!.split('\n').filter(line => line !== '').map(line => JSON.parse(line.replace(/^ {2}\S+ {2}/, '')).msg)
    t.same(messages, ['bundled service starting', 'bundled service ready'], 'both lines stored, in order')
    t.notMatch(result.stderr, /not delivered|undelivered|Error/, 'no trouble on stderr', { stderr: result.stderr })
  })
}
