export { default, default as logbeam } from './transport.js'
export type { Dependencies, LogbeamStream } from './transport.js'
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
