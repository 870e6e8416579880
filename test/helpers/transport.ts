import pino, { type Logger } from 'pino'
import { EVENTS } from '../../lib/events.js'
import type { ClientConfig } from '../../lib/cloudwatch/client-config.js'
import type { Options } from '../../lib/options.js'
import { clientConfig } from './aws.js'

export interface Running {
  logger: Logger
  transport: ReturnType<typeof pino.transport>
  /** Named events received from the worker, by name. */
  events: Record<string, Array<Record<string, unknown>>>
  flush: () => Promise<void>
  end: () => Promise<void>
}

// thread-stream terminates the worker of a garbage-collected stream (no close, no final upload, a pending
// flush never calls back): on Node 26 tests lost their transports that way. Each one is held here until
// its 'close', as logbeam's own transport() does for apps.
const open = new Set<Running['transport']>()

// clientConfig with every plain setting (proxy, assumeRole) the worker knows how to build from.
type StartOptions = Partial<Omit<Options, 'clientConfig'>> & { logGroupName: string, clientConfig?: ClientConfig }

const NAMES = Object.values(EVENTS)

/** A pino logger whose transport is logbeam in a real worker thread, pointed at `endpoint`. */
export function startTransport (endpoint: string, options: StartOptions): Running {
  const transport = pino.transport({
    target: 'logbeam',
    options: { stderr: false, maxPutsPerSecond: 0, bufferDuration: 20, retryBaseDelay: 10, retryMaxDelay: 200, clientConfig: clientConfig(endpoint), ...options }
  })
  open.add(transport)
  transport.once('close', () => open.delete(transport))
  const events: Running['events'] = {}
  for (const name of NAMES) {
    events[name] = []
    transport.on(name, (info: Record<string, unknown>) => events[name]!.push(info))
  }
  const logger = pino(transport)
  return {
    logger,
    transport,
    events,
    flush: () => new Promise<void>((resolve, reject) => logger.flush(err => (err ? reject(err) : resolve()))),
    end: () => new Promise<void>(resolve => {
      transport.once('close', () => resolve())
      transport.end()
    })
  }
}

export { until } from './until.js'
