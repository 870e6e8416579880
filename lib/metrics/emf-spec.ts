// The facts of CloudWatch's embedded metric format (EMF), defined once: the writer, the checker of app-written
// `_aws`, the `metrics` option's check and the local endpoint's extraction all import them. Sources (checked
// December 2026): the EMF specification, the CloudWatch API's MetricDatum and Dimension, the namespace rules of
// the CloudWatch concepts page, and AWS's own EMF client library (aws-embedded-metrics-node, Constants.ts) for the
// limits it enforces. Older copies of the spec allowed 9 dimensions per set; the current limit is 30.

/** The specification, for messages and the README. */
export const EMF_SPEC_URL =
  'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html'

/** Where AWS lists the units (MetricDatum's `Unit`), for messages and the README. */
export const UNITS_URL = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDatum.html'

/** The units a MetricDefinition may name; without one, CloudWatch assumes `None`. */
export const EMF_UNITS = [
  'Seconds', 'Microseconds', 'Milliseconds',
  'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes',
  'Bits', 'Kilobits', 'Megabits', 'Gigabits', 'Terabits',
  'Percent', 'Count',
  'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second',
  'Bits/Second', 'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second',
  'Count/Second', 'None'
] as const

export type EmfUnit = typeof EMF_UNITS[number]

/** 1: a high-resolution metric (stored per second); 60, the default: stored per minute. */
export const STORAGE_RESOLUTIONS = [1, 60] as const

export type StorageResolution = typeof STORAGE_RESOLUTIONS[number]

/**
 * Log group classes whose groups CloudWatch extracts no EMF metrics from. What AWS says (checked December 2026):
 * CreateLogGroup's `logGroupClass` docs: Standard supports all CloudWatch Logs features, Infrequent Access "a subset",
 * and Delivery (Lambda logs passed on to S3 or Firehose, kept one day) "doesn't offer rich CloudWatch Logs
 * capabilities"; the launch of Infrequent Access (November 2023) names metric extraction, with Live Tail, alarming
 * and data protection, among the Standard features it leaves out. The feature table is on the log classes page:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CloudWatch_Logs_Log_Classes.html
 */
export const NO_METRICS_CLASSES: ReadonlySet<string> = new Set(['INFREQUENT_ACCESS', 'DELIVERY'])

/** The member of the root object that makes a log event an EMF document. */
export const EMF_KEY = '_aws'

export const EMF_LIMITS = {
  /**
   * MetricDefinitions in one document. The spec says it per directive; the issue, AWS's own client libraries
   * (MAX_METRICS_PER_EVENT) and logbeam count them per document, which is stricter only for documents with
   * several directives.
   */
  metricsPerDocument: 100,
  /** Dimension keys in one DimensionSet (the spec's and PutMetricData's limit). */
  dimensionsPerSet: 30,
  /** Values in an array-valued metric member. */
  valuesPerMetric: 100,
  /** Namespace, metric and dimension names (the spec's JSON schema, MetricDatum, Dimension). */
  nameLength: 255,
  /** A dimension's value (Dimension). */
  dimensionValueLength: 1024,
  /** A Timestamp older than this is refused by CloudWatch metrics (as events are by CloudWatch Logs). */
  pastMs: 14 * 24 * 60 * 60 * 1000,
  /** ... or further ahead than this. */
  futureMs: 2 * 60 * 60 * 1000,
  /** Namespaces under this prefix are AWS's own. */
  reservedNamespacePrefix: 'AWS/'
} as const

const NAMESPACE_TEXT = /^[0-9A-Za-z.\-_/#: ]+$/
/** Printable ASCII: what Dimension names and values may hold. */
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/
/** Control characters, which no name may hold. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/

const quoted = (value: unknown): string => JSON.stringify(value) ?? String(value)

const lengthProblem = (what: string, text: string, max: number): string | undefined =>
  text.length < 1 || text.length > max ? `${what} ${quoted(text)} is not 1 to ${max} characters long` : undefined

const blank = (text: string): boolean => text.trim() === ''

/** Why CloudWatch would refuse this namespace, or undefined. */
export function namespaceProblem (namespace: unknown): string | undefined {
  if (typeof namespace !== 'string') return `namespace ${quoted(namespace)} is not a string`
  return lengthProblem('namespace', namespace, EMF_LIMITS.nameLength) ??
    (!NAMESPACE_TEXT.test(namespace) || blank(namespace)
      ? `namespace ${quoted(namespace)} holds other than letters, digits, spaces and . - _ / # :`
      : undefined) ??
    (namespace.startsWith(EMF_LIMITS.reservedNamespacePrefix)
      ? `namespace ${quoted(namespace)} starts with '${EMF_LIMITS.reservedNamespacePrefix}', which is AWS's own`
      : undefined)
}

/** Why CloudWatch would refuse this metric name, or undefined. */
export function metricNameProblem (name: unknown): string | undefined {
  if (typeof name !== 'string') return `metric name ${quoted(name)} is not a string`
  return lengthProblem('metric name', name, EMF_LIMITS.nameLength) ??
    (CONTROL.test(name) || blank(name) ? `metric name ${quoted(name)} is blank or holds control characters` : undefined)
}

/** Why CloudWatch would refuse this dimension name, or undefined. */
export function dimensionNameProblem (name: unknown): string | undefined {
  if (typeof name !== 'string') return `dimension name ${quoted(name)} is not a string`
  return lengthProblem('dimension name', name, EMF_LIMITS.nameLength) ??
    (!PRINTABLE_ASCII.test(name) || blank(name) || name.startsWith(':')
      ? `dimension name ${quoted(name)} is blank, starts with ':' or holds other than printable ASCII`
      : undefined)
}

/** True when CloudWatch takes `value` as a dimension's value: a string of 1 to 1024 printable ASCII, not blank. */
export function isDimensionValue (value: unknown): value is string {
  return typeof value === 'string' && value.length <= EMF_LIMITS.dimensionValueLength &&
    PRINTABLE_ASCII.test(value) && !blank(value)
}

/** Why `value` cannot be a dimension's value, or undefined. */
export function dimensionValueProblem (value: unknown): string | undefined {
  return isDimensionValue(value)
    ? undefined
    : `${quoted(value)} is not a string of 1 to ${EMF_LIMITS.dimensionValueLength} printable ASCII characters`
}

export function isUnit (unit: unknown): unit is EmfUnit {
  return (EMF_UNITS as readonly unknown[]).includes(unit)
}

export function isStorageResolution (value: unknown): value is StorageResolution {
  return (STORAGE_RESOLUTIONS as readonly unknown[]).includes(value)
}

/**
 * How many values a metric member holds: 1 for a finite number, the length of an array of 1 to 100 finite numbers;
 * 0 when it holds no metric value at all, -1 for an array of finite numbers over the limit.
 */
export function metricValueCount (value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? 1 : 0
  if (!Array.isArray(value) || value.length === 0) return 0
  for (const v of value) if (typeof v !== 'number' || !Number.isFinite(v)) return 0
  return value.length > EMF_LIMITS.valuesPerMetric ? -1 : value.length
}

/** Why CloudWatch would not use this Timestamp at `now`, or undefined. */
export function timestampProblem (timestamp: unknown, now: number): string | undefined {
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp < 0) {
    return `Timestamp ${quoted(timestamp)} is not a whole number of epoch milliseconds`
  }
  if (timestamp < now - EMF_LIMITS.pastMs) return `Timestamp ${timestamp} is more than 14 days in the past`
  if (timestamp > now + EMF_LIMITS.futureMs) return `Timestamp ${timestamp} is more than 2 hours in the future`
  return undefined
}
