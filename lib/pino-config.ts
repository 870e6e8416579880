// What pino tells its transport about itself. pino posts a PINO_CONFIG message (its levels, custom ones included,
// and its messageKey) to the worker once the logger exists; `pinoWillSendConfig` in the worker's data says it will.
import { parentPort, workerData } from 'node:worker_threads'

/** pino's configuration as its message carries it. */
export interface PinoConfig { levels?: unknown, messageKey?: string, errorKey?: string }

/**
 * True when pino will post its configuration to this worker: set in a target's options by pino, or (with `targets`)
 * in the options of pino's own worker entry, which thread-stream passes on as `workerData.workerData`.
 */
export function pinoWillSendConfig (options: Record<string, unknown>): boolean {
  const data = workerData as { workerData?: { pinoWillSendConfig?: unknown } } | null
  return options.pinoWillSendConfig === true || data?.workerData?.pinoWillSendConfig === true
}

/**
 * Calls `onConfig` with each configuration pino posts (one per logger made on the transport), and resolves once the
 * first came, or after `waitMs` without one (an older pino, or a message another target's start already let go
 * by). Listening starts the port: messages pino posted before are delivered now, in order.
 */
export function onPinoConfig (waitMs: number, onConfig: (config: PinoConfig) => void): Promise<void> {
  const port = parentPort
  if (port === null) return Promise.resolve()
  return new Promise(resolve => {
    const timer = setTimeout(resolve, waitMs)
    port.on('message', (message: unknown) => {
      const m = message as { code?: unknown, config?: unknown } | null
      if (m?.code !== 'PINO_CONFIG' || m.config === null || typeof m.config !== 'object') return
      onConfig(m.config as PinoConfig)
      clearTimeout(timer)
      resolve()
    })
  })
}
