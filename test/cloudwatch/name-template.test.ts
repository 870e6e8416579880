import t from 'tap'
import { compileName, DEFAULT_FALLBACK } from '../../lib/cloudwatch/name-template.js'
import type { LogbeamOptionError } from '../../lib/option-error.js'

t.test('record placeholders are kept for the router, with their fallbacks', async t => {
  const name = compileName('app/{env.SVC}/{field.tenant|shared}-{level}', 'group', { SVC: 'api' })
  t.equal(name.fixed, undefined)
  t.same(name.parts, ['app/api/', { kind: 'field', token: '{field.tenant|shared}', path: ['tenant'], fallback: 'shared' },
    '-', { kind: 'level', token: '{level}', fallback: DEFAULT_FALLBACK }])
  t.equal(name.fallback, 'app/api/shared-unknown')
})

t.test('a group template is checked at start with every placeholder at its fallback', async t => {
  const refused = (template: string, reason: RegExp): void => {
    const err = t.throws(() => compileName(template, 'group', {})) as LogbeamOptionError
    t.equal(err.option, 'logGroupName')
    t.match(err.reason, reason, template)
  }
  refused('app {field.x}', /letters, digits and/)
  refused('app/{field.x|bad fallback}', /letters, digits and/)
  refused('aws/{field.x}', /must not start with 'aws\/'/)
  refused('{field.x|}', /expands to an empty name/)
  refused('{field.}', /is not a placeholder/)
  refused('{field.a..b}', /is not a placeholder/)
  refused('{level.x}', /is not a placeholder/)
  t.equal(compileName('app/{field.x|}x', 'group', {}).fallback, 'app/x', 'an empty fallback where the name stays valid')
})

t.test('a stream template turns : and * of its text into -, never of a fallback', async t => {
  t.equal(compileName('a:b/{level}', 'stream', {}).parts[0], 'a-b/')
  const err = t.throws(() => compileName('{level|a:b}', 'stream', {})) as LogbeamOptionError
  t.match(err.reason, /no : or \*/)
})
