import t from 'tap'
import { Concurrency } from '../../lib/cloudwatch/concurrency.js'

t.test('starts at two calls, doubles per round while calls succeed, never above the cap', async t => {
  const c = new Concurrency(16, () => 0)
  t.equal(c.limit, 2)
  c.succeeded()
  c.succeeded()
  t.equal(c.limit, 4, 'slow start: one more call per success')
  for (let i = 0; i < 100; i++) c.succeeded()
  t.equal(c.limit, 16)
})

t.test('overload halves the window once per round, then growth is one call per window of successes', async t => {
  const c = new Concurrency(16, () => 0)
  for (let i = 0; i < 14; i++) c.succeeded()
  t.equal(c.limit, 16)
  const round = c.start()
  c.overloaded(round)
  t.equal(c.limit, 8)
  c.overloaded(round)
  c.overloaded(round)
  t.equal(c.limit, 8, 'other calls of the same round report the same overload')
  c.overloaded(c.start())
  t.equal(c.limit, 4, 'a call started after the decrease is a new sign')
  for (let i = 0; i < 3; i++) c.succeeded()
  t.equal(c.limit, 4, 'after overload: additive increase, not slow start')
  c.succeeded()
  t.equal(c.limit, 5)
})

t.test('never below two calls (one hung call must not stop the stream), and the jitter keeps the halving between 50% and 60%', async t => {
  const c = new Concurrency(64, () => 1)
  for (let i = 0; i < 62; i++) c.succeeded()
  c.overloaded(c.start())
  t.equal(c.limit, 38, '64 * 0.6')
  for (let i = 0; i < 20; i++) c.overloaded(c.start())
  t.equal(c.limit, 2)
  const one = new Concurrency(1)
  one.overloaded(one.start())
  t.equal(one.limit, 1, 'a cap of one is kept')
})
