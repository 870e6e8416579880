import t from 'tap'
import { DropLedger } from '../../lib/pipeline/drop-ledger.js'
import type { EventInfo } from '../../lib/diagnostics.js'

const events = (n: number, from = 0): Array<{ timestamp: number, message: string }> =>
  Array.from({ length: n }, (_, i) => ({ timestamp: 1_800_000_000_000 + from + i, message: `line ${from + i}` }))

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
  ledger.drop([...events(25, 100), { timestamp: 1_900_000_000_000, message: summary }, ...events(25, 125)], 'full')
  t.equal(ledger.total, 150, '150 log lines lost in all')
  t.equal(JSON.parse(ledger.summary(1_900_000_000_001)!).logbeam.dropped, 150, 'the next summary accounts for all of them')
})

t.test('a delivered summary is not carried again', async t => {
  const ledger = new DropLedger(() => {})
  ledger.drop(events(10), 'full')
  const summary = ledger.summary(1_900_000_000_000)!
  ledger.delivered([{ timestamp: 1_900_000_000_000, message: summary }])
  ledger.drop([{ timestamp: 1, message: summary }], 'full') // an identical line logged by the app
  t.equal(ledger.open!.count, 1)
})
