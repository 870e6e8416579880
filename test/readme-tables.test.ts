import t from 'tap'
import { readFileSync } from 'node:fs'
import { eventsMarkdown, optionsMarkdown, readmeTables, updateReadme } from '../lib/readme-tables.js'
import { EVENTS } from '../lib/events.js'
import { OPTION_SPEC } from '../lib/option-spec.js'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

t.test('README.md shows the generated tables as they render now', async t => {
  for (const [name, table] of Object.entries(readmeTables())) {
    const start = `<!-- ${name}:start -->`
    const end = `<!-- ${name}:end -->`
    const from = readme.indexOf(start)
    const to = readme.indexOf(end)
    t.ok(from >= 0 && to > from, `README.md has the ${start} ... ${end} markers`)
    t.equal(readme.slice(from + start.length, to).trim(), table.trim(), `${name}: \`npm run docs\` rewrites it`)
  }
  t.equal(updateReadme(readme), readme, 'scripts/docs.js would change nothing')
})

t.test('the options table has a row per option, the events table a row per event', async t => {
  for (const name of Object.keys(OPTION_SPEC)) t.match(optionsMarkdown(), `| \`${name}\` |`, name)
  for (const name of Object.values(EVENTS)) t.match(eventsMarkdown(), `| \`${name}\` |`, name)
})

t.test('updateReadme refuses a README without the markers', async t => {
  t.throws(() => updateReadme('# no markers\n'), /lacks the <!-- options:start -->/)
})
