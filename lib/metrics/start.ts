// The `metrics` option at start: the writer the pipeline calls for each line (none without the option, so lines pay
// nothing), and the warning when the group logbeam creates will not extract metrics at all.
import type { Reporter } from '../diagnostics.js'
import { EVENTS } from '../events.js'
import type { ResolvedOptions } from '../options.js'
import { EmfWriter } from './emf-writer.js'
import { ProblemReports } from './problem-reports.js'

/**
 * Log group classes whose groups CloudWatch extracts no EMF metrics from. The log classes page of the CloudWatch
 * Logs guide lists embedded metric format extraction among the Standard class's features only, and AWS's launch
 * of Infrequent Access (November 2023) names metric extraction among what it leaves out; Delivery groups (for
 * delivering Lambda logs on to S3 or Firehose, kept one day) offer none of the rich features. Checked December 2026:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CloudWatch_Logs_Log_Classes.html
 */
export const NO_METRICS_CLASSES: ReadonlySet<string> = new Set(['INFREQUENT_ACCESS', 'DELIVERY'])

/** The writer for the pipeline, or undefined without `metrics`; warns at once about a class without metrics. */
export function startMetrics (opts: Pick<ResolvedOptions, 'metrics' | 'logGroupClass'>, report: Reporter):
EmfWriter | undefined {
  if (opts.metrics === undefined) return undefined
  const logGroupClass = opts.logGroupClass
  if (logGroupClass !== undefined && NO_METRICS_CLASSES.has(logGroupClass)) {
    report(EVENTS.metricsUnsupported, {
      message: `metrics is set, but CloudWatch extracts no metrics in a log group of class ${logGroupClass} ` +
        '(logGroupClass, for a group logbeam creates): the lines are stored with their _aws blocks, and no metric ' +
        'appears; use STANDARD for metrics',
      logGroupClass
    })
  }
  const problems = new ProblemReports(report)
  return new EmfWriter(opts.metrics, reason => problems.add(reason))
}
