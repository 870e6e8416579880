import t from 'tap'
import { EventLog } from '../../lib/local/events.js'

function batch (...events: Array<[number, string]>): Array<{ timestamp: number, message: string }> {
  return events.map(([timestamp, message]) => ({ timestamp, message }))
}

t.test('batches in time order are stored as sent, each with its ingestion time', async (t) => {
  const log = new EventLog()
  log.append(batch([1, 'a'], [2, 'b']), 0, 2, 100)
  log.append(batch([2, 'c'], [3, 'd']), 0, 2, 200)
  t.same(log.slice(0, log.length), [
    { timestamp: 1, message: 'a', ingestionTime: 100 },
    { timestamp: 2, message: 'b', ingestionTime: 100 },
    { timestamp: 2, message: 'c', ingestionTime: 200 },
    { timestamp: 3, message: 'd', ingestionTime: 200 }
  ])
})

t.test('only the [start, end) range of a batch is stored', async (t) => {
  const log = new EventLog()
  log.append(batch([1, 'too old'], [2, 'kept'], [3, 'too new']), 1, 2, 0)
  t.same(log.slice(0, log.length).map((e) => e.message), ['kept'])
})

t.test('an older batch is merged in; stored events come first on equal timestamps', async (t) => {
  const log = new EventLog()
  log.append(batch([10, 'x10'], [20, 'x20'], [30, 'x30']), 0, 3, 0)
  log.append(batch([5, 'y5'], [20, 'y20'], [25, 'y25'], [40, 'y40']), 0, 4, 0)
  t.same(log.slice(0, log.length).map((e) => e.message), ['y5', 'x10', 'x20', 'y20', 'y25', 'x30', 'y40'])
})

t.test('messages with characters outside the BMP come back intact', async (t) => {
  const log = new EventLog()
  log.append(batch([1, '😀 one'], [1, 'é'], [1, '€ three 😀']), 0, 3, 0)
  log.append(batch([0, '早 first']), 0, 1, 0)
  t.same(log.slice(0, log.length).map((e) => e.message), ['早 first', '😀 one', 'é', '€ three 😀'])
})

t.test('grows past its first capacity, merges included', async (t) => {
  const log = new EventLog()
  const evens = Array.from({ length: 3000 }, (_, i) => ({ timestamp: i * 2, message: `e${i * 2}` }))
  const odds = Array.from({ length: 3000 }, (_, i) => ({ timestamp: i * 2 + 1, message: `o${i * 2 + 1}` }))
  log.append(evens, 0, evens.length, 0)
  log.append(odds, 0, odds.length, 0)
  t.equal(log.length, 6000)
  const stored = log.slice(0, log.length)
  t.ok(stored.every((e, i) => e.timestamp === i && e.message.endsWith(String(i))))
})

t.test('binary searches find the first event at or after, and after, a timestamp', async (t) => {
  const log = new EventLog()
  log.append(batch([1, 'a'], [3, 'b'], [3, 'c'], [5, 'd']), 0, 4, 0)
  t.same([0, 1, 3, 4, 6].map((ts) => log.firstAtOrAfter(ts)), [0, 0, 1, 3, 4])
  t.same([0, 1, 3, 4, 6].map((ts) => log.firstAfter(ts)), [0, 1, 3, 3, 4])
})
