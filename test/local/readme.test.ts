import { readFileSync } from 'node:fs'
import t from 'tap'
import { localFlagsMarkdown } from '../../lib/local/cli/help.js'
import { CONNECTION_FAULTS, FAULT_KINDS, RANDOM_FAULTS } from '../../lib/local/faults.js'

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
const section = readme.slice(readme.indexOf('## The local endpoint'), readme.indexOf('## IAM permissions'))

t.test("README.md shows logbeam-local's flags table as its flag list renders it", async (t) => {
  const start = '<!-- local-flags:start -->'
  const end = '<!-- local-flags:end -->'
  const from = readme.indexOf(start)
  const to = readme.indexOf(end)
  t.ok(from >= 0 && to > from, `README.md has the ${start} ... ${end} markers`)
  t.equal(readme.slice(from + start.length, to).trim(), localFlagsMarkdown().trim(), 'the table is localFlagsMarkdown() of lib/local/cli/help.ts')
})

t.test("the README's fault table names every fault kind and every rate option", async (t) => {
  for (const kind of FAULT_KINDS) t.match(section, `\`${kind}\``, kind)
  for (const [rate] of RANDOM_FAULTS) t.match(section, `| \`${rate}\` |`, rate)
  for (const kind of CONNECTION_FAULTS) t.match(section, new RegExp(`^\\| \`${kind}\` \\|`, 'm'), `${kind} has its row`)
})
