import { once } from 'node:events'
import { constants } from 'node:os'
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import { UsageError } from '../args.js'
import type { RunIO } from '../run.js'
import { parseTailArgs, type TailSettings } from './args.js'
import { TailError, type CallContext } from './errors.js'
import type { TailEvent } from './event.js'
import { tailHelpText } from './help.js'
import { PartJoiner } from './joiner.js'
import { printerFor, type Printer } from './printers.js'
import type { Control } from './retry.js'

/** Exit statuses; after a signal, 128 + its number. */
export const TAIL_EXIT = { ok: 0, failed: 1, usage: 2 } as const

/** While following, the parts of a split line wait this long for the rest, then print as they are. */
const PART_WAIT_MS = 5000

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const

/** `pino-cloudwatch tail ...` (argv after `tail`): resolves with the exit status. */
export async function runTail (argv: string[], io: RunIO): Promise<number> {
  // Nothing is read from stdin: let go of it (and of the thread main.ts started to read it).
  io.stdin.destroy?.()
  const out = writer(io.stdout)
  const say = (text: string): void => { out.stderr(io.stderr, `pino-cloudwatch tail: ${text}\n`) }
  let settings: TailSettings
  try {
    settings = parseTailArgs(argv, io.env, Date.now())
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    say(`${err.message}\nRun 'pino-cloudwatch tail --help' to see every flag.`)
    return TAIL_EXIT.usage
  }
  if (settings.action === 'help') {
    await out.write(tailHelpText())
    return TAIL_EXIT.ok
  }
  const tty = (io.stdout as { isTTY?: boolean }).isTTY === true
  const output = settings.output ?? (tty ? 'pretty' : 'raw')
  const printer = await printerFor(output, settings.pretty, tty && io.env.NO_COLOR === undefined)
  const started = await openClient(settings, io)
  if (typeof started === 'string') {
    say(started)
    return TAIL_EXIT.usage
  }
  const { client, own, where } = started

  const stop = new AbortController()
  let stoppedBy: NodeJS.Signals | undefined
  const signals = io.signals ?? process
  const exit = io.exit ?? ((code: number) => process.exit(code))
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stoppedBy !== undefined) return exit(128 + (constants.signals[signal] ?? 15))
    stoppedBy = signal
    stop.abort()
  }
  for (const signal of STOP_SIGNALS) signals.on(signal, onSignal)
  const control: Control = {
    stopped: () => stop.signal.aborted || out.broken(),
    signal: stop.signal,
    notice: text => { if (!settings.quiet) say(text) },
    now: Date.now
  }
  const context: CallContext = {
    operation: settings.live ? 'StartLiveTail' : 'FilterLogEvents',
    group: settings.groups.join(', '),
    where,
    ...(settings.filter !== undefined && { filter: settings.filter })
  }
  try {
    await print(await source(client, settings, context, control), settings, printer, out, control)
    return stoppedBy === undefined ? TAIL_EXIT.ok : 128 + (constants.signals[stoppedBy] ?? 15)
  } catch (err) {
    if (!(err instanceof TailError)) throw err
    say(err.message)
    return TAIL_EXIT.failed
  } finally {
    for (const signal of STOP_SIGNALS) signals.off(signal, onSignal)
    if (own) client.destroy()
  }
}

/** The pages to print: Live Tail's updates, or FilterLogEvents' history and polls. */
async function source (client: CloudWatchLogsClient, s: TailSettings, context: CallContext, control: Control):
Promise<AsyncIterable<TailEvent[]>> {
  if (s.live) {
    const { liveEvents } = await import('./live-reader.js')
    return liveEvents(client, { groups: s.groups, streams: s.streams, prefix: s.prefix, filter: s.filter },
      context, control)
  }
  const { filterEvents } = await import('./filter-reader.js')
  const query = { group: s.groups[0]!, streams: s.streams, prefix: s.prefix, filter: s.filter }
  const poll = {
    since: s.since,
    until: s.until,
    follow: s.follow,
    pollInterval: s.pollInterval,
    followLookback: s.followLookback
  }
  return filterEvents(client, query, poll, context, control)
}

/** Prints page after page, waiting for stdout to take each one: a slow reader slows the reading, nothing piles up. */
async function print (pages: AsyncIterable<TailEvent[]>, s: TailSettings, printer: Printer, out: Writer,
  control: Control): Promise<void> {
  const joiner = s.joinParts ? new PartJoiner() : undefined
  const emit = async (events: readonly TailEvent[]): Promise<void> => {
    let text = ''
    for (const event of events) text += printer(event) ?? ''
    await out.write(text)
  }
  for await (const page of pages) {
    const now = control.now()
    if (joiner === undefined) {
      await emit(page)
    } else {
      const ready: TailEvent[] = []
      for (const event of page) ready.push(...joiner.push(event, now))
      // While following (and under Live Tail), a split line whose rest has not come within PART_WAIT_MS prints as is.
      if (s.follow || s.live) ready.push(...joiner.flush(now - PART_WAIT_MS))
      await emit(ready)
    }
    if (control.stopped()) break
  }
  if (joiner !== undefined) await emit(joiner.flush())
}

/** Builds the client from the flags, or says why it cannot; `own` when it is ours to destroy. */
async function openClient (s: TailSettings, io: RunIO):
Promise<{ client: CloudWatchLogsClient, own: boolean, where: string } | string> {
  const { createClient, hasRegion } = await import('../../cloudwatch/client.js')
  let client = io.client
  if (client === undefined) {
    try {
      client = createClient(s.client)
    } catch (err) {
      return (err as Error).message.replace(/^logbeam: /, '')
    }
    if (!await hasRegion(client)) {
      client.destroy()
      return 'no AWS region: set --region (or LOGBEAM_REGION) or the AWS_REGION environment variable'
    }
  }
  const endpoint = s.client.endpoint ?? io.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS ?? io.env.AWS_ENDPOINT_URL
  // StartLiveTail's host prefix (`stream-` before the service's host name) cannot be put before an endpoint given
  // by URL: `stream-127.0.0.1` does not resolve. Such an endpoint (logbeam-local, a VPC endpoint) takes it as is.
  if (endpoint !== undefined) client.config.disableHostPrefix = true
  const region = await client.config.region().catch(() => undefined)
  return { client, own: io.client === undefined, where: endpoint ?? `region ${region ?? 'unknown'}` }
}

interface Writer {
  /** Resolves once the stream has taken the text (at once after the reader went away). */
  write: (text: string) => Promise<void>
  stderr: (stream: NodeJS.WritableStream, text: string) => void
  /** stdout's reader went away (`tail ... | head`): reading stops, and that is no failure. */
  broken: () => boolean
}

function writer (stdout: NodeJS.WritableStream): Writer {
  let broken = false
  stdout.on('error', () => { broken = true })
  return {
    write: async text => {
      if (broken || text === '') return
      try {
        if (stdout.write(text)) return
      } catch {
        broken = true
        return
      }
      await Promise.race([once(stdout, 'drain'), once(stdout, 'close')]).catch(() => {})
    },
    stderr: (stream, text) => { try { stream.write(text) } catch { /* nowhere left to say it */ } },
    broken: () => broken
  }
}
