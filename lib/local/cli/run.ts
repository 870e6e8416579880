import { once } from 'node:events'
import { packageVersion } from '../../cli/version.js'
import { startLocalEndpoint } from '../server.js'
import { parseLocalArgs, UsageError, type Settings } from './args.js'
import { helpText } from './help.js'

export interface LocalIO {
  stdout: NodeJS.WritableStream
  stderr: NodeJS.WritableStream
  /** Where SIGINT and SIGTERM arrive. @default process */
  signals?: Pick<NodeJS.EventEmitter, 'once' | 'off'>
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const

/** logbeam-local: resolves with the exit status (the endpoint: once a signal has stopped it). */
export async function run (argv: string[], io: LocalIO): Promise<number> {
  const say = (text: string): void => { io.stderr.write(`logbeam-local: ${text}\n`) }
  let settings: Settings
  try {
    settings = parseLocalArgs(argv)
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    say(`${err.message}\nTry 'logbeam-local --help'.`)
    return EXIT.usage
  }
  switch (settings.action) {
    case 'help':
      io.stdout.write(helpText())
      return EXIT.ok
    case 'version':
      io.stdout.write(`${packageVersion()}\n`)
      return EXIT.ok
    case 'serve':
      return await serve(settings.options, io, say)
    case 'dump':
    case 'list':
      return await read(settings, io, say)
  }
}

type Say = (text: string) => void

async function serve (options: Extract<Settings, { action: 'serve' }>['options'], io: LocalIO,
  say: Say): Promise<number> {
  let endpoint
  try {
    endpoint = await startLocalEndpoint(options)
  } catch (err) {
    say(`cannot listen: ${(err as Error).message}`)
    return EXIT.failed
  }
  io.stdout.write(`logbeam-local listening on ${endpoint.url}\n`)
  const signals = io.signals ?? process
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      signals.off('SIGINT', stop)
      signals.off('SIGTERM', stop)
      resolve()
    }
    signals.once('SIGINT', stop)
    signals.once('SIGTERM', stop)
  })
  // Closing cuts every connection, hanging and stalled ones included, so nothing holds the exit.
  await endpoint.close()
  return EXIT.ok
}

async function read (settings: Extract<Settings, { action: 'dump' | 'list' }>, io: LocalIO, say: Say): Promise<number> {
  // Loaded here: the SDK takes longer to load than the endpoint to start, and only the readers need it.
  const { dumpEvents, eventLine, groupLines, listGroups, localClient } = await import('./inspect.js')
  const client = localClient(settings.endpoint)
  // `logbeam-local dump ... | head` closes the pipe early: stop reading, that is no failure.
  let closed = false
  const onError = (): void => { closed = true }
  io.stdout.on('error', onError)
  const write = async (lines: string[]): Promise<void> => {
    if (closed || lines.length === 0) return
    if (io.stdout.write(lines.join('\n') + '\n')) return
    // once() rejects on 'error': the pipe closed, which onError has noted.
    await Promise.race([once(io.stdout, 'drain'), once(io.stdout, 'close')]).catch(() => {})
  }
  try {
    if (settings.action === 'dump') {
      for await (const events of dumpEvents(client, settings.group, settings.stream)) {
        await write(events.map((e) => eventLine(e, settings.json)))
        if (closed) break
      }
    } else {
      let groups = 0
      for await (const group of listGroups(client)) {
        groups++
        await write(groupLines(group, settings.json))
        if (closed) break
      }
      if (groups === 0 && !settings.json) say('no log groups')
    }
    return EXIT.ok
  } catch (err) {
    say(describeReadError(err as Error & { code?: string }, settings.endpoint))
    return EXIT.failed
  } finally {
    client.destroy()
    io.stdout.off('error', onError)
  }
}

function describeReadError (err: Error & { code?: string }, endpoint: string): string {
  if (err.code === 'ECONNREFUSED' || err.code === 'ENOTFOUND' || err.code === 'ECONNRESET') {
    return `cannot reach ${endpoint} (${err.code}): is logbeam-local running there?`
  }
  return `${err.name}: ${err.message}`
}
