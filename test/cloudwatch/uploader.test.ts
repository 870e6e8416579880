import t from 'tap'
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import { Uploader, type UploaderOptions } from '../../lib/cloudwatch/uploader.js'
import { uploaderOptions } from '../helpers/uploader.js'
import type { Batch } from '../../lib/pipeline/batch.js'
import { encodeBatch } from '../../lib/pipeline/encoded-batch.js'

const target = { logGroupName: 'g', logStreamName: 's' }
const opts: UploaderOptions = uploaderOptions({ createLogGroup: true, createLogStream: true })
const forever = (): { signal: AbortSignal, left: () => number } => ({ signal: new AbortController().signal, left: () => Infinity })
const batch = (seq: number): Batch => encodeBatch([{ timestamp: Date.now(), message: `{"seq":${seq}}` }], 0)
const failure = (name: string, extra: object = {}): Error => Object.assign(new Error(name), { name, ...extra })

/** An endpoint of the old kind, that still insists on sequence tokens. */
class LegacyEndpoint {
  token = 'token-1'
  readonly calls: Array<string | undefined> = []
  readonly stored: string[] = []
  async send (command: { constructor: { name: string }, input: { sequenceToken?: string, logEvents: Array<{ message: string }> } }): Promise<object> {
    if (command.constructor.name !== 'PutLogEventsCommand') return {}
    this.calls.push(command.input.sequenceToken)
    if (command.input.sequenceToken !== this.token) {
      throw failure('InvalidSequenceTokenException', { expectedSequenceToken: this.token })
    }
    this.stored.push(...command.input.logEvents.map(e => e.message))
    this.token = `token-${this.stored.length + 1}`
    return { nextSequenceToken: this.token }
  }
}

t.test('an endpoint that still wants sequence tokens gets the one it expects', async t => {
  const endpoint = new LegacyEndpoint()
  const uploader = new Uploader(endpoint as unknown as CloudWatchLogsClient, opts, () => {})
  const signal = new AbortController().signal
  for (const seq of [0, 1, 2]) {
    t.same(await uploader.send(batch(seq), target, { signal, left: () => Infinity }), { delivered: 1, rejected: 0, undelivered: 0 })
  }
  t.same(endpoint.stored, ['{"seq":0}', '{"seq":1}', '{"seq":2}'])
  t.same(endpoint.calls, [undefined, 'token-1', 'token-2', 'token-3'], 'one refusal, then the next token each time')
})

t.test('DataAlreadyAcceptedException means the batch is there', async t => {
  let puts = 0
  const client = {
    async send (command: { constructor: { name: string } }) {
      if (command.constructor.name !== 'PutLogEventsCommand') return {}
      puts++
      throw failure('DataAlreadyAcceptedException')
    }
  }
  const uploader = new Uploader(client as unknown as CloudWatchLogsClient, opts, () => {})
  t.same(await uploader.send(batch(0), target, forever()), { delivered: 1, rejected: 0, undelivered: 0 })
  t.equal(puts, 1, 'not sent again')
})

t.test('a send gives up only when its signal aborts, and says what it did not deliver', async t => {
  const client = { async send () { throw failure('ServiceUnavailableException') } }
  // Backoff timers never hold a process open; this test has nothing else that does.
  const keepAlive = setInterval(() => {}, 1000)
  t.teardown(() => clearInterval(keepAlive))
  const reported: string[] = []
  const controller = new AbortController()
  // The close deadline, standing in: it passes after the third failed attempt.
  const uploader = new Uploader(client as unknown as CloudWatchLogsClient, { ...opts, createLogStream: false }, name => {
    if (reported.push(name) === 3) controller.abort()
  })
  t.same(await uploader.send(batch(0), target, { signal: controller.signal, left: () => Infinity }), { delivered: 0, rejected: 0, undelivered: 1 })
  t.same(reported, ['putError', 'putError', 'putError'], 'retried until then, each failure reported')
})

type Command = { constructor: { name: string }, input: { logEvents?: Array<{ message: string }> } }
const events = (n: number, poison = -1): Batch => encodeBatch(Array.from({ length: n }, (_, i) =>
  ({ timestamp: Date.now(), message: i === poison ? '{"poison":true}' : `{"seq":${i}}` })), 0)
const httpFailure = (status: number, name = 'Error'): Error =>
  Object.assign(new Error('Deserialization error: to see the raw response, inspect the hidden field {error}.$response'), {
    name, $metadata: { httpStatusCode: status }
  })

t.test('a refused creation call is never taken for a refused batch: backed off, reported, then the batch goes whole', async t => {
  const keepAlive = setInterval(() => {}, 1000)
  t.teardown(() => clearInterval(keepAlive))
  const calls: string[] = []
  let failGroup = 2
  const client = {
    async send (command: Command) {
      calls.push(command.constructor.name)
      if (command.constructor.name === 'CreateLogStreamCommand' && failGroup > 0) throw failure('ResourceNotFoundException', { message: 'The specified log group does not exist.' })
      if (command.constructor.name === 'CreateLogGroupCommand' && failGroup-- > 0) throw failure('InvalidParameterException', { message: 'invalid tag' })
      return {}
    }
  }
  const reported: Array<Record<string, unknown>> = []
  const uploader = new Uploader(client as unknown as CloudWatchLogsClient, opts, (name, info) => reported.push({ name, ...info }))
  t.same(await uploader.send(events(200), target, forever()), { delivered: 200, rejected: 0, undelivered: 0 })
  t.equal(calls.filter(c => c === 'PutLogEventsCommand').length, 1, 'the batch went whole, once')
  t.notOk(reported.some(r => r.name === 'rejected'), 'nothing set aside')
  const failures = reported.filter(r => r.name === 'putError')
  t.equal(failures.length, 2, 'each failed creation reported')
  t.ok(failures.every(r => r.call === 'create' && r.code === 'InvalidParameterException'))
})

t.test('"group missing" then "group already exists" (eventual consistency) is paced by the backoff, not a spin', async t => {
  const keepAlive = setInterval(() => {}, 1000)
  t.teardown(() => clearInterval(keepAlive))
  let calls = 0
  const client = {
    async send (command: Command) {
      calls++
      if (command.constructor.name === 'CreateLogStreamCommand') throw failure('ResourceNotFoundException', { message: 'The specified log group does not exist.' })
      if (command.constructor.name === 'CreateLogGroupCommand') throw failure('ResourceAlreadyExistsException')
      return {}
    }
  }
  const controller = new AbortController()
  const reported: string[] = []
  const uploader = new Uploader(client as unknown as CloudWatchLogsClient, { ...opts, retryBaseDelay: 50, retryMaxDelay: 50 }, name => reported.push(name))
  setTimeout(() => controller.abort(), 500)
  t.same(await uploader.send(events(1), target, { signal: controller.signal, left: () => Infinity }), { delivered: 0, rejected: 0, undelivered: 1 })
  // Three calls a round (stream, group, stream), one round per backoff of up to 50 ms: not thousands.
  t.ok(calls < 3 * 40, `${calls} calls in 500 ms`)
  t.ok(reported.length > 0 && reported.every(name => name === 'putError'), 'each round reported')
})

t.test('a proxy\'s 413 splits the batch: everything is delivered, and no request is ever sent again unchanged', async t => {
  const sizes: number[] = []
  const client = {
    async send (command: Command) {
      if (command.constructor.name !== 'PutLogEventsCommand') return {}
      const n = command.input.logEvents!.length
      sizes.push(n)
      // The proxy takes at most 3 events' worth of body.
      if (n > 3) throw httpFailure(413)
      return {}
    }
  }
  const reported: Array<Record<string, unknown>> = []
  const uploader = new Uploader(client as unknown as CloudWatchLogsClient, { ...opts, createLogStream: false }, (name, info) => reported.push({ name, ...info }))
  t.same(await uploader.send(events(16), target, forever()), { delivered: 16, rejected: 0, undelivered: 0 })
  t.same(sizes, [16, 8, 4, 2, 2, 4, 2, 2, 8, 4, 2, 2, 4, 2, 2], 'halved until each part passes')
  t.notOk(reported.some(r => r.name === 'rejected'))
})

t.test('an event refused whatever its size is set aside after a bounded number of tries, reported with its status', async t => {
  let puts = 0
  const stored: string[] = []
  const client = {
    async send (command: Command) {
      if (command.constructor.name !== 'PutLogEventsCommand') return {}
      puts++
      if (command.input.logEvents!.some(e => e.message.includes('poison'))) throw httpFailure(403, 'Error')
      stored.push(...command.input.logEvents!.map(e => e.message))
      return {}
    }
  }
  const reported: Array<Record<string, unknown>> = []
  const uploader = new Uploader(client as unknown as CloudWatchLogsClient, { ...opts, createLogStream: false }, (name, info) => reported.push({ name, ...info }))
  const batch = events(8, 5)
  t.same(await uploader.send(batch, target, forever()), { delivered: 7, rejected: 1, undelivered: 0 })
  t.same(stored, [0, 1, 2, 3, 4, 6, 7].map(i => `{"seq":${i}}`), 'the halves hold every other event, whole and in order')
  t.ok(puts <= 1 + 2 + 2 + 2, `${puts} calls: one per halving, never the same request twice`)
  const rejected = reported.filter(r => r.name === 'rejected')
  t.equal(rejected.length, 1)
  t.equal(rejected[0]!.status, 403)
  t.match(rejected[0]!.message, /HTTP 403/)
})

t.test('while closing, each attempt gets at most half the time left, so a hung one still leaves room for a retry', async t => {
  const keepAlive = setInterval(() => {}, 1000)
  t.teardown(() => clearInterval(keepAlive))
  const started: number[] = []
  const client = {
    send (command: Command, options: { abortSignal: AbortSignal }) {
      if (command.constructor.name !== 'PutLogEventsCommand') return Promise.resolve({})
      started.push(Date.now())
      // The first call hangs (until its deadline aborts it); the second is answered.
      if (started.length === 1) return new Promise((_resolve, reject) => options.abortSignal.addEventListener('abort', () => reject(options.abortSignal.reason)))
      return Promise.resolve({})
    }
  }
  const end = Date.now() + 2000
  const uploader = new Uploader(client as unknown as CloudWatchLogsClient, { ...opts, requestTimeout: 60_000, createLogStream: false }, () => {})
  t.same(await uploader.send(events(3), target, { signal: new AbortController().signal, left: () => end - Date.now() }), { delivered: 3, rejected: 0, undelivered: 0 })
  t.equal(started.length, 2)
  t.ok(started[1]! - started[0]! < 1200, `the hung attempt was given up after ${started[1]! - started[0]!} ms of the 2000 left`)
})
