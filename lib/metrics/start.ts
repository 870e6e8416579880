// The `metrics` option at start: the writer the pipeline calls for each line (none without the option, so lines pay
// nothing), and the warning when the group logbeam creates will not extract metrics at all.
import type { Reporter } from '../diagnostics.js'
import { EVENTS } from '../events.js'
import type { ResolvedOptions } from '../options.js'
import { EmfWriter } from './emf-writer.js'
import { NO_METRICS_CLASSES } from './emf-spec.js'
import { ProblemReports } from './problem-reports.js'

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
