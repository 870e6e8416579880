import {
  DescribeLogGroupsCommand, StartLiveTailCommand, type CloudWatchLogsClient, type LiveTailSessionLogEvent,
  type StartLiveTailCommandInput
} from '@aws-sdk/client-cloudwatch-logs'
import { backoffDelay } from '../../cloudwatch/backoff.js'
import { describe } from '../../cloudwatch/errors.js'
import { TailError, explain, isRetryable, type CallContext } from './errors.js'
import { groupName, type TailEvent } from './event.js'
import { RETRY, callWithRetries, pause, type Control } from './retry.js'
import { SampleNotices } from './sampling.js'

export interface LiveQuery {
  /** Names or ARNs, 1 to 10. */
  groups: string[]
  streams?: string[]
  prefix?: string
  filter?: string
}

/**
 * CloudWatch Live Tail: one StartLiveTail session after another, each update's events as a page. A session ends
 * after three hours (SessionTimeoutException) or on a server-side failure (SessionStreamingException, a cut
 * connection): a new one starts at once, or after a backoff when sessions keep failing. Events stored while no
 * session is open are not shown; a notice says when that can have happened.
 */
export async function * liveEvents (client: CloudWatchLogsClient, query: LiveQuery, context: CallContext,
  control: Control): AsyncGenerator<TailEvent[]> {
  const input = await liveTailInput(client, query, context, control)
  if (input === undefined) return
  const samples = new SampleNotices(control.now)
  let failures = 0
  while (!control.stopped()) {
    const abort = new AbortController()
    const onStop = (): void => abort.abort()
    control.signal.addEventListener('abort', onStop, { once: true })
    let ended: string
    try {
      const session = await client.send(new StartLiveTailCommand(input), { abortSignal: abort.signal })
      for await (const item of session.responseStream ?? []) {
        if (item.sessionUpdate !== undefined) {
          failures = 0
          if (item.sessionUpdate.sessionMetadata?.sampled === true) {
            samples.sampled(item.sessionUpdate.sessionResults?.length ?? 0)
          }
          const notice = samples.due()
          if (notice !== undefined) control.notice(notice)
          yield (item.sessionUpdate.sessionResults ?? []).map(toEvent)
        } else if (item.SessionTimeoutException !== undefined) {
          throw item.SessionTimeoutException
        } else if (item.SessionStreamingException !== undefined) {
          throw item.SessionStreamingException
        }
        if (control.stopped()) return
      }
      ended = 'the session ended'
    } catch (err) {
      if (control.stopped()) return
      const { code, message } = describe(err)
      if (code === 'SessionTimeoutException') {
        // The service's three-hour limit on a session, not a failure: reconnect at once.
        control.notice('Live Tail session reached its 3-hour limit: starting a new one ' +
          '(events stored in between are not shown)')
        continue
      }
      if (code !== 'SessionStreamingException' && !isRetryable(err)) throw new TailError(explain(err, context))
      ended = `${code}: ${message}`
    } finally {
      control.signal.removeEventListener('abort', onStop)
    }
    const delay = backoffDelay(failures++, RETRY.baseMs, RETRY.capMs)
    control.notice(`Live Tail: ${ended}; starting a new session in ${(delay / 1000).toFixed(1)} s ` +
      '(events stored in between are not shown)')
    await pause(delay, control.signal)
  }
}

function toEvent (e: LiveTailSessionLogEvent): TailEvent {
  const event: TailEvent = {
    group: groupName(e.logGroupIdentifier ?? ''),
    stream: e.logStreamName ?? '',
    timestamp: e.timestamp ?? 0,
    message: e.message ?? ''
  }
  if (e.ingestionTime !== undefined) event.ingestionTime = e.ingestionTime
  return event
}

/** StartLiveTail takes log groups by ARN only: those given by name are looked up (logs:DescribeLogGroups). */
async function liveTailInput (client: CloudWatchLogsClient, query: LiveQuery, context: CallContext,
  control: Control): Promise<StartLiveTailCommandInput | undefined> {
  const arns: string[] = []
  for (const group of query.groups) {
    const arn = group.startsWith('arn:') ? group.replace(/:\*$/, '') : await lookUpArn(client, group, context, control)
    if (arn === undefined) return undefined
    arns.push(arn)
  }
  return {
    logGroupIdentifiers: arns,
    logStreamNames: query.streams,
    logStreamNamePrefixes: query.prefix === undefined ? undefined : [query.prefix],
    logEventFilterPattern: query.filter
  }
}

async function lookUpArn (client: CloudWatchLogsClient, group: string, context: CallContext, control: Control):
Promise<string | undefined> {
  const describeContext: CallContext = { ...context, operation: 'DescribeLogGroups', group }
  const state = { answered: false, follow: false }
  let nextToken: string | undefined
  do {
    const input = { logGroupNamePrefix: group, nextToken }
    const page = await callWithRetries(
      signal => client.send(new DescribeLogGroupsCommand(input), { abortSignal: signal }),
      describeContext, control, state)
    if (page === undefined) return undefined
    const found = page.logGroups?.find(g => g.logGroupName === group)
    if (found !== undefined) return found.logGroupArn ?? found.arn?.replace(/:\*$/, '')
    nextToken = page.nextToken
  } while (nextToken !== undefined)
  throw new TailError(`log group ${group} does not exist (${context.where})`)
}
