export { startLocalEndpoint } from './server.js'
export type { CallRecord, LocalEndpoint, LocalEndpointOptions } from './server.js'
export { FAULT_KINDS, FaultPlan, faultAnswer, resolveFaultOptions, seededRandom } from './faults.js'
export type { CredentialsRejection, FaultKind, FaultOptions } from './faults.js'
export { LogStore } from './store.js'
export { EventLog } from './events.js'
export type { LogStoreOptions, StoredEvent } from './store.js'
export {
  LOG_GROUP_CLASSES, RETENTION_DAYS, ServiceError, batchBytes, checkChronologicalOrder, checkEventCount,
  checkEventFields, checkEventSizes, checkLimit, checkLogGroupName, checkLogStreamName, checkNewLogGroupName,
  checkRetentionInDays, checkSpan, classifyTimeWindow, matchesTerms, parseFilterPattern, validatePutLogEvents
} from './rules.js'
export type { AcceptedBatch, InputLogEvent, PutLogEventsRequest, PutLogEventsVerdict, RejectedLogEventsInfo } from './rules.js'
