import t from 'tap'
import { compileName } from '../../lib/cloudwatch/name-template.js'
import { Router } from '../../lib/pipeline/router.js'
import { levelLabels } from '../../lib/pipeline/level-labels.js'
import type { EventName, EventInfo } from '../../lib/diagnostics.js'

function router (group: string, stream: string, max = 100, levels?: unknown) {
  const events: Array<{ name: EventName, info: EventInfo }> = []
  const r = new Router(compileName(group, 'group', {}), compileName(stream, 'stream', {}), max,
    (name, info) => { events.push({ name, info }) }, levelLabels(levels))
  return { r, events }
}

const line = (fields: Record<string, unknown>): string => JSON.stringify({ level: 30, time: 1, ...fields })

t.test('without record placeholders there is one destination, read from no line', async t => {
  const { r } = router('app', 'web-{env.X}')
  t.same(r.fixed, { logGroupName: 'app', logStreamName: 'web-' })
  t.equal(r.route('not even json'), r.fixed, 'the same object for every line')
})

t.test('{level} names by label, custom levels included, the number when unknown', async t => {
  const { r } = router('app', '{level}', 100, { audit: 35 })
  t.equal(r.route(line({ level: 30 })).logStreamName, 'info')
  t.equal(r.route(line({ level: 50 })).logStreamName, 'error')
  t.equal(r.route(line({ level: 35 })).logStreamName, 'audit')
  t.equal(r.route(line({ level: 42 })).logStreamName, '42')
  t.equal(r.route(line({ level: 'notice' })).logStreamName, 'notice', 'a label written by formatters.level')
  t.equal(r.route('{"msg":"no level"}').logStreamName, 'unknown')
  t.equal(r.route(line({ level: 30 })), r.route(line({ level: 30, other: 1 })), 'one object per destination')
})

t.test('pino\'s config message shape ({ labels, values }) is understood too', async t => {
  const { r } = router('app', '{level}', 100, { labels: { 35: 'audit' }, values: { audit: 35 } })
  t.equal(r.route(line({ level: 35 })).logStreamName, 'audit')
  r.setLabels(levelLabels({ notice: 35 }))
  t.equal(r.route(line({ level: 35 })).logStreamName, 'notice', 'labels set later (pino\'s message) apply at once')
  t.equal(r.route(line({ level: 30 })).logStreamName, 'info', 'over pino\'s defaults')
})

t.test('{field.PATH} with nested paths and fallbacks', async t => {
  const { r, events } = router('app/{field.tenant|shared}', '{field.req.region}-{level}')
  t.same(r.route(line({ tenant: 'acme', req: { region: 'eu' } })), { logGroupName: 'app/acme', logStreamName: 'eu-info' })
  t.same(r.route(line({ tenant: 42, req: { region: 'us' } })), { logGroupName: 'app/42', logStreamName: 'us-info' })
  t.same(r.route(line({ req: { region: 'eu' } })), { logGroupName: 'app/shared', logStreamName: 'eu-info' },
    'a missing field takes its fallback')
  t.same(r.route(line({ tenant: { id: 1 }, req: {} })), { logGroupName: 'app/shared', logStreamName: 'unknown-info' },
    'an object is not a value; a missing nested field takes the default fallback')
  t.same(r.route(line({ tenant: 'Acme Corp', req: { region: 'eu' } })), { logGroupName: 'app/shared', logStreamName: 'eu-info' },
    'a value with characters a group name refuses takes the fallback')
  t.same(r.route(line({ tenant: '', req: {} })), { logGroupName: 'app/shared', logStreamName: 'unknown-info' },
    'an empty value takes the fallback')
  t.same(r.route(line({ tenant: 'acme', req: { region: '2026-12-03T10:00:00*' } })),
    { logGroupName: 'app/acme', logStreamName: '2026-12-03T10-00-00--info' }, 'in a stream name : and * become -')
  t.same(r.fallback, { logGroupName: 'app/shared', logStreamName: 'unknown-unknown' })
  const reasons = events.map(e => `${e.info.placeholder as string}:${e.info.reason as string}`)
  t.same(reasons.sort(), ['{field.req.region}:missing', '{field.tenant|shared}:invalid',
    '{field.tenant|shared}:missing'], 'each placeholder and reason reported once')
})

t.test('a value that makes exactly the fallback name is the fallback, never a refusal for the cap', async t => {
  const { r, events } = router('g', '{field.s}', 1)
  t.equal(r.route(line({ s: 'a' })).logStreamName, 'a')
  t.equal(r.route(line({ s: 'unknown' })), r.route(line({})), 'the same destination as a missing field')
  t.same(events.filter(e => e.info.reason === 'maxDestinations'), [])
})

t.test('values that make a whole name invalid go to the fallback destination', async t => {
  const { r, events } = router('{field.team}', 's')
  t.same(r.route(line({ team: 'aws' })), { logGroupName: 'aws', logStreamName: 's' })
  t.same(r.route(line({ team: 'aws/x' })), r.fallback, 'a group under aws/ is refused by the service')
  t.same(r.route(line({ team: 'x'.repeat(513) })), r.fallback, 'over 512 characters')
  t.same(r.route(line({ team: 'x'.repeat(512) })).logGroupName.length, 512, 'exactly 512 is a name')
  t.equal(events.filter(e => e.info.reason === 'name').length, 1, 'reported once')
})

t.test('maxDestinations: past the cap lines go to the fallback; the first refusal is reported, the rest summed', async t => {
  const { r, events } = router('app', '{field.user}', 3)
  for (const user of ['a', 'b', 'c']) t.equal(r.route(line({ user })).logStreamName, user)
  t.equal(r.size, 3)
  t.same(r.route(line({ user: 'd' })), r.fallback)
  t.same(r.route(line({ user: 'd' })), r.fallback)
  t.same(r.route(line({ user: 'e' })), r.fallback)
  const capped = () => events.filter(e => e.info.reason === 'maxDestinations')
  t.same(capped().map(e => [e.info.name, e.info.count]), [['app/d', 1]], 'the first at once; e waits for the next report')
  r.finish()
  t.same(capped().map(e => [e.info.name, e.info.count]), [['app/d', 1], ['app/e', 1]], 'at close, the rest are counted')
  t.equal(r.route(line({ user: 'a' })).logStreamName, 'a', 'live destinations still take their lines')
  t.equal(r.size, 4, 'the fallback is live besides them')
})

t.test('forgotten destinations make room; the cap holds under 10,000 distinct values', async t => {
  let forgettable: ReturnType<Router['route']>[] = []
  const events: EventInfo[] = []
  const r: Router = new Router(compileName('app', 'group', {}), compileName('{field.user}', 'stream', {}), 100,
    (_name, info) => { events.push(info) }, levelLabels(undefined), () => {
      for (const target of forgettable) r.forget(target)
      forgettable = []
    })
  const seen = new Set<string>()
  let largest = 0
  for (let i = 0; i < 10_000; i++) {
    seen.add(r.route(line({ user: `u${i}` })).logStreamName)
    largest = Math.max(largest, r.size)
  }
  t.equal(largest, 101, 'never more than the cap and the fallback')
  t.equal(seen.size, 101, '100 users and the fallback')
  t.equal(events.length, 1, 'an unbounded field does not make a report per line')
  r.finish()
  t.same(events.map(e => e.count), [1, 10_000 - 101], 'and the counts add up to every refused name')
  forgettable = [r.route(line({ user: 'u0' }))]
  t.equal(r.route(line({ user: 'new' })).logStreamName, 'new', 'once one is forgotten, a new one is live')
})
