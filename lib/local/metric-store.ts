// The metrics the local endpoint extracted from stored EMF events, and the read side a test asserts on:
// `endpoint.metrics({ namespace: 'MyApp', name: 'latencyMs', dimensions: { service: 'api' } })`.
import { NO_METRICS_CLASSES } from '../metrics/emf-spec.js'
import { extractMetrics, type MetricDatapoint } from './emf-extract.js'

export type { MetricDatapoint }

/** Which datapoints to return; every given field must match. */
export interface MetricQuery {
  namespace?: string
  name?: string
  /**
   * The metric's dimensions, exactly (a metric is identified by all of them, as in CloudWatch): `{}` selects the
   * metric without dimensions. Leave out to match any.
   */
  dimensions?: Record<string, string>
  logGroupName?: string
}

/** The namespace and names under which CloudWatch counts EMF events it could not use, per log group. */
export const EMF_ERRORS = {
  namespace: 'AWS/Logs',
  parsing: 'EMFParsingErrors',
  validation: 'EMFValidationErrors'
} as const

/** An event as the store hands it over: only the fields extraction needs. */
interface Event { message: string }

export class MetricStore {
  readonly #datapoints: MetricDatapoint[] = []

  /**
   * Extracts the metrics of events just stored in a group of class `logGroupClass` (none in the classes CloudWatch
   * extracts none from). Events that are meant as EMF but cannot be used count as errors, as CloudWatch counts them.
   */
  record (logGroupName: string, logGroupClass: string, logStreamName: string, events: readonly Event[], now: number):
  void {
    if (NO_METRICS_CLASSES.has(logGroupClass)) return
    for (const event of events) {
      const extraction = extractMetrics(event.message, now)
      if (extraction.kind === 'none') continue
      if (extraction.kind === 'metrics') {
        for (const point of extraction.datapoints) this.#datapoints.push({ ...point, logGroupName, logStreamName })
        continue
      }
      this.#datapoints.push({
        namespace: EMF_ERRORS.namespace,
        name: EMF_ERRORS[extraction.kind],
        dimensions: { LogGroupName: logGroupName },
        timestamp: now,
        value: 1,
        unit: 'Count',
        storageResolution: 60,
        logGroupName,
        logStreamName
      })
    }
  }

  /** Matching datapoints in the order they were stored; copies, so a test cannot change what is stored. */
  query (query: MetricQuery = {}): MetricDatapoint[] {
    return this.#datapoints
      .filter(point => matches(point, query))
      .map(point => ({ ...point, dimensions: { ...point.dimensions } }))
  }
}

function matches (point: MetricDatapoint, query: MetricQuery): boolean {
  if (query.namespace !== undefined && point.namespace !== query.namespace) return false
  if (query.name !== undefined && point.name !== query.name) return false
  if (query.logGroupName !== undefined && point.logGroupName !== query.logGroupName) return false
  if (query.dimensions === undefined) return true
  const wanted = Object.entries(query.dimensions)
  return wanted.length === Object.keys(point.dimensions).length &&
    wanted.every(([key, value]) => point.dimensions[key] === value)
}
