// Saves a run: bench/results/latest.json (machine, limits, cases, medians, every run, target checks, profile
// summaries) and bench/results/latest.md (the header and every table). Written again after profiling.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { renderMarkdown } from './render.js'
import { profileTables } from './report.js'
import { LIMITS } from './targets.js'

const RESULTS = join(fileURLToPath(new URL('.', import.meta.url)), 'results')
const BASE = 'latest'

/** The files' paths as run.js prints them (relative to the package root). */
export const RESULT_FILES = [join('bench', 'results', `${BASE}.json`), join('bench', 'results', `${BASE}.md`)]

export function saveResults ({ info, header, cases, medians, runs, checks, tables, profiles }) {
  mkdirSync(RESULTS, { recursive: true })
  const report = { machine: info, targets: LIMITS, cases, medians, runs, checks, profiles }
  writeFileSync(join(RESULTS, `${BASE}.json`), JSON.stringify(report, null, 2) + '\n')
  const args = process.argv.slice(2)
  const md = [
    '# logbeam benchmark: latest results',
    '',
    `${header}.`,
    `Started ${info.started}. Produced by \`node bench/run.js${args.length ? ' ' + args.join(' ') : ''}\`.`,
    '',
    ...tables.map(renderMarkdown),
    ...(profiles ?? []).flatMap(p => profileTables(p).map(renderMarkdown))
  ].join('\n')
  writeFileSync(join(RESULTS, `${BASE}.md`), md)
}
