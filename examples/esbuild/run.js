// Bundles app.js with esbuild (build.js) into a temporary folder, runs the bundle there (no
// node_modules beside it), and prints what CloudWatch Logs stored.
//
//   node examples/esbuild/run.js          local endpoint, no AWS account needed
//   node examples/esbuild/run.js --aws    real CloudWatch Logs (or set AWS_ENDPOINT_URL)
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cloudwatch } from '../lib/local-or-env.js'
import { bundle } from './build.js'

const cw = await cloudwatch('esbuild')
const outdir = await mkdtemp(join(tmpdir(), 'logbeam-esbuild-'))
try {
  const app = await bundle(outdir)
  console.log(`bundled into ${outdir}`)
  const child = spawn(process.execPath, [app, cw.logGroupName, cw.logStreamName], {
    cwd: outdir,
    stdio: 'inherit',
    env: { ...process.env, ...cw.env }
  })
  const [code] = await once(child, 'exit')
  console.log(`the bundled app exited with code ${code}`)
  await cw.printStored()
} finally {
  await rm(outdir, { recursive: true, force: true })
  await cw.close()
}
