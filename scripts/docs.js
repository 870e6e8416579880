// Rewrites the README's generated sections (options, events and CLI flags tables) from the built package:
// `npm run docs`. The rendering is lib/readme-tables.ts, the same function test/readme-tables.test.ts checks
// the README with; this file only reads and writes.
import { readFileSync, writeFileSync } from 'node:fs'

const { updateReadme } = await import('../dist/readme-tables.js')
const readme = new URL('../README.md', import.meta.url)
const before = readFileSync(readme, 'utf8')
const after = updateReadme(before)
if (after === before) {
  console.log('README.md: generated tables already current')
} else {
  writeFileSync(readme, after)
  console.log('README.md: generated tables rewritten')
}
