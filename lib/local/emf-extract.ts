// Metrics from one stored log event, the way CloudWatch extracts them from the embedded metric format: a JSON object
// with a valid `_aws` block gives one datapoint per value, per metric, per dimension set. Pure; the caller stores them.
import { checkEmf, dimensionSetProblem } from '../metrics/emf-check.js'
import { EMF_KEY, type EmfUnit, type StorageResolution } from '../metrics/emf-spec.js'

/** One value of one metric, as CloudWatch would have stored it. */
export interface MetricDatapoint {
  namespace: string
  name: string
  /** The dimensions of the metric this value belongs to: `{}` for a metric without dimensions. */
  dimensions: Record<string, string>
  /** `_aws.Timestamp` (epoch ms). */
  timestamp: number
  value: number
  /** `None` when the definition names none. */
  unit: EmfUnit
  storageResolution: StorageResolution
  logGroupName: string
  logStreamName: string
}

/** What CloudWatch makes of one event: nothing (not EMF), datapoints, or one of the errors it counts in AWS/Logs. */
export type Extraction =
  | { kind: 'none' }
  | { kind: 'metrics', datapoints: Array<Omit<MetricDatapoint, 'logGroupName' | 'logStreamName'>> }
  | { kind: 'parsing' | 'validation', reason: string }

const NONE: Extraction = { kind: 'none' }

/**
 * CloudWatch looks for EMF in events that are JSON objects; this endpoint takes an event whose message holds `"_aws"`
 * as meant to be one (CloudWatch also honours an `x-amzn-logs-format: json/emf` header, which is optional).
 */
export function extractMetrics (message: string, now: number): Extraction {
  if (!message.includes(`"${EMF_KEY}"`)) return NONE
  let doc: unknown
  try {
    doc = JSON.parse(message)
  } catch (err) {
    return { kind: 'parsing', reason: (err as Error).message }
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc) || !Object.hasOwn(doc, EMF_KEY)) return NONE
  const root = doc as Record<string, unknown>
  const verdict = checkEmf(root, now)
  if (!verdict.ok) return { kind: 'validation', reason: verdict.reason }
  const { Timestamp: timestamp, CloudWatchMetrics: directives } = verdict.metadata
  const datapoints: Extract<Extraction, { kind: 'metrics' }>['datapoints'] = []
  for (const directive of directives) {
    // A set whose members are missing is left out, not the document; with none left the metrics are published
    // without dimensions (as CloudWatch did with an empty dimension value,
    // aws-powertools/powertools-lambda-python#5526).
    const valid = directive.Dimensions.filter(set => dimensionSetProblem(root, set) === undefined)
    const sets = valid.length > 0 ? valid : [[]]
    for (const set of sets) {
      const dimensions = Object.fromEntries(set.map(key => [key, root[key] as string]))
      for (const definition of directive.Metrics) {
        const member = root[definition.Name] as number | number[]
        for (const value of Array.isArray(member) ? member : [member]) {
          datapoints.push({
            namespace: directive.Namespace,
            name: definition.Name,
            dimensions,
            timestamp,
            value,
            unit: definition.Unit ?? 'None',
            storageResolution: definition.StorageResolution ?? 60
          })
        }
      }
    }
  }
  return { kind: 'metrics', datapoints }
}
