import t from 'tap'
import type { Batch, Outcome, Sender } from '../../lib/pipeline/batch.js'
import { batchMemory } from '../../lib/pipeline/encoded-batch.js'
import { Pipeline } from '../../lib/pipeline/pipeline.js'
import { resolveOptions } from '../../lib/options.js'

/** Takes every batch at once and answers none until released: a burst the endpoint has not acknowledged yet. */
class HoldingSender implements Sender {
  readonly limit = 100_000
  readonly healthy = true
  readonly held: Batch[] = []
  readonly #answers: Array<() => void> = []
  async send (batch: Batch): Promise<Outcome> {
    this.held.push(batch)
    await new Promise<void>(resolve => this.#answers.push(resolve))
    return { delivered: batch.count, rejected: 0, undelivered: 0 }
  }

  release (): void { for (const answer of this.#answers.splice(0)) answer() }
}

t.test('a burst of 300,000 lines of ~100 B fits the default buffer: memory counted is the bytes held', async t => {
  const sender = new HoldingSender()
  const opts = resolveOptions({ logGroupName: 'app/memory' })
  t.equal(opts.maxBufferSize, 64 * 1024 * 1024, 'the default')
  const pipeline = new Pipeline(opts, sender, () => {})
  let waited = 0
  const time = 1_800_000_000_000
  for (let n = 0; n < 300_000; n++) {
    // A pino line of about 100 bytes.
    pipeline.write(`{"level":30,"time":${time + (n >> 6)},"pid":4242,"hostname":"host-a","n":${n},"msg":"request done"}`,
      time + (n >> 6))
    if (pipeline.mustWait) waited++
  }
  const flushed = pipeline.flush()
  t.equal(waited, 0, 'the input never had to wait')
  const held = sender.held.reduce((n, b) => n + batchMemory(b), 0)
  t.equal(sender.held.reduce((n, b) => n + b.count, 0), 300_000, 'every line in a batch')
  t.equal(pipeline.bufferedBytes, held, 'counted: the encoded bytes, plus each batch')
  const bodies = sender.held.reduce((n, b) => n + b.body!.bytes.length, 0)
  t.ok(held >= bodies && held <= bodies + 256 * sender.held.length, 'each batch is its request body, and little more')
  t.ok(pipeline.bufferedBytes < opts.maxBufferSize * 0.75, `${(pipeline.bufferedBytes / 2 ** 20).toFixed(1)} MiB held`)
  sender.release()
  await flushed
  t.equal(pipeline.totals.delivered, 300_000)
  t.equal(pipeline.bufferedBytes, 0, 'all of it given back')
})
