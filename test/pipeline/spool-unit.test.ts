import t from 'tap'
import { mkdtempSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Spool } from '../../lib/pipeline/spool.js'
import type { Batch } from '../../lib/pipeline/batch.js'
import { decodeEvents, encodeBatch } from '../../lib/pipeline/encoded-batch.js'

const target = { logGroupName: 'g', logStreamName: 's' }
const quiet = (): void => {}

function batch (n: number, size = 100): Batch {
  const events = Array.from({ length: n }, (_, i) => ({ timestamp: 1_800_000_000_000 + i, message: `${i}:${'x'.repeat(size)}` }))
  return encodeBatch(events, 0)
}

t.test('a batch saved, read back and removed', async t => {
  const spool = new Spool(mkdtempSync(join(tmpdir(), 'logbeam-spool-')), 1 << 20, quiet)
  const b = batch(3)
  const file = spool.save(b, target)!
  t.ok(file)
  const back = spool.read(file)!
  t.same(decodeEvents(back), decodeEvents(b))
  t.ok(back.data.equals(b.data), 'the same bytes')
  t.same([back.count, back.bytes, back.first, back.last], [b.count, b.bytes, b.first, b.last])
  t.ok(spool.size > 0)
  spool.remove(file)
  t.equal(spool.size, 0)
})

t.test('maxSpoolSize: a batch that does not fit is not written (memory bounds apply to it)', async t => {
  const spool = new Spool(mkdtempSync(join(tmpdir(), 'logbeam-spool-')), 64 * 1024, quiet)
  const files: Array<string | undefined> = []
  for (let i = 0; i < 10; i++) files.push(spool.save(batch(100), target))
  const written = files.filter(Boolean).length
  t.ok(written >= 1 && written < 10, `${written} of 10 fit`)
  t.ok(spool.size <= 64 * 1024)
  spool.remove(files[0]!)
  t.ok(spool.save(batch(100), target), 'room again once a batch is acknowledged')
})

t.test('only folders of processes that are gone are taken over', async t => {
  const root = mkdtempSync(join(tmpdir(), 'logbeam-spool-'))
  const alive = join(root, `${process.ppid}-aaaaaaaa`)
  const gone = join(root, '4194305-bbbbbbbb')
  for (const dir of [alive, gone]) {
    mkdirSync(dir)
    writeFileSync(join(dir, '000000000000001-000000000.batch'), JSON.stringify({ v: 1, target, bytes: 30, events: [{ timestamp: 1, message: 'm' }] }))
  }
  const spool = new Spool(root, 1 << 20, quiet)
  const left = spool.leftovers()
  t.equal(left.length, 1, 'the dead process\'s batch')
  t.ok(left[0]!.file.endsWith('-4194305-bbbbbbbb.batch'))
  t.same(readdirSync(alive), ['000000000000001-000000000.batch'], 'a running process keeps its own')
})
