// Checks an `_aws` block against the EMF specification: logbeam reports app-written blocks that break it (they are
// shipped unchanged, and CloudWatch would extract nothing from them), and the local endpoint extracts metrics only
// from blocks that pass. Pure: the document is already parsed, the clock is an argument.
import {
  EMF_KEY, EMF_LIMITS, dimensionNameProblem, dimensionValueProblem, isStorageResolution, isUnit, metricNameProblem,
  metricValueCount, namespaceProblem, timestampProblem, type EmfUnit, type StorageResolution
} from './emf-spec.js'

export interface MetricDefinition { Name: string, Unit?: EmfUnit, StorageResolution?: StorageResolution }

export interface MetricDirective { Namespace: string, Dimensions: string[][], Metrics: MetricDefinition[] }

/** An `_aws` block that passed the check. */
export interface EmfMetadata { Timestamp: number, CloudWatchMetrics: MetricDirective[] }

export type EmfVerdict = { ok: true, metadata: EmfMetadata } | { ok: false, reason: string }

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value)

/**
 * The structure, names, units, resolutions, limits, timestamp and metric members of `doc`'s `_aws` block. Dimension
 * members are not part of it: CloudWatch leaves out a dimension set whose members are missing rather than the whole
 * document (see dimensionSetProblem).
 */
export function checkEmf (doc: Json, now: number): EmfVerdict {
  const reason = metadataProblem(doc, now)
  return reason === undefined ? { ok: true, metadata: doc[EMF_KEY] as EmfMetadata } : { ok: false, reason }
}

/** Everything the specification asks of `doc`'s `_aws` block, dimension members included: the first problem. */
export function emfProblem (doc: Json, now: number): string | undefined {
  const verdict = checkEmf(doc, now)
  if (!verdict.ok) return verdict.reason
  for (const [d, directive] of verdict.metadata.CloudWatchMetrics.entries()) {
    for (const [s, set] of directive.Dimensions.entries()) {
      const problem = dimensionSetProblem(doc, set)
      if (problem !== undefined) return `CloudWatchMetrics[${d}].Dimensions[${s}]: ${problem}`
    }
  }
  return undefined
}

/** Why a dimension set cannot apply to `doc` (a member is missing or holds no valid value), or undefined. */
export function dimensionSetProblem (doc: Json, set: readonly string[]): string | undefined {
  for (const key of set) {
    if (!Object.hasOwn(doc, key)) return `the dimension member ${JSON.stringify(key)} is missing`
    const problem = dimensionValueProblem(doc[key])
    if (problem !== undefined) return `the dimension member ${JSON.stringify(key)}: ${problem}`
  }
  return undefined
}

function metadataProblem (doc: Json, now: number): string | undefined {
  const aws = doc[EMF_KEY]
  if (!isObject(aws)) return `${EMF_KEY} is not an object`
  const time = timestampProblem(aws.Timestamp, now)
  if (time !== undefined) return time
  const directives = aws.CloudWatchMetrics
  if (!Array.isArray(directives)) return 'CloudWatchMetrics is missing or not an array'
  // One metric may not be stored at two resolutions in one document.
  const resolutions = new Map<string, number>()
  let metrics = 0
  for (const [d, directive] of directives.entries()) {
    const at = `CloudWatchMetrics[${d}]`
    if (!isObject(directive)) return `${at} is not an object`
    const problem = namespaceProblem(directive.Namespace) ?? dimensionsProblem(directive.Dimensions)
    if (problem !== undefined) return `${at}: ${problem}`
    if (!Array.isArray(directive.Metrics)) return `${at}.Metrics is missing or not an array`
    metrics += directive.Metrics.length
    if (metrics > EMF_LIMITS.metricsPerDocument) {
      return `more than ${EMF_LIMITS.metricsPerDocument} metric definitions in one document`
    }
    for (const [m, definition] of directive.Metrics.entries()) {
      const defined = definitionProblem(doc, definition, resolutions)
      if (defined !== undefined) return `${at}.Metrics[${m}]: ${defined}`
    }
  }
  return undefined
}

function dimensionsProblem (sets: unknown): string | undefined {
  if (!Array.isArray(sets)) return 'Dimensions is missing or not an array'
  for (const [s, set] of sets.entries()) {
    if (!Array.isArray(set)) return `Dimensions[${s}] is not an array of dimension names`
    if (set.length > EMF_LIMITS.dimensionsPerSet) {
      return `Dimensions[${s}] has ${set.length} dimensions; at most ${EMF_LIMITS.dimensionsPerSet}`
    }
    for (const name of set) {
      const problem = dimensionNameProblem(name)
      if (problem !== undefined) return `Dimensions[${s}]: ${problem}`
    }
  }
  return undefined
}

function definitionProblem (doc: Json, definition: unknown, resolutions: Map<string, number>): string | undefined {
  if (!isObject(definition)) return 'not an object'
  const name = definition.Name
  const problem = metricNameProblem(name)
  if (problem !== undefined) return problem
  if (definition.Unit !== undefined && !isUnit(definition.Unit)) {
    return `Unit ${JSON.stringify(definition.Unit)} is not a CloudWatch unit`
  }
  const resolution = definition.StorageResolution ?? 60
  if (!isStorageResolution(resolution)) return `StorageResolution ${JSON.stringify(resolution)} is not 1 or 60`
  const earlier = resolutions.get(name as string)
  if (earlier !== undefined && earlier !== resolution) {
    return `metric ${JSON.stringify(name)} is given two storage resolutions`
  }
  resolutions.set(name as string, resolution)
  const count = metricValueCount(doc[name as string])
  if (count === -1) return `the member ${JSON.stringify(name)} holds more than ${EMF_LIMITS.valuesPerMetric} values`
  if (count === 0) return `the member ${JSON.stringify(name)} is missing or not a number or an array of numbers`
  return undefined
}
