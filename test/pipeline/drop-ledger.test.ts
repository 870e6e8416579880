import t from 'tap'
import { DropLedger } from '../../lib/pipeline/drop-ledger.js'
import type { EventInfo } from '../../lib/diagnostics.js'
import type { LogEvent } from '../../lib/pipeline/batch.js'
import { encodeBatch } from '../../lib/pipeline/encoded-batch.js'

const lines = (n: number, from = 0): LogEvent[] =>
  Array.from({ length: n }, (_, i) => ({ timestamp: 1_800_000_000_000 + from + i, message: `line ${from + i}` }))
const events = (n: number, from = 0) => encodeBatch(lines(n, from), 0)

t.test('drops are counted, reported once when they start, and summarised once', async t => {
  const reported: EventInfo[] = []
  const ledger = new DropLedger((_, info) => reported.push(info))
  ledger.drop(events(3), 'full')
  ledger.drop(events(2, 10), 'full')
  t.equal(reported.length, 1, 'one report when drops start')
  t.equal(ledger.total, 5)
  const line = JSON.parse(ledger.summary(1_900_000_000_000)!)
  t.same(line.logbeam, { dropped: 5, from: 1_800_000_000_000, to: 1_800_000_000_011, reason: 'full' })
  t.match(line.msg, /^logbeam: 5 events dropped between 2027-01-15T08:00:00.000Z and 2027-01-15T08:00:00.011Z because full$/)
  t.equal(ledger.summary(1), undefined, 'nothing more to say')
})

t.test('a dropped summary passes its count on; totals count log lines only', async t => {
  const ledger = new DropLedger(() => {})
  ledger.drop(events(100), 'full')
  const summary = ledger.summary(1_900_000_000_000)!
  // The summary is dropped with 50 more lines before it could be delivered.
  ledger.drop(encodeBatch([...lines(25, 100), { timestamp: 1_900_000_000_000, message: summary }, ...lines(25, 125)], 0), 'full')
  t.equal(ledger.total, 150, '150 log lines lost in all')
  t.equal(JSON.parse(ledger.summary(1_900_000_000_001)!).logbeam.dropped, 150, 'the next summary accounts for all of them')
})

t.test('a delivered summary is not carried again', async t => {
  const ledger = new DropLedger(() => {})
  ledger.drop(events(10), 'full')
  const summary = ledger.summary(1_900_000_000_000)!
  ledger.delivered(encodeBatch([{ timestamp: 1_900_000_000_000, message: summary }], 0))
  ledger.drop(encodeBatch([{ timestamp: 1, message: summary }], 0), 'full') // an identical line logged by the app
  t.equal(ledger.open!.count, 1)
})

t.test('a summary is found only as a whole message, never inside another line that quotes it', async t => {
  const ledger = new DropLedger(() => {})
  ledger.drop(events(10), 'full')
  const summary = ledger.summary(1_900_000_000_000)!
  // The app logs the summary's text inside its own line (pino escapes it as a string value).
  const quoting = [{ timestamp: 1, message: JSON.stringify({ msg: summary }) }, { timestamp: 2, message: `${summary} ` }]
  ledger.drop(encodeBatch(quoting, 0), 'full')
  t.equal(ledger.total, 12, 'both are log lines')
  t.equal(JSON.parse(ledger.summary(1_900_000_000_001)!).logbeam.dropped, 2, 'neither taken for the summary')
  ledger.dropLine(3, summary, 'full')
  t.equal(ledger.total, 12, 'the summary itself, dropped as the newest line, is not a log line')
  t.equal(ledger.open!.count, 10, 'its count is carried instead')
})
