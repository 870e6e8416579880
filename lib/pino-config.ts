// What pino tells its transport about itself. pino posts a PINO_CONFIG message (its levels, custom ones included,
// and its messageKey) to the worker once the logger exists. A worker's port delivers a message only to the
// listeners it has when the message is dispatched, and the first listener anywhere in the worker starts the port:
// beside other targets (`targets`), one that listens early would take the message before logbeam has loaded. So
// this module listens as it is loaded (the package's entry loads it before anything slow) and keeps what came.
import { isMainThread, parentPort, workerData } from 'node:worker_threads'

/** pino's configuration as its message carries it. */
export interface PinoConfig { levels?: unknown, messageKey?: string, errorKey?: string }

/** The options pino gave the worker: a target's own, or with `targets` those of pino's worker entry. */
function pinoWorkerData (): { pinoWillSendConfig?: unknown, levels?: unknown } | undefined {
  return (workerData as { workerData?: { pinoWillSendConfig?: unknown, levels?: unknown } } | null)?.workerData
}

const received: PinoConfig[] = []
const subscribers = new Set<(config: PinoConfig) => void>()

if (!isMainThread && parentPort !== null && pinoWorkerData()?.pinoWillSendConfig === true) {
  parentPort.on('message', (message: unknown) => {
    const m = message as { code?: unknown, config?: unknown } | null
    if (m?.code !== 'PINO_CONFIG' || m.config === null || typeof m.config !== 'object') return
    const config = m.config as PinoConfig
    received.push(config)
    for (const subscriber of subscribers) subscriber(config)
  })
}

/** True when pino will post its configuration to this worker (set by pino in the options it starts it with). */
export function pinoWillSendConfig (options: Record<string, unknown>): boolean {
  return options.pinoWillSendConfig === true || pinoWorkerData()?.pinoWillSendConfig === true
}

/**
 * The custom levels pino put in the options as it started the worker (`{ audit: 35 }`, merged with `levels`): in a
 * target's own options, or with `targets` in those of pino's worker entry. Undefined when the logger has none there
 * (no custom levels, or a transport made before the logger: then only the message says them).
 */
export function pinoLevelsOption (options: Record<string, unknown>): unknown {
  return options.levels ?? pinoWorkerData()?.levels
}

/**
 * Calls `onConfig` with each configuration pino posted (those that came before too; one per logger made on the
 * transport), and resolves once the first came, or after `waitMs` without one (an older pino).
 */
export function onPinoConfig (waitMs: number, onConfig: (config: PinoConfig) => void): Promise<void> {
  for (const config of received) onConfig(config)
  subscribers.add(onConfig)
  if (received.length > 0 || parentPort === null) return Promise.resolve()
  return new Promise(resolve => {
    const timer = setTimeout(done, waitMs)
    function done (): void {
      clearTimeout(timer)
      subscribers.delete(first)
      resolve()
    }
    const first = (): void => done()
    subscribers.add(first)
  })
}
