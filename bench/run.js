#!/usr/bin/env node
// logbeam's benchmark: `npm run bench` (build, then this file) or `node bench/run.js` after a build.
//
//   --runs N             runs of each case; medians are reported (default 3; 1 with --quick)
//   --quick              a tenth of the lines and a 1 s sustained case: for trying things out
//   --only A,B           only the cases whose id contains one of these strings
//   --profile            afterwards, run each case behind a failed target once more under
//                        node --cpu-prof (app and endpoint), write the .cpuprofile files to
//                        bench/results/profiles/ and print where the worker thread's time goes
//   --profile-case A,B   profile these cases (id contains A or B) instead, failed or not
//
// Each case runs in a child process of its own (bench/case.js); logbeam's cases get a fresh
// local endpoint in another process (bench/endpoint.js). Rounds are interleaved (every case once,
// then every case again) so that a noisy moment on the machine hits all cases alike.
// Results: bench/results/latest.json and bench/results/latest.md.
//
// This file runs things (processes.js starts the child processes); the cases are listed in cases.js, the tables
// built in report.js, the target checks made in targets.js, the files written by results-file.js.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { buildCases } from './cases.js'
import { aggregate } from './medians.js'
import { runCase } from './processes.js'
import { summarizeProfile } from './profile.js'
import { num, renderText } from './render.js'
import { profileTables, resultTables } from './report.js'
import { RESULT_FILES, saveResults } from './results-file.js'
import { evaluateTargets, targetSummary, targetTables } from './targets.js'
import { threadStreamSupport } from './thread-stream-probe.js'

const HERE = fileURLToPath(new URL('.', import.meta.url))
const ROOT = join(HERE, '..')
/** --profile profiles at most this many failing cases. */
const PROFILE_MAX = 4

/** Every case once per round, rounds interleaved; a progress line per run on stderr. Resolves with runs by id. */
async function runRounds (cases, runs) {
  const raw = Object.fromEntries(cases.map(c => [c.id, []]))
  for (let round = 1; round <= runs; round++) {
    for (const c of cases) {
      const r = await runCase(c)
      raw[c.id].push(r)
      const extra = r.kind === 'logbeam' ? `, ${num(r.puts)} puts${r.dropped ? `, dropped ${num(r.dropped)}` : ''}` : ''
      process.stderr.write(`[${round}/${runs}] ${c.id.padEnd(28)} main ${num(r.mainCpuNs).padStart(6)} ns/line  ` +
        `e2e ${num(r.e2eMs).padStart(6)} ms  peak RSS ${num(r.peakRssMiB, 1).padStart(6)} MiB${extra}\n`)
    }
  }
  return raw
}

// ---------- the machine ----------

function machine () {
  let model = cpus()[0]?.model ?? 'unknown'
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))
    if (m) model = m[1].trim()
  } catch {}
  let commit = null
  try {
    const git = ['rev-parse', '--short', 'HEAD']
    commit = execFileSync('git', git, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {}
  const pkg = (name) => {
    try {
      return JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version
    } catch {
      return null
    }
  }
  return {
    nproc: availableParallelism(),
    cpu: model,
    node: process.version,
    memGiB: Math.round(totalmem() / 2 ** 30),
    commit,
    versions: {
      pino: pkg('pino'),
      'thread-stream': pkg('thread-stream'),
      '@aws-sdk/client-cloudwatch-logs': pkg('@aws-sdk/client-cloudwatch-logs')
    }
  }
}

const loads = l => l.map(x => x.toFixed(2)).join(' ')

/** The line above the tables (and at the top of latest.md): machine, load, runs, time, commit. */
function headerLine (info, quick, lagUnavailable) {
  return `machine: nproc ${info.nproc}, ${info.cpu}, ${info.memGiB} GiB RAM, node ${info.node}; ` +
    `load average before ${loads(info.loadBefore)}, after ${loads(info.loadAfter)}; ` +
    `${info.runs} run(s) per case, medians; ${info.seconds} s; commit ${info.commit ?? '?'}` +
    `${quick ? '; QUICK (a tenth of the lines)' : ''}${lagUnavailable ? `; ${lagUnavailable}` : ''}`
}

// ---------- profiling ----------

async function profileCase (c) {
  const slug = c.id.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()
  const dir = join(HERE, 'results', 'profiles', slug)
  rmSync(dir, { recursive: true, force: true })
  const result = await runCase(c, dir)
  const files = sub => {
    const d = join(dir, sub)
    return existsSync(d) ? readdirSync(d).filter(f => f.endsWith('.cpuprofile')).map(f => join(d, f)) : []
  }
  // File names are CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile: thread 0 is the main thread.
  const threadOf = f => Number(f.split('.').at(-3))
  const app = files('app')
  // Only the measured span counts (not start-up or warm-up); the endpoint's clock is the same
  // monotonic clock (same machine), so the same window applies to it.
  const window = result.window
  const worker = app.filter(f => threadOf(f) !== 0).map(f => summarizeProfile(f, 15, window))
  const main = app.filter(f => threadOf(f) === 0).map(f => summarizeProfile(f, 10, window))
  const endpoint = files('endpoint').map(f => summarizeProfile(f, 10, window))
  return { case: c.id, dir, result, worker: worker[0] ?? null, main: main[0] ?? null, endpoint: endpoint[0] ?? null }
}

/** --profile-case's cases, or those behind failed checks (at most PROFILE_MAX), or the 100 B case if none failed. */
function casesToProfile (values, all, cases, failed) {
  const wanted = values['profile-case']?.split(',').map(s => s.trim()).filter(Boolean)
  if (wanted) return all.filter(c => wanted.some(w => c.id.includes(w)))
  let picked = cases.filter(c => failed.some(t => t.case === c.id))
  if (picked.length > PROFILE_MAX) {
    // One case per line size first (the worker's mix changes with size), then the rest.
    const seen = new Set()
    const first = picked.filter(c => !seen.has(c.name) && seen.add(c.name))
    const skipped = picked.length - PROFILE_MAX
    picked = [...first, ...picked.filter(c => !first.includes(c))].slice(0, PROFILE_MAX)
    process.stdout.write(`\n${skipped} more failing case(s) not profiled (at most ${PROFILE_MAX}); ` +
      'pick any with --profile-case\n')
  }
  if (picked.length === 0) {
    process.stdout.write('\nevery target passes; profiling the rate-limit-off 100 B case to show where the ' +
      'worker\'s time goes\n')
    picked = all.filter(c => c.id === '100B logbeam-unlimited')
  }
  return picked
}

async function profileCases (picked) {
  const profiles = []
  for (const c of picked) {
    process.stdout.write(`\nprofiling ${c.id} (node --cpu-prof; figures under the profiler are slower)...\n`)
    const p = await profileCase(c)
    profiles.push(p)
    process.stdout.write('\n' + profileTables(p).map(renderText).join('\n'))
  }
  return profiles
}

// ---------- main ----------

function options () {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string' },
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      profile: { type: 'boolean', default: false },
      'profile-case': { type: 'string' },
      help: { type: 'boolean', short: 'h' }
    },
    strict: true
  })
  return values
}

function printHelp () {
  const usage = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 11)
  process.stdout.write(usage.map(l => l.replace(/^\/\/ ?/, '')).join('\n') + '\n')
}

function selectCases (values) {
  const runs = values.runs !== undefined ? Number(values.runs) : values.quick ? 1 : 3
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number >= 1, got ${values.runs}`)
  const filters = values.only ? values.only.split(',').map(s => s.trim()).filter(Boolean) : []
  const all = buildCases(values.quick)
  const cases = filters.length ? all.filter(c => filters.some(f => c.id.includes(f))) : all
  if (cases.length === 0) {
    throw new Error(`--only ${values.only} matches no case; cases: ${all.map(c => c.id).join(', ')}`)
  }
  return { runs, all, cases }
}

async function main () {
  const values = options()
  if (values.help) return printHelp()
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) {
    process.stderr.write('bench: dist/ is missing: build first (npm run build)\n')
    process.exit(1)
  }
  const { runs, all, cases } = selectCases(values)
  const lagUnavailable = threadStreamSupport().reason

  const info = { ...machine(), loadBefore: loadavg(), started: new Date().toISOString(), runs, quick: values.quick }
  process.stdout.write(`logbeam benchmark: ${cases.length} cases x ${runs} runs${values.quick ? ' (quick)' : ''}\n`)
  process.stdout.write(`machine: ${info.nproc} cores (nproc), ${info.cpu}, ${info.memGiB} GiB, node ${info.node}, ` +
    `load average ${loads(loadavg())}\n${lagUnavailable ? `${lagUnavailable}\n` : ''}\n`)

  const began = Date.now()
  const raw = await runRounds(cases, runs)
  info.loadAfter = loadavg()
  info.seconds = Math.round((Date.now() - began) / 1000)

  const med = Object.fromEntries(cases.map(c => [c.id, aggregate(raw[c.id])]))
  const checks = evaluateTargets(cases, med)
  const tables = [...resultTables(cases, med), ...targetTables(checks)]
  const header = headerLine(info, values.quick, lagUnavailable)
  process.stdout.write('\n' + header + '\n\n' + tables.map(renderText).join('\n'))
  process.stdout.write(`\n${targetSummary(checks)}\n`)

  const save = profiles => saveResults({ info, header, cases, medians: med, runs: raw, checks, tables, profiles })
  save()
  process.stdout.write(`results: ${RESULT_FILES.join(', ')}\n`)
  if (!values.only) routingCost(values.quick)

  if (values.profile || values['profile-case']) {
    const failed = checks.filter(t => !t.pass)
    save(await profileCases(casesToProfile(values, all, cases, failed)))
    process.stdout.write(`profiles: ${join('bench', 'results', 'profiles')}/\n`)
  }
}

/**
 * The per-line costs measured inside one process rather than end to end: routing by record and line splitting
 * (bench/routing-cost.js), printed after the cases.
 */
function routingCost (quick) {
  const args = quick ? ['--lines', '50000', '--rounds', '3'] : []
  const text = execFileSync(process.execPath, [join(ROOT, 'bench', 'routing-cost.js'), ...args], { encoding: 'utf8' })
  process.stdout.write(`\n${text}`)
  // Kept with the cases' tables, as text: its figures are per line, from one process.
  const md = join(ROOT, RESULT_FILES[1])
  writeFileSync(md, `${readFileSync(md, 'utf8')}\n\n## Per line, in one process (bench/routing-cost.js)\n\n\`\`\`\n${text}\`\`\`\n`)
}

main().catch(err => {
  process.stderr.write(`bench: ${err?.stack ?? err}\n`)
  process.exit(1)
})
