// First: in pino's worker, listen for pino's configuration before anything slow loads (see pino-config.ts).
import './pino-config.js'
import type { TransportOptions } from './app-transport.js'
import type { Dependencies, LogbeamStream } from './transport.js'

export type { Dependencies, LogbeamStream } from './transport.js'

/**
 * The transport pino loads in its worker thread: `pino({ transport: { target: 'logbeam', options } })`. Also usable
 * in-process, with a client of your own as the second argument. The pipeline and the AWS SDK load on the first
 * call, so that the entry itself loads at once.
 */
export default async function logbeam (options: TransportOptions, deps?: Dependencies): Promise<LogbeamStream> {
  const { default: start } = await import('./transport.js')
  return start(options, deps)
}
export { logbeam }
export type { Options, ClientConfig } from './options.js'
export type { MetricsOptions } from './metrics/metrics-options.js'
export { EMF_UNITS, type EmfUnit } from './metrics/emf-spec.js'
export { RETENTION_DAYS } from './options.js'
export { LogbeamOptionError } from './option-error.js'
export { EVENTS, type EventName, type EventInfo, type EventPayloads, type PutErrorKind } from './events.js'
export type { CloseResult } from './pipeline/pipeline.js'
export { flushOnSignals, type FlushOnSignalsOptions } from './signals.js'
export {
  transport, type TransportOptions, type TransportEvents, type LogbeamTransport, type PinoLike
} from './app-transport.js'
export { checkClientConfig, type AssumeRole, type StaticCredentials } from './cloudwatch/client-config.js'
