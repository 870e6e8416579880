#!/usr/bin/env node
// The thread reading stdin starts before anything else loads: a producer may write, and exit, from the first
// millisecond on (see stdin-thread.ts). Everything else is imported after it.
import { threadedStdin } from './stdin-thread.js'

const stdin = threadedStdin() ?? process.stdin
const { run } = await import('./run.js')
const code = await run(process.argv.slice(2), {
  stdin,
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
