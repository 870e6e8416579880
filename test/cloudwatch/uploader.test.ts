import t from 'tap'
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import { Uploader, type UploaderOptions } from '../../lib/cloudwatch/uploader.js'
import type { Batch } from '../../lib/pipeline/batch.js'

const target = { logGroupName: 'g', logStreamName: 's' }
const opts: UploaderOptions = {
  createLogGroup: true,
  createLogStream: true,
  retentionInDays: undefined,
  logGroupClass: undefined,
  tags: undefined,
  maxPutsPerSecond: 0,
  maxConcurrentPuts: 4,
  requestTimeout: 1000,
  retryBaseDelay: 1,
  retryMaxDelay: 5
}
const forever = (): { signal: AbortSignal, left: () => number } => ({ signal: new AbortController().signal, left: () => Infinity })
const batch = (seq: number): Batch => ({ events: [{ timestamp: Date.now(), message: `{"seq":${seq}}` }], bytes: 35, openedAt: 0 })
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
