#!/usr/bin/env node
// What one full PutLogEvents call costs in CPU, without any network: the SDK's request building
// (serialisation), the finalize steps (SigV4 signing, which hashes the body) and response
// parsing, with the client's request handler replaced by one that answers at once. It compares
// ways of making the same call:
//
//   sdk            new PutLogEventsCommand({ logGroupName, logStreamName, logEvents }) on a
//                  default client
//   no-logger      the same, with the SDK's loggerMiddleware removed from the client's stack
//                  (it builds a filtered copy of every event for the default no-op logger)
//   pre-serialised no-logger, and the body built with one JSON.stringify: the command carries
//                  logEvents: [] and a serialize-step middleware puts the real body in place
//                  before signing (the bodies are checked to hold the same JSON)
//
//   stringify-only just JSON.stringify + Buffer.from of the same body: a floor for any JSON body
//   encode-once    logbeam's packer encoding the batch when it seals it (encodeBatch): paid once per batch
//   logbeam        each attempt of logbeam's call for an encoded batch (lib/cloudwatch/request-body.ts): the body
//                  is the batch's own bytes, so a retry costs no encoding
//
//   node bench/put-cost.js [--iterations N]      (after a build; about 30 s)
import { readFileSync } from 'node:fs'
import { Readable } from 'node:stream'
import { parseArgs } from 'node:util'
import { CloudWatchLogsClient, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { encodeBatch } from '../dist/pipeline/encoded-batch.js'
import { putLogEventsBody, putLogEventsCommand } from '../dist/cloudwatch/request-body.js'

const { values } = parseArgs({ options: { iterations: { type: 'string', default: '40' } } })
const ITERATIONS = Number(values.iterations)
const TARGET = { logGroupName: 'bench', logStreamName: 'bench' }

/** A batch as logbeam's packer makes it: as many pino lines of `size` bytes as fit in 1 MiB / 10,000. */
function batch (size) {
  const time = Date.now()
  const head = `{"level":30,"time":${time},"pid":4242,"hostname":"bench-host","n":2000000,"msg":"`
  const filler = 'request handled: user=4711 route=/api/orders status=200 duration_ms=12.5 cache=miss; '
  const text = filler.repeat(Math.ceil(size / filler.length)).slice(0, Math.max(1, size - head.length - 2))
  const message = `${head}${text}"}`
  const count = Math.min(10_000, Math.floor(1_048_576 / (Buffer.byteLength(message) + 26)))
  return Array.from({ length: count }, (_, i) => ({ timestamp: time + (i >> 8), message: message.replace('2000000', String(2_000_000 + i)) }))
}

function makeClient (variant) {
  const client = new CloudWatchLogsClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request) => {
        client.lastBody = request.body
        return {
          response: {
            statusCode: 200,
            headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'bench' },
            body: Readable.from([Buffer.from('{"nextSequenceToken":"1"}')])
          }
        }
      },
      updateHttpClientConfig () {},
      httpHandlerConfigs: () => ({})
    }
  })
  if (variant !== 'sdk') client.middlewareStack.remove('loggerMiddleware')
  return client
}

function send (client, variant, events, encoded) {
  if (variant === 'logbeam') {
    return client.send(putLogEventsCommand(PutLogEventsCommand, TARGET, encoded, putLogEventsBody(TARGET, encoded)))
  }
  if (variant !== 'pre-serialised') {
    return client.send(new PutLogEventsCommand({ ...TARGET, logEvents: events }))
  }
  const body = JSON.stringify({ ...TARGET, logEvents: events })
  const command = new PutLogEventsCommand({ ...TARGET, logEvents: [] })
  command.middlewareStack.add(next => async args => {
    args.request.body = body
    args.request.headers['content-length'] = String(Buffer.byteLength(body))
    return next(args)
  }, { step: 'serialize', priority: 'low', name: 'preSerialisedBody' })
  return client.send(command)
}

/**
 * This thread's CPU time in ns (Linux schedstat): calls are timed in CPU, not wall, time, so other
 * processes on the machine do not blur them. The kernel brings a running thread's figure up to
 * date only at a scheduler tick or a context switch: a 0.2 ms sleep first makes it exact.
 */
const pause = new Int32Array(new SharedArrayBuffer(4))
const cpuNow = () => {
  Atomics.wait(pause, 0, 0, 0.2)
  return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0])
}

const median = values => {
  const v = [...values].sort((a, b) => a - b)
  return v.length % 2 ? v[v.length >> 1] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2
}

const VARIANTS = ['sdk', 'no-logger', 'pre-serialised', 'stringify-only', 'encode-once', 'logbeam']
const CALLS_PER_ROUND = 5

/** Thread CPU ms per call of each variant: rounds of CALLS_PER_ROUND calls, variants interleaved. */
async function measure (events) {
  const clients = Object.fromEntries(VARIANTS.map(v => [v, makeClient(v)]))
  const perCall = Object.fromEntries(VARIANTS.map(v => [v, []]))
  const encoded = encodeBatch(events, 0)
  const run = async (variant) => {
    if (variant === 'stringify-only') {
      Buffer.from(JSON.stringify({ ...TARGET, logEvents: events }))
      return
    }
    if (variant === 'encode-once') {
      encodeBatch(events, 0)
      return
    }
    await send(clients[variant], variant, events, encoded)
  }
  for (const variant of VARIANTS) for (let i = 0; i < 3; i++) await run(variant) // warm-up
  const rounds = Math.max(1, Math.round(ITERATIONS / CALLS_PER_ROUND))
  for (let r = 0; r < rounds; r++) {
    for (const variant of VARIANTS) {
      const start = cpuNow()
      for (let i = 0; i < CALLS_PER_ROUND; i++) await run(variant)
      perCall[variant].push((cpuNow() - start) / 1e6 / CALLS_PER_ROUND)
    }
  }
  const bodies = VARIANTS.filter(v => v !== 'stringify-only' && v !== 'encode-once').map(v => {
    const b = clients[v].lastBody
    return JSON.stringify(JSON.parse(typeof b === 'string' ? b : new TextDecoder().decode(b)))
  })
  if (bodies.some(b => b !== bodies[0])) throw new Error('the variants sent different bodies')
  for (const client of Object.values(clients)) client.destroy()
  return VARIANTS.map(v => ({ variant: v, ms: median(perCall[v]) }))
}

const pad = (s, n) => String(s).padStart(n)
const f = (n, d = 2) => n.toFixed(d)

process.stdout.write(`PutLogEvents: CPU time of the calling thread per call, no network (median of rounds of ${CALLS_PER_ROUND} calls, ${ITERATIONS} calls per variant; node ${process.version})\n\n`)
process.stdout.write(`${'batch'.padEnd(28)}${'variant'.padEnd(16)}${pad('CPU ms/call', 13)}${pad('µs/event', 10)}${pad('vs sdk', 8)}\n`)
for (const size of [100, 1024, 10_240]) {
  const events = batch(size)
  const bytes = events.reduce((s, e) => s + Buffer.byteLength(e.message) + 26, 0)
  const label = `${events.length} x ${Buffer.byteLength(events[0].message)} B (${f(bytes / 1_048_576, 2)} MiB)`
  const rows = await measure(events)
  const sdk = rows[0].ms
  for (const r of rows) {
    process.stdout.write(`${label.padEnd(28)}${r.variant.padEnd(16)}${pad(f(r.ms), 13)}${pad(f(r.ms * 1000 / events.length), 10)}${pad(f(r.ms / sdk), 8)}\n`)
  }
}
process.stdout.write('\nsdk = a plain PutLogEventsCommand (the SDK serialises the events); no-logger = loggerMiddleware removed; pre-serialised = no-logger + body from one JSON.stringify; stringify-only = just JSON.stringify + Buffer.from of the body (a floor); encode-once = logbeam encoding a batch when it seals it (paid once); logbeam = each attempt of logbeam\'s call for an encoded batch. CPU = the calling thread (GC helper threads not included). The bodies sent by the SDK variants and logbeam parse to the same JSON.\n')
