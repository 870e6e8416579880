import { constants } from 'node:os'
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import { createReporter, EVENTS, plural, type EventPayloads, type Reporter } from '../diagnostics.js'
import type { ResolvedOptions } from '../options.js'
import type { CloseResult, Pipeline } from '../pipeline/pipeline.js'
import { parseCliArgs, resolveCliOptions, UsageError, type CliSettings } from './args.js'
import { helpText } from './help.js'
import { InputReader, type Input } from './reader.js'
import { MAX_READ_AHEAD } from './stdin-thread.js'
import { packageVersion } from './version.js'

export interface RunIO {
  /** The input; one with a `readAhead` method is told how many bytes it may read ahead of the pipeline. */
  stdin: Input
  stdout: NodeJS.WritableStream
  stderr: NodeJS.WritableStream
  /** LOGBEAM_* settings and stream-name templates. (The AWS SDK reads AWS_* from process.env itself.) */
  env: NodeJS.ProcessEnv
  /** A ready client, used as is and not destroyed (tests). */
  client?: CloudWatchLogsClient
  /** Where SIGINT and SIGTERM arrive. @default process */
  signals?: Pick<NodeJS.EventEmitter, 'on' | 'off'>
  /** Ends the process at once, on a second signal. @default process.exit */
  exit?: (code: number) => void
}

/** Exit statuses; after a signal, 128 + its number replaces `undelivered`. */
export const EXIT = { ok: 0, undelivered: 1, usage: 2 } as const

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const

/**
 * pino-cloudwatch: stdin -> CloudWatch Logs. Resolves with the exit status; never calls process.exit itself
 * (but on a second signal).
 */
export async function run (argv: string[], io: RunIO): Promise<number> {
  // `pino-cloudwatch tail ...` reads CloudWatch instead of shipping stdin (lib/cli/tail/).
  if (argv[0] === 'tail') return await (await import('./tail/run.js')).runTail(argv.slice(1), io)
  const stderr = safeWriter(io.stderr)
  const say = (text: string): void => { stderr(`pino-cloudwatch: ${text}\n`) }
  const stdin = io.stdin
  const parsed = parse(argv, io, say)
  if (typeof parsed === 'number') {
    stdin.destroy?.()
    return parsed
  }
  const { settings, opts } = parsed
  // What is read ahead while the SDK loads (stdin-thread.ts) counts against the memory the flags allow.
  stdin.readAhead?.(Math.min(opts.maxBufferSize, MAX_READ_AHEAD))

  let lastError: string | undefined
  const print = createReporter({ stderr: !settings.quiet, write: stderr })
  const report: Reporter = (name, info) => {
    if (name === EVENTS.putError) lastError = describeFailure(info as EventPayloads['putError'])
    if (name === EVENTS.recovered) lastError = undefined
    // The final line of the CLI says it, naming the flags rather than the options.
    if (name === EVENTS.undelivered) return
    print(name, info)
  }
  const started = await start(opts, io.client, report)
  if (typeof started === 'string') {
    say(started)
    stdin.destroy?.()
    return EXIT.usage
  }
  const { pipeline, client } = started
  const reader = new InputReader(stdin, io.stdout, pipeline, {
    tee: settings.tee,
    block: opts.overflow === 'block',
    warn: text => { if (!settings.quiet) say(text) }
  })

  const signals = io.signals ?? process
  const exit = io.exit ?? ((code: number) => process.exit(code))
  let stoppedBy: NodeJS.Signals | undefined
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stoppedBy !== undefined) {
      const kept = opts.spoolDir ? ` (what is in ${opts.spoolDir} is sent by the next run)` : ''
      say(`second ${signal}: exiting without waiting; lines not yet delivered are lost${kept}`)
      exit(128 + (constants.signals[signal] ?? 15))
      return
    }
    stoppedBy = signal
    if (!settings.quiet) {
      say(`${signal}: stopped reading; sending what was read (at most --close-timeout ${opts.closeTimeout} ms)`)
    }
    reader.stop()
  }
  for (const signal of STOP_SIGNALS) signals.on(signal, onSignal)

  try {
    if (stdin.isTTY && !settings.quiet) {
      say('reading log lines from stdin: pipe a program into it (node app.js | pino-cloudwatch ...); ' +
        'Ctrl-D ends the input')
    }
    await reader.read()
    const result = await pipeline.close()
    // Lines the rate limit held back are counted now: what stderr says adds up to what happened.
    print.flush()
    return status(result, opts, stoppedBy, lastError, settings.quiet, say)
  } finally {
    if (client) client.destroy()
    for (const signal of STOP_SIGNALS) signals.off(signal, onSignal)
  }
}

/** The flags, or the exit status when there is nothing to run (help, version, a usage error). */
function parse (argv: string[], io: RunIO,
  say: (text: string) => void): { settings: CliSettings, opts: ResolvedOptions } | number {
  try {
    const settings = parseCliArgs(argv, io.env)
    if (settings.action !== 'run') {
      safeWriter(io.stdout)(settings.action === 'help' ? helpText() : `${packageVersion()}\n`)
      return EXIT.ok
    }
    return { settings, opts: resolveCliOptions(settings, io.env) }
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    say(`${err.message}\nRun 'pino-cloudwatch --help' to see every flag.`)
    return EXIT.usage
  }
}

/**
 * Loads the SDK and builds the pipeline, or says why it cannot start. The SDK is imported here rather than at the
 * top, so that the input is already being read while it loads. `client` is set when it is ours to destroy.
 */
async function start (opts: ResolvedOptions, given: CloudWatchLogsClient | undefined, report: Reporter):
Promise<{ pipeline: Pipeline, client: CloudWatchLogsClient | undefined } | string> {
  const [{ createClient, hasRegion }, { Pipeline }, { Uploader }, { Spool }] = await Promise.all([
    import('../cloudwatch/client.js'), import('../pipeline/pipeline.js'), import('../cloudwatch/uploader.js'),
    import('../pipeline/spool.js')
  ])
  let client: CloudWatchLogsClient
  try {
    client = given ?? createClient(opts.clientConfig)
  } catch (err) {
    return (err as Error).message.replace(/^logbeam: /, '')
  }
  const own = given === undefined ? client : undefined
  if (own && !await hasRegion(own)) {
    own.destroy()
    return 'no AWS region: set --region (or LOGBEAM_REGION) or the AWS_REGION environment variable'
  }
  let spool
  try {
    if (opts.spoolDir) spool = new Spool(opts.spoolDir, opts.maxSpoolSize, report)
  } catch (err) {
    own?.destroy()
    return `cannot use --spool-dir ${opts.spoolDir}: ${(err as Error).message}`
  }
  return { pipeline: new Pipeline(opts, new Uploader(client, opts, report), report, spool), client: own }
}

/**
 * Writes that cannot crash the CLI: when the reader of the stream is gone (EPIPE: `2>&1 | head`, a dead log
 * collector), Node reports it as an 'error' event, fatal with no listener. The text is dropped; lines still ship.
 */
function safeWriter (stream: NodeJS.WritableStream): (text: string) => void {
  let broken = false
  stream.on('error', () => { broken = true })
  return text => {
    if (broken) return
    try { stream.write(text) } catch { broken = true }
  }
}

/** The last failure for the final line, from the event's fields (its message also says what logbeam will do). */
function describeFailure (info: EventPayloads['putError']): string {
  return `${info.code}${info.status === undefined ? '' : ` (HTTP ${info.status})`}: ${info.detail}`
}

function status (result: CloseResult, opts: ResolvedOptions, signal: NodeJS.Signals | undefined,
  lastError: string | undefined, quiet: boolean, say: (text: string) => void): number {
  if (result.rejected > 0 && !quiet) {
    const were = result.rejected === 1 ? 'was' : 'were'
    say(`${plural(result.rejected, 'event')} ${were} refused by CloudWatch for good (see above); ` +
      'this does not change the exit status')
  }
  if (result.undelivered === 0 && result.dropped === 0) return EXIT.ok
  const code = signal ? 128 + (constants.signals[signal] ?? 15) : EXIT.undelivered
  const why: string[] = []
  if (result.undelivered > 0) {
    const kept = opts.spoolDir ? `; they stay in ${opts.spoolDir} and are sent by the next run` : ''
    const last = lastError ? ` (last error: ${lastError})` : ''
    why.push(`${plural(result.undelivered, 'event')} not delivered: CloudWatch did not take them ` +
      `within --close-timeout ${opts.closeTimeout} ms${last}${kept}`)
  }
  if (result.dropped > 0) {
    why.push(`${plural(result.dropped, 'event')} dropped: the buffer was full ` +
      `(--max-buffer-size ${opts.maxBufferSize}, --overflow ${opts.overflow})`)
  }
  say(`${why.join('; ')}; exit status ${code}`)
  return code
}
