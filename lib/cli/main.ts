#!/usr/bin/env node
import { run } from './run.js'

const code = await run(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env
}).catch((err: unknown) => {
  process.stderr.write(`pino-cloudwatch: ${(err as Error)?.stack ?? String(err)}\n`)
  return 1
})
process.exitCode = code
// Everything is delivered or given up by now: a handle left open somewhere must not hold the exit.
setTimeout(() => process.exit(code), 2000).unref()
