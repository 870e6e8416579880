import t from 'tap'
import { readFileSync } from 'node:fs'
import { flagsMarkdown } from '../../lib/cli/help.js'

const START = '<!-- cli-flags:start -->'
const END = '<!-- cli-flags:end -->'

t.test('README.md shows the flags table the CLI renders from its flag list', async t => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  const from = readme.indexOf(START)
  const to = readme.indexOf(END)
  t.ok(from >= 0 && to > from, `README.md has the ${START} ... ${END} markers`)
  t.equal(readme.slice(from + START.length, to).trim(), flagsMarkdown().trim(),
    'the README table is flagsMarkdown(): `npm run docs` rewrites it')
})
