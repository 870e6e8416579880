// logbeam/local: what the README documents, the endpoint and the types of its API. The rules, store and fault
// machinery behind it are internal (tests import them from their own modules).
export { startLocalEndpoint } from './server.js'
export type { CallRecord, LocalEndpoint, LocalEndpointOptions } from './server.js'
export type { CredentialsRejection, FaultKind, FaultOptions } from './faults.js'
export type { StoredEvent } from './store.js'
export type { MetricDatapoint, MetricQuery } from './metric-store.js'
export type { LiveTailOptions } from './live-tail.js'
