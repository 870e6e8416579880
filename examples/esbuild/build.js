// Bundles app.js with esbuild, the way pino documents for worker transports: the two workers pino
// starts (thread-stream's, and pino's own for `targets`) and the transport (logbeam) are entry points
// of their own, and a banner tells pino where they went (globalThis.__bundlerPathsOverrides).
//
//   node examples/esbuild/build.js OUTDIR     writes OUTDIR/app.mjs and the three worker files
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const require = createRequire(import.meta.url)

// Each key is the name pino (or logbeam's transport()) looks up; each value the file it is bundled to.
const WORKERS = {
  'thread-stream-worker': require.resolve('thread-stream/lib/worker.js'),
  'pino-worker': require.resolve('pino/lib/worker.js'),
  logbeam: require.resolve('logbeam')
}

// At the top of every output file. ESM output has no `require` for the CommonJS packages inside
// (pino, thread-stream): one is made from the file's own URL.
const banner = `
import { createRequire as __bundleRequire } from 'node:module'
import { fileURLToPath as __bundlePath } from 'node:url'
const require = __bundleRequire(import.meta.url)
globalThis.__bundlerPathsOverrides = {
  ...globalThis.__bundlerPathsOverrides,
${Object.keys(WORKERS).map(name => `  '${name}': __bundlePath(new URL('./${name}.mjs', import.meta.url))`).join(',\n')}
}`

/** Bundles the app into `outdir`; resolves with the path of the app's file. */
export async function bundle (outdir) {
  await build({
    entryPoints: { app: fileURLToPath(new URL('./app.js', import.meta.url)), ...WORKERS },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir,
    outExtension: { '.js': '.mjs' },
    banner: { js: banner },
    logLevel: 'warning'
  })
  return join(outdir, 'app.mjs')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(await bundle(process.argv[2] ?? 'bundle'))
}
