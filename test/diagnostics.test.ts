import t from 'tap'
import { createReporter, EVENTS, plural, type EventInfo, type EventPayloads } from '../lib/diagnostics.js'

// Payloads as the uploader and the pipeline send them: the reporter's signature holds each to its event's type.
const putError = (message: string): EventPayloads['putError'] =>
  ({ message, code: 'ThrottlingException', detail: 'Rate exceeded', attempt: 1, events: 1, kind: 'overload', call: 'put' })
const undelivered = (message: string): EventPayloads['undelivered'] => ({ message, count: 1, reason: 'closeTimeout' })

t.test('stderr lines are rate-limited per event, with a count of what was held back', async t => {
  const lines: string[] = []
  const emitted: string[] = []
  const report = createReporter({ stderr: true, stderrInterval: 60_000, write: l => lines.push(l), emit: n => emitted.push(n) })
  for (let i = 0; i < 5; i++) report(EVENTS.putError, putError(`failure ${i}`))
  report(EVENTS.recovered, { message: 'back', failedFor: 1000, failures: 5 })
  t.same(lines, ['logbeam: failure 0\n', 'logbeam: back\n'], 'one line per event name per interval')
  t.equal(emitted.length, 6, 'every event still reaches the listener')
})

t.test('the final counts are always printed', async t => {
  const lines: string[] = []
  const report = createReporter({ stderr: true, stderrInterval: 60_000, write: l => lines.push(l) })
  report(EVENTS.undelivered, undelivered('a'))
  report(EVENTS.undelivered, undelivered('b'))
  t.equal(lines.length, 2)
})

t.test('credentials never reach stderr or the listener', async t => {
  const lines: string[] = []
  const seen: EventInfo[] = []
  const report = createReporter({ stderr: true, write: l => lines.push(l), emit: (_, info) => seen.push(info) })
  report(EVENTS.putError, putError('denied for AKIAIOSFODNN7EXAMPLE secretAccessKey=wJalrXUtnFEMI/K7MDENG'))
  t.notMatch(lines.join(''), /AKIAIOSFODNN7EXAMPLE|wJalrXUtnFEMI/)
  t.notMatch(seen[0]!.message, /AKIAIOSFODNN7EXAMPLE|wJalrXUtnFEMI/)
})

t.test('stderr: false keeps stderr quiet', async t => {
  const lines: string[] = []
  createReporter({ stderr: false, write: l => lines.push(l) })(EVENTS.putError, putError('x'))
  t.same(lines, [])
})

const adjusted = (count: number) => ({ message: `${plural(count, 'event')} had timestamps the service would drop`, count })

t.test('reports held back are counted at flush(), with the events they stood for summed', async t => {
  const lines: string[] = []
  const report = createReporter({ stderr: true, stderrInterval: 60_000, write: l => lines.push(l) })
  for (const count of [2, 2, 3, 1]) report(EVENTS.timestampAdjusted, adjusted(count))
  report(EVENTS.oversize, { message: 'split', split: 1, truncated: 0 })
  report(EVENTS.oversize, { message: 'split again', split: 2, truncated: 1 })
  t.same(lines, ['logbeam: 2 events had timestamps the service would drop\n', 'logbeam: split\n'])
  report.flush()
  t.same(lines.slice(2), [
    'logbeam: timestampAdjusted: 3 similar reports held back since the last such line, covering 6 events; ' +
      'the last: 1 event had timestamps the service would drop\n',
    'logbeam: oversize: 1 similar report held back since the last such line, covering 2 split, 1 truncated; the last: split again\n'
  ], 'the 2 printed and the 6 held back make the 8 there were')
  report.flush()
  t.equal(lines.length, 4, 'nothing is counted twice')
})

t.test('the next line after the interval says what was held back before it', async t => {
  const lines: string[] = []
  const report = createReporter({ stderr: true, stderrInterval: 30, write: l => lines.push(l) })
  report(EVENTS.timestampAdjusted, adjusted(2))
  report(EVENTS.timestampAdjusted, adjusted(5))
  report(EVENTS.putError, putError('once'))
  report(EVENTS.putError, putError('twice'))
  await new Promise(resolve => setTimeout(resolve, 50))
  report(EVENTS.timestampAdjusted, adjusted(1))
  report(EVENTS.putError, putError('thrice'))
  t.same(lines.slice(2), [
    'logbeam: 1 event had timestamps the service would drop (1 similar report held back since the last such line, covering 5 events)\n',
    'logbeam: thrice (1 similar report held back since the last such line)\n'
  ])
  report.flush()
  t.equal(lines.length, 4, 'nothing left to count')
})

t.test('flush() with stderr off prints nothing', async t => {
  const lines: string[] = []
  const report = createReporter({ stderr: false, stderrInterval: 60_000, write: l => lines.push(l) })
  report(EVENTS.timestampAdjusted, adjusted(2))
  report(EVENTS.timestampAdjusted, adjusted(2))
  report.flush()
  t.same(lines, [])
})

t.test('plural: counts in messages', async t => {
  t.equal(plural(0, 'event'), '0 events')
  t.equal(plural(1, 'event'), '1 event')
  t.equal(plural(2, 'event'), '2 events')
  t.equal(plural(1, 'entry', 'entries'), '1 entry')
  t.equal(plural(3, 'entry', 'entries'), '3 entries')
})
