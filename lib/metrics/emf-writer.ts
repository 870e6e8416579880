// Turns a log line into an EMF document by adding `_aws` right after its opening `{`: every other byte of the line
// stays as it was (default dimensions the line lacks aside). Pure: the line's time and the clock are arguments, and
// problems go to a callback.
import { emfProblem } from './emf-check.js'
import { EMF_KEY, EMF_LIMITS, isDimensionValue, metricValueCount } from './emf-spec.js'
import type { MetricsOptions } from './metrics-options.js'

/** Receives the reason an app-written `_aws`, or a configured field, cannot become a metric. */
export type ProblemSink = (reason: string) => void

interface Field { name: string, definition: string }

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')

/** Index of the line's opening `{` (after leading blanks), or -1 when the line does not start an object. */
function openingBrace (line: string): number {
  let i = 0
  while (i < line.length && line.charCodeAt(i) <= 32) i++
  return line.charCodeAt(i) === 123 /* { */ ? i : -1
}

export class EmfWriter {
  /**
   * `"name":` of a metric field or of `_aws`, as pino (JSON.stringify) writes keys. A line without it holds neither
   * and is not parsed: the cost of `metrics` for such a line is this one scan (see bench/metrics-cost.js).
   */
  readonly #scan: RegExp
  readonly #fields: readonly Field[]
  readonly #namespace: string
  /** The configured dimension sets, each with the default dimensions first. */
  readonly #sets: readonly string[][]
  readonly #defaults: ReadonlyMap<string, string>
  readonly #problem: ProblemSink

  constructor (options: MetricsOptions, problem: ProblemSink) {
    const names = Object.keys(options.fields)
    this.#scan = new RegExp(`"(?:${[EMF_KEY, ...names].map(escapeRegExp).join('|')})"\\s*:`)
    this.#fields = names.map(name => {
      const resolution = options.storageResolution?.[name]
      const definition = {
        Name: name,
        Unit: options.fields[name],
        ...(resolution === undefined ? {} : { StorageResolution: resolution })
      }
      return { name, definition: JSON.stringify(definition) }
    })
    this.#namespace = JSON.stringify(options.namespace)
    this.#defaults = new Map(Object.entries(options.defaultDimensions ?? {}))
    const fixed = [...this.#defaults.keys()]
    this.#sets = (options.dimensions ?? []).map(set => [...fixed, ...set.filter(name => !this.#defaults.has(name))])
    this.#problem = problem
  }

  /** The line with `_aws` added; the line itself when it holds no metric field, is not a JSON object or has `_aws`. */
  write (line: string, timestamp: number, now: number): string {
    if (!this.#scan.test(line)) return line
    const open = openingBrace(line)
    if (open < 0) return line
    let doc: unknown
    try {
      doc = JSON.parse(line)
    } catch {
      return line
    }
    if (!isObject(doc)) return line
    if (Object.hasOwn(doc, EMF_KEY)) {
      // Written by the app or another library: shipped as it is, but the user learns why no metric appears.
      const problem = emfProblem(doc, now)
      if (problem !== undefined) this.#problem(problem)
      return line
    }
    const metrics = this.#metrics(doc)
    if (metrics.length === 0) return line
    const sets = this.#applicable(doc)
    const added = sets[0]!.length === 0 ? '' : this.#missingDefaults(doc)
    const aws = `"${EMF_KEY}":{"Timestamp":${Math.floor(timestamp)},` +
      `"CloudWatchMetrics":[{"Namespace":${this.#namespace},` +
      `"Dimensions":${JSON.stringify(sets)},"Metrics":[${metrics.join(',')}]}]}`
    return `${line.slice(0, open + 1)}${aws}${added},${line.slice(open + 1)}`
  }

  /** Definitions of the fields the line holds as metric values. */
  #metrics (doc: Record<string, unknown>): string[] {
    const present: string[] = []
    for (const field of this.#fields) {
      if (!Object.hasOwn(doc, field.name)) continue
      const count = metricValueCount(doc[field.name])
      if (count > 0) present.push(field.definition)
      else if (count < 0) {
        this.#problem(`field ${JSON.stringify(field.name)} holds more than ` +
          `${EMF_LIMITS.valuesPerMetric} values; left out`)
      }
    }
    return present
  }

  /**
   * The configured sets whose fields the line holds as dimension values. When none does (or none is configured), the
   * default dimensions alone, or no dimension at all: CloudWatch itself publishes a metric without the dimension
   * sets whose members are missing, so the metric is not lost.
   */
  #applicable (doc: Record<string, unknown>): string[][] {
    const sets = this.#sets.filter(set => set.every(name => this.#holds(doc, name)))
    if (sets.length > 0) return sets
    const fixed = [...this.#defaults.keys()]
    return fixed.every(name => this.#holds(doc, name)) ? [fixed] : [[]]
  }

  /** A default dimension the line lacks is added with its fixed value; one the line holds is the line's. */
  #holds (doc: Record<string, unknown>, name: string): boolean {
    return Object.hasOwn(doc, name) ? isDimensionValue(doc[name]) : this.#defaults.has(name)
  }

  #missingDefaults (doc: Record<string, unknown>): string {
    let added = ''
    for (const [name, value] of this.#defaults) {
      if (!Object.hasOwn(doc, name)) added += `,${JSON.stringify(name)}:${JSON.stringify(value)}`
    }
    return added
  }
}
