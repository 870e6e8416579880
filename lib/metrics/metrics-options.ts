// The `metrics` option: its type, and the check that refuses a bad one at start, naming the setting at fault
// (`metrics.fields.latencyMs`), so that a metric never silently fails to appear because of its configuration.
import {
  EMF_KEY, EMF_LIMITS, EMF_UNITS, UNITS_URL, dimensionNameProblem, dimensionValueProblem, isStorageResolution,
  isUnit, metricNameProblem, namespaceProblem, type EmfUnit, type StorageResolution
} from './emf-spec.js'

/** Which fields of a log line become CloudWatch metrics, through the embedded metric format. */
export interface MetricsOptions {
  /** The CloudWatch namespace of the metrics: 1 to 255 letters, digits, spaces or `. - _ / # :`, not under `AWS/`. */
  namespace: string
  /**
   * Metric name (a top-level field of the line holding a number, or an array of up to 100 numbers) -> its unit,
   * one of the CloudWatch units (`Milliseconds`, `Bytes`, `Count`, ..., `None`). At most 100 fields.
   */
  fields: Record<string, EmfUnit>
  /**
   * Dimension sets: each a list of top-level fields holding strings. A line's metrics carry every set whose fields
   * it holds as strings of 1 to 1024 printable ASCII characters; at most 30 dimensions per set.
   * @default [[]] (metrics without dimensions)
   */
  dimensions?: string[][]
  /** Storage resolution of a field: 1 (per second, high resolution) or 60. @default 60 for every field */
  storageResolution?: Record<string, StorageResolution>
  /**
   * Dimensions with fixed values, added to every dimension set; a line that lacks the field gets it, next to `_aws`.
   * @default {}
   */
  defaultDimensions?: Record<string, string>
}

/** A bad setting: where it is (`fields.latencyMs`) and what is wrong. */
export interface SettingProblem { at: string, reason: string }

const SETTINGS = ['namespace', 'fields', 'dimensions', 'storageResolution', 'defaultDimensions'] as const

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

const got = (value: unknown): string => `got ${JSON.stringify(value)}`

const problem = (at: string, reason: string | undefined): SettingProblem | undefined =>
  reason === undefined ? undefined : { at, reason }

/** Why `value` cannot be the `metrics` option (the first problem found), or undefined. */
export function metricsProblem (value: Record<string, unknown>): SettingProblem | undefined {
  for (const key of Object.keys(value)) {
    if (!(SETTINGS as readonly string[]).includes(key)) {
      return { at: key, reason: `unknown setting (known: ${SETTINGS.join(', ')})` }
    }
  }
  const fields = value.fields
  return problem('namespace', namespaceProblem(value.namespace)) ??
    fieldsProblem(fields) ??
    resolutionProblem(value.storageResolution, fields as Record<string, unknown>) ??
    defaultsProblem(value.defaultDimensions, fields as Record<string, unknown>) ??
    setsProblem(value.dimensions, fields as Record<string, unknown>, value.defaultDimensions)
}

function fieldsProblem (fields: unknown): SettingProblem | undefined {
  if (!isObject(fields)) return { at: 'fields', reason: `expected an object of field name -> unit, ${got(fields)}` }
  const names = Object.keys(fields)
  if (names.length < 1 || names.length > EMF_LIMITS.metricsPerDocument) {
    return { at: 'fields', reason: `expected 1 to ${EMF_LIMITS.metricsPerDocument} fields, got ${names.length}` }
  }
  for (const name of names) {
    // Lines are scanned for `"name":` before anything is parsed: a name JSON would escape could not be found.
    const reason = metricNameProblem(name) ?? (/["\\]/.test(name) || name === EMF_KEY
      ? `a field name without " or \\, other than ${EMF_KEY}, ${got(name)}`
      : undefined) ??
      (isUnit(fields[name])
        ? undefined
        : `expected one of the CloudWatch units (${EMF_UNITS.join(', ')}; see ${UNITS_URL}), ${got(fields[name])}`)
    if (reason !== undefined) return { at: `fields.${name}`, reason }
  }
  return undefined
}

function resolutionProblem (resolutions: unknown, fields: Record<string, unknown>): SettingProblem | undefined {
  if (resolutions === undefined) return undefined
  if (!isObject(resolutions)) {
    return { at: 'storageResolution', reason: `expected an object of field name -> 1 or 60, ${got(resolutions)}` }
  }
  for (const [name, resolution] of Object.entries(resolutions)) {
    const reason = !Object.hasOwn(fields, name)
      ? 'not a field of metrics.fields'
      : isStorageResolution(resolution) ? undefined : `expected 1 or 60, ${got(resolution)}`
    if (reason !== undefined) return { at: `storageResolution.${name}`, reason }
  }
  return undefined
}

function defaultsProblem (defaults: unknown, fields: Record<string, unknown>): SettingProblem | undefined {
  if (defaults === undefined) return undefined
  if (!isObject(defaults)) {
    return { at: 'defaultDimensions', reason: `expected an object of dimension name -> value, ${got(defaults)}` }
  }
  if (Object.keys(defaults).length > EMF_LIMITS.dimensionsPerSet) {
    return { at: 'defaultDimensions', reason: `at most ${EMF_LIMITS.dimensionsPerSet} dimensions` }
  }
  for (const [name, text] of Object.entries(defaults)) {
    const reason = dimensionNameProblem(name) ?? conflict(name, fields) ?? dimensionValueProblem(text)
    if (reason !== undefined) return { at: `defaultDimensions.${name}`, reason }
  }
  return undefined
}

function setsProblem (sets: unknown, fields: Record<string, unknown>, defaults: unknown): SettingProblem | undefined {
  if (sets === undefined) return undefined
  if (!Array.isArray(sets)) {
    return { at: 'dimensions', reason: `expected an array of arrays of field names, ${got(sets)}` }
  }
  const fixed = Object.keys(isObject(defaults) ? defaults : {})
  for (const [i, set] of sets.entries()) {
    const at = `dimensions[${i}]`
    if (!Array.isArray(set)) return { at, reason: `expected an array of field names, ${got(set)}` }
    for (const name of set) {
      const reason = dimensionNameProblem(name) ?? conflict(name as string, fields)
      if (reason !== undefined) return { at, reason }
    }
    if (new Set(set).size !== set.length) return { at, reason: `a field is named twice, ${got(set)}` }
    const size = new Set([...fixed, ...set]).size
    if (size > EMF_LIMITS.dimensionsPerSet) {
      return { at, reason: `${size} dimensions with defaultDimensions; at most ${EMF_LIMITS.dimensionsPerSet}` }
    }
  }
  return undefined
}

/** A member is either a metric (a number) or a dimension (a string), never both. */
function conflict (name: string, fields: Record<string, unknown>): string | undefined {
  if (name === EMF_KEY) return `${EMF_KEY} cannot be a dimension`
  return Object.hasOwn(fields, name)
    ? `${JSON.stringify(name)} is a metric field; it cannot be a dimension too`
    : undefined
}
