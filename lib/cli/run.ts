import { constants } from 'node:os'
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import { checkRegion, createClient } from '../cloudwatch/client.js'
import { createReporter, EVENTS, type Reporter } from '../diagnostics.js'
import type { ResolvedOptions } from '../options.js'
import { Pipeline, type CloseResult } from '../pipeline/pipeline.js'
import { Spool } from '../pipeline/spool.js'
import { Uploader } from '../cloudwatch/uploader.js'
import { parseCliArgs, resolveCliOptions, UsageError, type CliSettings } from './args.js'
import { helpText } from './help.js'
import { InputReader } from './reader.js'
import { packageVersion } from './version.js'

export interface RunIO {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean, destroy?: () => void }
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

/** pino-cloudwatch: stdin -> CloudWatch Logs. Resolves with the exit status; never calls process.exit itself (but on a second signal). */
export async function run (argv: string[], io: RunIO): Promise<number> {
  const say = (text: string): void => { io.stderr.write(`pino-cloudwatch: ${text}\n`) }

  let settings: CliSettings
  let opts: ResolvedOptions
  try {
    settings = parseCliArgs(argv, io.env)
    if (settings.action === 'help') {
      io.stdout.write(helpText())
      return EXIT.ok
    }
    if (settings.action === 'version') {
      io.stdout.write(`${packageVersion()}\n`)
      return EXIT.ok
    }
    opts = resolveCliOptions(settings, io.env)
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    say(`${err.message}\nRun 'pino-cloudwatch --help' to see every flag.`)
    return EXIT.usage
  }

  const client = io.client ?? createClient(opts.clientConfig)
  const ownClient = io.client === undefined
  let lastError: string | undefined
  const print = createReporter({ stderr: !settings.quiet, write: line => { io.stderr.write(line) } })
  const report: Reporter = (name, info) => {
    if (name === EVENTS.putError) lastError = info.message.replace(/^PutLogEvents failed, will retry: /, '')
    if (name === EVENTS.recovered) lastError = undefined
    // The final line of the CLI says it, naming the flags rather than the options.
    if (name === EVENTS.undelivered) return
    print(name, info)
  }

  try {
    if (ownClient) await checkRegion(client)
  } catch (err) {
    say((err as Error).message.replace(/^logbeam: /, ''))
    client.destroy()
    return EXIT.usage
  }
  let spool: Spool | undefined
  try {
    if (opts.spoolDir) spool = new Spool(opts.spoolDir, opts.maxSpoolSize, report)
  } catch (err) {
    say(`cannot use --spool-dir ${opts.spoolDir}: ${(err as Error).message}`)
    if (ownClient) client.destroy()
    return EXIT.usage
  }

  const pipeline = new Pipeline(opts, new Uploader(client, opts, report), report, spool)
  const reader = new InputReader(io.stdin, io.stdout, pipeline, {
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
    if (!settings.quiet) say(`${signal}: stopped reading; sending what was read (at most --close-timeout ${opts.closeTimeout} ms)`)
    reader.stop()
  }
  for (const signal of STOP_SIGNALS) signals.on(signal, onSignal)

  try {
    if (io.stdin.isTTY && !settings.quiet) {
      say('reading log lines from stdin: pipe a program into it (node app.js | pino-cloudwatch ...); Ctrl-D ends the input')
    }
    await reader.read()
    const result = await pipeline.close()
    return status(result, opts, stoppedBy, lastError, settings.quiet, say)
  } finally {
    if (ownClient) client.destroy()
    for (const signal of STOP_SIGNALS) signals.off(signal, onSignal)
  }
}

function status (result: CloseResult, opts: ResolvedOptions, signal: NodeJS.Signals | undefined,
  lastError: string | undefined, quiet: boolean, say: (text: string) => void): number {
  if (result.rejected > 0 && !quiet) {
    say(`${result.rejected} events were refused by CloudWatch for good (see above); this does not change the exit status`)
  }
  if (result.undelivered === 0 && result.dropped === 0) return EXIT.ok
  const code = signal ? 128 + (constants.signals[signal] ?? 15) : EXIT.undelivered
  const why: string[] = []
  if (result.undelivered > 0) {
    const kept = opts.spoolDir ? `; they stay in ${opts.spoolDir} and are sent by the next run` : ''
    const last = lastError ? ` (last error: ${lastError})` : ''
    why.push(`${result.undelivered} events not delivered: CloudWatch did not take them within --close-timeout ${opts.closeTimeout} ms${last}${kept}`)
  }
  if (result.dropped > 0) {
    why.push(`${result.dropped} events dropped: the buffer was full (--max-buffer-size ${opts.maxBufferSize}, --overflow ${opts.overflow})`)
  }
  say(`${why.join('; ')}; exit status ${code}`)
  return code
}
