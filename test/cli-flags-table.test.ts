import t from 'tap'
import { existsSync, readFileSync } from 'node:fs'
import { flagsMarkdown } from '../lib/cli/help.js'

const README = new URL('../README.md', import.meta.url)
const FIXTURE = new URL('./fixtures/cli-flags.md', import.meta.url)
const START = '<!-- cli-flags:start -->'
const END = '<!-- cli-flags:end -->'

const readme = existsSync(README) ? readFileSync(README, 'utf8') : ''
const from = readme.indexOf(START)
const to = readme.indexOf(END)
const noMarkers = from < 0 || to < from
  ? `README.md has no ${START} ... ${END} markers: paste test/fixtures/cli-flags.md between them to have the table checked`
  : false

t.test('test/fixtures/cli-flags.md is the table the flag list renders', async t => {
  t.equal(readFileSync(FIXTURE, 'utf8'), flagsMarkdown())
})

t.test('README.md shows the flags table of the CLI between its markers', { skip: noMarkers }, async t => {
  t.equal(readme.slice(from + START.length, to).trim(), flagsMarkdown().trim(),
    'the README table is flagsMarkdown() (see test/fixtures/cli-flags.md)')
})
