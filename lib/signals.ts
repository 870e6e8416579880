import { constants } from 'node:os'

export interface FlushOnSignalsOptions {
  /** @default ['SIGTERM', 'SIGINT'] */
  signals?: NodeJS.Signals[]
}

/**
 * Makes SIGTERM and SIGINT end the process through `process.exit()`, so pino's exit hook runs and
 * logbeam's final upload happens (Node's default for these signals kills the process without an
 * exit event, and whatever the transport still holds is lost). The exit code is the one the
 * signal would have given (143 for SIGTERM, 130 for SIGINT). A second signal exits at once.
 * Call it once, in the main thread, where you create the logger. Returns a function that removes
 * the handlers.
 */
export function flushOnSignals (opts: FlushOnSignalsOptions = {}): () => void {
  const signals = opts.signals ?? ['SIGTERM', 'SIGINT']
  let received = false
  const handler = (signal: NodeJS.Signals): void => {
    const code = 128 + (constants.signals[signal] ?? 15)
    if (received) {
      // Asked twice: the default behaviour, at once.
      remove()
      process.kill(process.pid, signal)
      return
    }
    received = true
    process.exitCode = code
    process.exit(code)
  }
  const remove = (): void => {
    for (const signal of signals) process.off(signal, handler)
  }
  for (const signal of signals) process.on(signal, handler)
  return remove
}
