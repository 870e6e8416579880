#!/usr/bin/env node
import { parseArgs } from 'node:util'
import { startLocalEndpoint } from './server.js'

const HELP = `Usage: logbeam-local [options]

An in-memory Amazon CloudWatch Logs endpoint for examples and tests: no AWS account needed.
Point the SDK at it with endpoint (or AWS_ENDPOINT_URL_CLOUDWATCH_LOGS) set to the printed URL,
any region and any credentials. Groups and streams must be created first, as on the service.

Options:
  --port N            port to listen on, 0 for a free one (default 0)
  --host H            address to listen on (default 127.0.0.1)
  --throttle-rate R   share 0..1 of PutLogEvents calls answered ThrottlingException
  --error-rate R      share 0..1 answered 503 ServiceUnavailableException
  --drop-rate R       share 0..1 whose connection is cut with no answer
  --latency-ms MS     delay before answering each call
  --seed N            seed of the random faults, for reproducible runs (default 1)
  -h, --help          print this help

Stops on SIGINT or SIGTERM.
`

/** A flag's number, or exit 2 naming the flag: bad flags are the only fatal problem here. */
function numberFlag (flag: string, value: string | undefined, check: (n: number) => boolean, expected: string): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (value.trim() === '' || !check(n)) usageError(`${flag} must be ${expected}, got '${value}'`)
  return n
}

function usageError (message: string): never {
  process.stderr.write(`logbeam-local: ${message}\nTry 'logbeam-local --help'.\n`)
  process.exit(2)
}

async function main (): Promise<void> {
  let values
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'throttle-rate': { type: 'string' },
        'error-rate': { type: 'string' },
        'drop-rate': { type: 'string' },
        'latency-ms': { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' }
      },
      strict: true,
      allowPositionals: false
    }))
  } catch (err) {
    usageError((err as Error).message)
  }
  if (values.help === true) {
    process.stdout.write(HELP)
    return
  }
  const rate = (n: number): boolean => n >= 0 && n <= 1
  const port = numberFlag('--port', values.port, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'an integer from 0 to 65535')
  const throttleRate = numberFlag('--throttle-rate', values['throttle-rate'], rate, 'a number from 0 to 1')
  const serverErrorRate = numberFlag('--error-rate', values['error-rate'], rate, 'a number from 0 to 1')
  const dropRate = numberFlag('--drop-rate', values['drop-rate'], rate, 'a number from 0 to 1')
  const latencyMs = numberFlag('--latency-ms', values['latency-ms'], (n) => Number.isFinite(n) && n >= 0, 'a number >= 0')
  const seed = numberFlag('--seed', values.seed, Number.isSafeInteger, 'an integer')
  if ((throttleRate ?? 0) + (serverErrorRate ?? 0) + (dropRate ?? 0) > 1) usageError('--throttle-rate + --error-rate + --drop-rate must not exceed 1')

  const endpoint = await startLocalEndpoint({
    port,
    host: values.host,
    faults: { throttleRate, serverErrorRate, dropRate, latencyMs, seed }
  })
  process.stdout.write(`logbeam-local listening on ${endpoint.url}\n`)
  // Closing cuts every connection, so nothing keeps the process alive afterwards: it exits 0.
  const stop = (): void => {
    endpoint.close().catch((err: unknown) => {
      process.stderr.write(`logbeam-local: ${(err as Error).message}\n`)
      process.exitCode = 1
    })
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((err: unknown) => {
  process.stderr.write(`logbeam-local: ${(err as Error).message}\n`)
  process.exit(1)
})
