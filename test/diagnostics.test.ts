import t from 'tap'
import { createReporter, EVENTS, type EventInfo } from '../lib/diagnostics.js'

// Payloads as the uploader and the pipeline send them: the reporter's signature holds each to its event's type.
const putError = (message: string) => ({ message, code: 'ThrottlingException', attempt: 1, events: 1, kind: 'overload', call: 'put' }) as const
const undelivered = (message: string) => ({ message, count: 1, reason: 'closeTimeout' })

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
