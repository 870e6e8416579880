// The package as users get it: `npm pack`, then an install of the tarball in a fresh project,
// where the transport, the bins, both module systems and the TypeScript types must work.
// Packs a copy of the working tree without dist/, as a fresh clone is: prepack must build it.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { copyFile, cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import t from 'tap'

const root = fileURLToPath(new URL('../..', import.meta.url))
const fixtures = join(root, 'test', 'fixtures', 'consumer')

interface Result { code: number, stdout: string, stderr: string }

/** The environment of a user's shell: without the npm_* settings of the npm running this test
 * (they would point npm back at this repository) and without the test runner's loader. */
function userEnv (): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }
  for (const name of Object.keys(env)) {
    if (/^npm_/i.test(name) || name === 'NODE_OPTIONS' || name.startsWith('AWS_ENDPOINT_URL')) delete env[name]
  }
  return env
}

function sh (command: string, args: string[], cwd: string, timeout = 60_000): Promise<Result> {
  return new Promise(resolve => {
    execFile(command, args, { cwd, env: userEnv(), timeout, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1
      resolve({ code, stdout, stderr: err !== null && typeof err.code !== 'number' ? `${stderr}\n${err.message}` : stderr })
    })
  })
}

const node = (args: string[], cwd: string): Promise<Result> => sh(process.execPath, args, cwd)

interface PackedFile { path: string, size: number }
interface Packed { filename: string, size: number, unpackedSize: number, files: PackedFile[] }

const ALLOWED = [/^dist\/.+\.js$/, /^dist\/.+\.d\.ts$/, /^(package\.json|README\.md|LICENSE|CHANGELOG\.md)$/]
const REQUIRED = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']

/** Every file package.json points at (main, types, exports, bin): all must be in the tarball. */
function entryPoints (pkg: Record<string, unknown>): string[] {
  const found = new Set<string>()
  const walk = (value: unknown): void => {
    if (typeof value === 'string') found.add(value.replace(/^\.\//, ''))
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk)
  }
  walk([pkg.main, pkg.types, pkg.exports, pkg.bin])
  return [...found].sort()
}

/**
 * The files a clone of this working tree would have (tracked or new, not ignored: no dist/), with the
 * repository's node_modules linked in for prepack's build. Packing the tree itself would rebuild its
 * dist/ under other running tests.
 */
async function cleanCopy (dir: string): Promise<string> {
  const listed = await sh('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], root)
  if (listed.code !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`)
  for (const file of listed.stdout.split('\0').filter(f => f !== '' && existsSync(join(root, f)))) {
    await cp(join(root, file), join(dir, file), { recursive: true })
  }
  await symlink(join(root, 'node_modules'), join(dir, 'node_modules'))
  return dir
}

{
  const tmp = await mkdtemp(join(tmpdir(), 'logbeam-package-'))
  t.teardown(() => rm(tmp, { recursive: true, force: true }))
  const source = join(tmp, 'source')
  const project = join(tmp, 'consumer')
  let tarball: string | undefined
  let installed = false
  let typecheck: Promise<Result> | undefined

  /** Compiles the consumer fixtures in the installed project, with the repository's TypeScript. */
  async function compileConsumer (): Promise<Result> {
    for (const file of ['good.ts', 'bad.ts']) await copyFile(join(fixtures, file), join(project, file))
    const compilerOptions = {
      strict: true,
      noEmit: true,
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      target: 'ES2022',
      lib: ['ES2023'],
      types: ['node'],
      // @types/node is borrowed from this repository rather than installed again.
      typeRoots: [join(root, 'node_modules', '@types')]
    }
    // One compiler run for both files (a second run would check the SDK's types all over again).
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['good.ts', 'bad.ts'] }, null, 2))
    return node([join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], project)
  }

  t.test('npm pack from a clean tree builds and ships dist/ and the documents, nothing else', async t => {
    // prepack runs `npm run build`, whose output npm prints on stdout before the JSON.
    const packed = await sh('npm', ['pack', '--json', '--pack-destination', tmp], await cleanCopy(source), 180_000)
    t.equal(packed.code, 0, 'npm pack succeeds', { stderr: packed.stderr, stdout: packed.stdout })
    if (packed.code !== 0) return
    const info = (JSON.parse(packed.stdout.slice(packed.stdout.search(/^\[/m))) as Packed[])[0]!
    tarball = join(tmp, info.filename)
    t.comment(`${info.filename}: ${info.size} bytes packed, ${info.unpackedSize} bytes unpacked, ${info.files.length} files`)

    const paths = info.files.map(f => f.path).sort()
    t.same(paths.filter(p => !ALLOWED.some(re => re.test(p))), [],
      'only dist/**/*.js, dist/**/*.d.ts, package.json, README.md, LICENSE, CHANGELOG.md (no tests, sources, examples, maps, keys)')
    for (const file of REQUIRED) t.ok(paths.includes(file), `${file} is in the tarball`)
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as Record<string, unknown>
    t.same(entryPoints(pkg).filter(p => !paths.includes(p)), [], 'every file package.json points at is in the tarball')
    // tsc never deletes: a module removed from lib/ would still be shipped from an old dist/.
    const stale = paths.filter(p => p.startsWith('dist/') && !existsSync(join(source, p.replace(/^dist\//, 'lib/').replace(/(\.d)?\.js$|\.d\.ts$/, '.ts'))))
    t.same(stale, [], 'every file in dist/ comes from a source in lib/ (else rebuild from a clean dist/)')
  })

  t.test('installs from the tarball into a fresh project', async t => {
    if (tarball === undefined) return t.fail('no tarball to install')
    await mkdir(project)
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2))
    const started = Date.now()
    const install = await sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', tarball, 'pino@10'], project, 80_000)
    t.equal(install.code, 0, 'npm install succeeds', { stderr: install.stderr })
    t.comment(`npm install took ${Date.now() - started} ms`)
    installed = install.code === 0 && existsSync(join(project, 'node_modules', 'logbeam', 'dist', 'index.js'))
    t.ok(installed, 'node_modules/logbeam/dist/index.js exists')
    // The slowest check runs while the others do.
    if (installed) typecheck = compileConsumer().catch((err: Error) => ({ code: 1, stdout: '', stderr: err.stack ?? String(err) }))
  })

  t.test('pino({ transport: { target: "logbeam" } }) delivers to logbeam/local', async t => {
    if (!installed) return t.fail('not installed')
    await writeFile(join(project, 'deliver.mjs'), `
      import { createRequire } from 'node:module'
      import pino from 'pino'
      import { startLocalEndpoint } from 'logbeam/local'
      const endpoint = await startLocalEndpoint({ port: 0 })
      const logger = pino({
        transport: {
          target: 'logbeam',
          options: {
            logGroupName: 'consumer',
            logStreamName: 'installed',
            clientConfig: { endpoint: endpoint.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }
          }
        }
      })
      logger.info('shipped by the installed package')
      logger.warn({ line: 2 }, 'second line')
      await new Promise(resolve => logger.flush(resolve))
      console.log(JSON.stringify({
        imported: import.meta.resolve('logbeam'),
        required: createRequire(import.meta.url).resolve('logbeam'),
        messages: endpoint.events('consumer', 'installed').map(e => JSON.parse(e.message).msg)
      }))
      await endpoint.close()
    `)
    const run = await node(['deliver.mjs'], project)
    t.equal(run.code, 0, 'exits 0', { stderr: run.stderr })
    if (run.code !== 0) return
    const out = JSON.parse(run.stdout) as { imported: string, required: string, messages: string[] }
    const installedEntry = join(project, 'node_modules', 'logbeam', 'dist', 'index.js')
    t.equal(out.imported, pathToFileURL(installedEntry).href, "import 'logbeam' is the installed package")
    t.equal(out.required, installedEntry, 'so is the CommonJS resolution pino uses for targets')
    t.same(out.messages, ['shipped by the installed package', 'second line'], 'the endpoint stored both lines')
  })

  t.test('the bins run', async t => {
    if (!installed) return t.fail('not installed')
    // --no: never fetch a package of that name from the registry if the bin is missing.
    const [cli, local] = await Promise.all([
      sh('npx', ['--no', '--', 'pino-cloudwatch', '--help'], project),
      sh('npx', ['--no', '--', 'logbeam-local', '--help'], project)
    ])
    t.equal(cli.code, 0, 'npx pino-cloudwatch --help exits 0', { stderr: cli.stderr })
    t.match(cli.stdout, /^Usage: .*pino-cloudwatch --log-group-name/m, 'and prints its usage')
    t.equal(local.code, 0, 'npx logbeam-local --help exits 0', { stderr: local.stderr })
    t.match(local.stdout, /^Usage: logbeam-local/m, 'and prints its usage')
  })

  t.test('ESM import and CommonJS require', async t => {
    if (!installed) return t.fail('not installed')
    await writeFile(join(project, 'esm.mjs'), `
      import logbeam, { flushOnSignals } from 'logbeam'
      import { startLocalEndpoint } from 'logbeam/local'
      console.log(typeof logbeam, typeof flushOnSignals, typeof startLocalEndpoint)
    `)
    const esm = await node(['esm.mjs'], project)
    t.equal(esm.code, 0, 'the .mjs file runs', { stderr: esm.stderr })
    t.equal(esm.stdout.trim(), 'function function function', "import logbeam, { flushOnSignals } from 'logbeam'")

    // Node 20.19+ and 22.12+ load an ES module graph through require() when it has no top-level await.
    await writeFile(join(project, 'cjs.cjs'), `
      const logbeam = require('logbeam')
      const local = require('logbeam/local')
      console.log(typeof logbeam.default, typeof logbeam.flushOnSignals, typeof local.startLocalEndpoint)
    `)
    const cjs = await node(['cjs.cjs'], project)
    t.equal(cjs.code, 0, 'the .cjs file runs', { stderr: cjs.stderr })
    t.equal(cjs.stdout.trim(), 'function function function', "require('logbeam') and require('logbeam/local')")
  })

  t.test('TypeScript consumers get the shipped types', async t => {
    if (typecheck === undefined) return t.fail('not installed')
    const tsc = await typecheck
    const errors = tsc.stdout.split('\n').filter(line => /: error TS\d+:/.test(line))

    t.same(errors.filter(line => !line.startsWith('bad.ts(')), [], 'good.ts (and the shipped .d.ts) compile with strict: true', { output: tsc.stdout + tsc.stderr })
    t.not(tsc.code, 0, 'bad.ts does not compile')
    t.match(errors.join('\n'), /^bad\.ts\(\d+,\d+\): error TS\d+: .*'logGroupNme'/m, 'and the error names the misspelled option')
    t.match(errors.join('\n'), /^bad\.ts\(\d+,\d+\): error TS\d+: .*'"block"'/m, "overflow: 'block' is refused for a transport")
    t.match(errors.join('\n'), /^bad\.ts\(\d+,\d+\): error TS\d+: .*'bufferDurration'/m, 'transport() refuses a misspelled option')
    t.match(errors.join('\n'), /^bad\.ts\(\d+,\d+\): error TS\d+: Type '31' is not assignable/m, 'and a retention the service refuses')
    t.match(errors.join('\n'), /^bad\.ts\(\d+,\d+\): error TS\d+: .*'"putErorr"'/m, 'and a misspelled event name')
  })
}
