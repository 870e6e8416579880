import t from 'tap'
import { readFileSync } from 'node:fs'
import { tailFlagsMarkdown } from '../../lib/cli/tail/help.js'
import { TAIL_FLAGS } from '../../lib/cli/tail/flags.js'

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')

t.test('the README shows the tail flags table rendered from the flag list', async t => {
  const start = '<!-- tail-flags:start -->'
  const end = '<!-- tail-flags:end -->'
  const from = readme.indexOf(start)
  const to = readme.indexOf(end)
  t.ok(from >= 0 && to > from, 'README.md has the markers')
  t.equal(readme.slice(from + start.length, to).trim(), tailFlagsMarkdown().trim(), '`npm run docs` rewrites it')
  for (const flag of TAIL_FLAGS) t.match(tailFlagsMarkdown(), `--${flag.name}`, flag.name)
})

t.test('the README\'s tail section has the examples the issue asks for', async t => {
  const section = readme.slice(readme.indexOf('## Reading it back: `pino-cloudwatch tail`'), readme.indexOf('<!-- tail-flags:start -->'))
  t.match(section, /# follow one service[^\n]*\npino-cloudwatch tail --log-group-name \/my\/app --follow\n/)
  t.match(section, /# one tenant's stream[^\n]*\npino-cloudwatch tail --log-group-name \/my\/app --log-stream-name tenant-42 /)
  t.match(section, /# errors only[^\n]*\npino-cloudwatch tail --log-group-name \/my\/app --filter '\{ \$\.level >= 50 \}'/)
  t.match(section, /\*\*Lines split for size\.\*\*/, 'says how split parts are shown')
})
