// The README's generated tables, each between `<!-- NAME:start -->` and `<!-- NAME:end -->`: options from the
// option spec, events from the event catalogue, CLI and tail flags from their flag lists. scripts/docs.js writes them
// (`npm run docs`); test/readme-tables.test.ts fails when the README is not what this renders.
import { flagsMarkdown } from './cli/help.js'
import { tailFlagsMarkdown } from './cli/tail/help.js'
import { EVENT_DOCS } from './events.js'
import { OPTION_SPEC, type OptionSpec } from './option-spec.js'
import { acceptsText, defaultText, flagOf } from './option-text.js'

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ')

function optionDefault (spec: OptionSpec): string {
  const text = defaultText(spec)
  if (text.startsWith('(')) return text
  return typeof spec.default === 'string' ? `\`'${spec.default}'\`` : `\`${text}\``
}

function optionAccepts (spec: OptionSpec): string {
  const accepts = acceptsText(spec)
  if (spec.kind === 'choice' && typeof spec.choices![0] === 'string') {
    return spec.choices!.map(c => `\`${c}\``).join(', ')
  }
  return spec.unit === undefined ? accepts : `${accepts} ${spec.unit}`
}

/** The options table: every option of `Options`, with its default, what it accepts, its flag and its doc. */
export function optionsMarkdown (): string {
  const rows = Object.entries(OPTION_SPEC).map(([name, spec]: [string, OptionSpec]) => {
    const flag = flagOf(name as keyof typeof OPTION_SPEC)
    const cli = flag === undefined ? '' : `\`--${flag}\``
    return `| \`${name}\` | ${cell(optionDefault(spec))} | ${cell(optionAccepts(spec))} | ${cli} | ${cell(spec.doc)} |`
  })
  const head = ['| option | default | accepts | CLI flag | meaning |', '| --- | --- | --- | --- | --- |']
  return [...head, ...rows].join('\n') + '\n'
}

/** The events table: each event, when it is reported, and the fields it carries besides `message`. */
export function eventsMarkdown (): string {
  const rows = Object.entries(EVENT_DOCS).map(([name, doc]) => {
    const fields = Object.entries(doc.fields).map(([field, text]) => `\`${field}\`: ${text}`).join('; ')
    return `| \`${name}\` | ${cell(doc.when)} | ${cell(fields)} |`
  })
  return ['| event | when | fields besides `message` |', '| --- | --- | --- |', ...rows].join('\n') + '\n'
}

/** Each generated section of the README, by marker name. */
export function readmeTables (): Record<string, string> {
  return {
    options: optionsMarkdown(),
    events: eventsMarkdown(),
    'cli-flags': flagsMarkdown(),
    'tail-flags': tailFlagsMarkdown()
  }
}

/** The README with every generated section replaced by what renders now; throws when a marker pair is missing. */
export function updateReadme (readme: string, tables: Record<string, string> = readmeTables()): string {
  let text = readme
  for (const [name, table] of Object.entries(tables)) {
    const start = `<!-- ${name}:start -->`
    const end = `<!-- ${name}:end -->`
    const from = text.indexOf(start)
    const to = text.indexOf(end)
    if (from < 0 || to < from) throw new Error(`README.md lacks the ${start} ... ${end} markers`)
    text = `${text.slice(0, from + start.length)}\n${table.trim()}\n${text.slice(to)}`
  }
  return text
}
