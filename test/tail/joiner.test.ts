import t from 'tap'
import { PartJoiner, isCutPart } from '../../lib/cli/tail/joiner.js'
import type { TailEvent } from '../../lib/cli/tail/event.js'
import { splitMessage } from '../../lib/pipeline/oversize.js'

const CUT = 1_048_576 - 26
const LEGACY_CUT = 262_144 - 26

t.test('a part is a message of the cut size, give or take a character boundary, that is not JSON on its own', async t => {
  t.ok(isCutPart('x'.repeat(CUT)))
  t.ok(isCutPart('x'.repeat(CUT - 3)), 'backed off 3 bytes before a 4-byte character')
  t.notOk(isCutPart('x'.repeat(CUT - 4)))
  t.notOk(isCutPart('x'.repeat(CUT + 1)))
  t.ok(isCutPart('x'.repeat(LEGACY_CUT)), 'the old 256 KB limit\'s cut')
  t.notOk(isCutPart(JSON.stringify({ msg: 'x'.repeat(CUT - 12) })), 'a whole JSON line of that size')
  t.notOk(isCutPart('short'))
})

const at = (stream: string, timestamp: number, message: string): TailEvent => ({ group: 'g', stream, timestamp, message })

t.test('the parts of a line come back as the line, other streams\' events in between keep their place', async t => {
  const line = JSON.stringify({ msg: 'big', blob: '€'.repeat(800_000) })
  const parts = splitMessage(line, CUT)
  t.equal(parts.length, 3)
  const joiner = new PartJoiner()
  const out: TailEvent[] = []
  out.push(...joiner.push(at('a', 1, 'before'), 0))
  out.push(...joiner.push(at('a', 5, parts[0]!), 0))
  out.push(...joiner.push(at('b', 5, 'b, same time'), 0))
  t.same(out.map(e => e.message), ['before'], 'held back behind the open line')
  out.push(...joiner.push(at('a', 5, parts[1]!), 0))
  out.push(...joiner.push(at('a', 5, parts[2]!), 0))
  out.push(...joiner.push(at('a', 6, 'after'), 0))
  t.same(out.map(e => e.message), ['before', line, 'b, same time', 'after'])
  t.equal(out[1]!.parts, 3)
  t.equal(out[0]!.parts, undefined)
})

t.test('a part not followed by the rest prints as it is, when the stream moves on or the wait is over', async t => {
  const part = 'y'.repeat(CUT)
  const joiner = new PartJoiner()
  t.same(joiner.push(at('a', 1, part), 0), [])
  t.same(joiner.push(at('a', 2, 'next'), 0).map(e => e.message), [part, 'next'], 'a later timestamp ends it')
  t.same(joiner.push(at('a', 3, part), 100), [])
  t.same(joiner.flush(50), [], 'opened after the cut-off: still waiting')
  t.same(joiner.flush(101).map(e => e.message), [part])
  t.same(joiner.push(at('a', 4, part), 0), [])
  t.same(joiner.flush().map(e => e.message), [part], 'flush() with no time: everything')
})
