#!/usr/bin/env node
import { run } from './cli/run.js'

const code = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr
}).catch((err: unknown) => {
  process.stderr.write(`logbeam-local: ${(err as Error)?.stack ?? String(err)}\n`)
  return 1
})
process.exitCode = code
