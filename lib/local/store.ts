import { checkEntity, type EntityRejection, type StoredEntity } from './entity-rules.js'
import { EventLog, type StoredEvent } from './events.js'
import { checkKmsKeyId, deletionProtected } from './group-settings.js'
import { MetricStore, type MetricDatapoint, type MetricQuery } from './metric-store.js'
import { filterLogEvents, readLogEvents } from './read.js'
import {
  type AcceptedBatch, type Request, type Response, ServiceError, LOG_GROUP_CLASSES, checkLimit, checkLogGroupName,
  checkLogStreamName, checkNewLogGroupName, checkRetentionInDays, compare, constraintMessage, fail, invalidParameter,
  optional, validatePutLogEvents
} from './rules.js'

/** Groups, streams and events, and the operations on them. No I/O: the caller passes the clock. */

export type { StoredEvent }

interface Stream {
  name: string
  creationTime: number
  events: EventLog
  storedBytes: number
  lastIngestionTime?: number
  puts: number
}

interface Group {
  name: string
  creationTime: number
  logGroupClass: string
  kmsKeyId?: string
  deletionProtectionEnabled: boolean
  tags: Record<string, string>
  retentionInDays?: number
  streams: Map<string, Stream>
}

/** What CreateLogGroup can set; the rest of a group is the endpoint's. */
type GroupSettings = {
  [K in 'logGroupClass' | 'kmsKeyId' | 'tags' | 'deletionProtectionEnabled']?: Group[K] | undefined
}

const ARN_PREFIX = 'arn:aws:logs:us-east-1:123456789012:log-group:'
const DESCRIBE_MAX = 50

export const groupNotFound = (): ServiceError =>
  new ServiceError('ResourceNotFoundException', 'The specified log group does not exist.')
export const streamNotFound = (): ServiceError =>
  new ServiceError('ResourceNotFoundException', 'The specified log stream does not exist.')

export interface LogStoreOptions {
  /**
   * Create a missing group or stream on PutLogEvents instead of answering ResourceNotFoundException.
   * @default false
   */
  autoCreate?: boolean
}

export class LogStore {
  readonly #groups = new Map<string, Group>()
  readonly #autoCreate: boolean
  /** Metrics extracted from stored EMF events; like CloudWatch's, they outlive the group. */
  readonly #metrics = new MetricStore()

  constructor (options: LogStoreOptions = {}) {
    this.#autoCreate = options.autoCreate ?? false
  }

  createLogGroup (request: Request, now: number): Response {
    const name = request.logGroupName
    fail(checkNewLogGroupName(name))
    const logGroupClass = optional(request, 'logGroupClass', 'string') ?? 'STANDARD'
    if (!(LOG_GROUP_CLASSES as readonly string[]).includes(logGroupClass)) {
      throw invalidParameter(`1 validation error detected: Value '${logGroupClass}' at 'logGroupClass' ` +
        `failed to satisfy constraint: Member must satisfy enum value set: [${LOG_GROUP_CLASSES.join(', ')}]`)
    }
    const tags = optional(request, 'tags', 'object') as Record<string, string> | undefined
    const kmsKeyId = optional(request, 'kmsKeyId', 'string')
    const deletionProtectionEnabled = optional(request, 'deletionProtectionEnabled', 'boolean') ?? false
    fail(checkKmsKeyId(kmsKeyId))
    if (this.#groups.has(name as string)) {
      throw new ServiceError('ResourceAlreadyExistsException', 'The specified log group already exists')
    }
    this.#addGroup(name as string, now, { logGroupClass, kmsKeyId, tags, deletionProtectionEnabled })
    return {}
  }

  createLogStream (request: Request, now: number): Response {
    fail(checkLogGroupName(request.logGroupName) ?? checkLogStreamName(request.logStreamName))
    const group = this.#group(request.logGroupName as string)
    if (group.streams.has(request.logStreamName as string)) {
      throw new ServiceError('ResourceAlreadyExistsException', 'The specified log stream already exists')
    }
    addStream(group, request.logStreamName as string, now)
    return {}
  }

  deleteLogGroup (request: Request): Response {
    fail(checkLogGroupName(request.logGroupName))
    if (this.#group(request.logGroupName as string).deletionProtectionEnabled) throw deletionProtected()
    this.#groups.delete(request.logGroupName as string)
    return {}
  }

  /** Both members are required; the group is named by name or ARN, like the read operations name it. */
  putLogGroupDeletionProtection (request: Request): Response {
    const enabled = optional(request, 'deletionProtectionEnabled', 'boolean')
    const { logGroupIdentifier } = request
    if (logGroupIdentifier === undefined || logGroupIdentifier === null) {
      throw invalidParameter(constraintMessage(null, 'logGroupIdentifier', 'not be null'))
    }
    if (enabled === undefined) {
      throw invalidParameter(constraintMessage(null, 'deletionProtectionEnabled', 'not be null'))
    }
    this.#groupFrom({ logGroupIdentifier }).deletionProtectionEnabled = enabled
    return {}
  }

  /** The tags of a log group, named by its ARN (without the `:*` that DescribeLogGroups' `arn` ends with). */
  listTagsForResource (request: Request): Response {
    const { resourceArn } = request
    if (typeof resourceArn !== 'string') throw invalidParameter(constraintMessage(null, 'resourceArn', 'not be null'))
    const arn = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:*]+)$/.exec(resourceArn)
    if (arn === null) throw invalidParameter(`Invalid resource ARN: ${resourceArn}`)
    return { tags: { ...this.#group(arn[1]!).tags } }
  }

  deleteLogStream (request: Request): Response {
    fail(checkLogGroupName(request.logGroupName) ?? checkLogStreamName(request.logStreamName))
    const group = this.#group(request.logGroupName as string)
    streamOf(group, request.logStreamName as string)
    group.streams.delete(request.logStreamName as string)
    return {}
  }

  putRetentionPolicy (request: Request): Response {
    fail(checkLogGroupName(request.logGroupName) ?? checkRetentionInDays(request.retentionInDays))
    this.#group(request.logGroupName as string).retentionInDays = request.retentionInDays as number
    return {}
  }

  deleteRetentionPolicy (request: Request): Response {
    fail(checkLogGroupName(request.logGroupName))
    delete this.#group(request.logGroupName as string).retentionInDays
    return {}
  }

  describeLogGroups (request: Request): Response {
    const prefix = optional(request, 'logGroupNamePrefix', 'string')
    const pattern = optional(request, 'logGroupNamePattern', 'string')
    const logGroupClass = optional(request, 'logGroupClass', 'string')
    if (prefix !== undefined && pattern !== undefined) {
      throw invalidParameter('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.')
    }
    fail(checkLimit(request.limit, DESCRIBE_MAX))
    const needle = pattern?.toLowerCase()
    const groups = [...this.#groups.values()]
      .filter((g) => (prefix === undefined || g.name.startsWith(prefix)) &&
        (needle === undefined || g.name.toLowerCase().includes(needle)) &&
        (logGroupClass === undefined || g.logGroupClass === logGroupClass))
      .sort((a, b) => compare(a.name, b.name))
    const { items, nextToken } = page(groups, request.nextToken, (request.limit as number | undefined) ?? DESCRIBE_MAX)
    return {
      logGroups: items.map((g) => ({
        logGroupName: g.name,
        creationTime: g.creationTime,
        retentionInDays: g.retentionInDays,
        metricFilterCount: 0,
        arn: `${ARN_PREFIX}${g.name}:*`,
        storedBytes: [...g.streams.values()].reduce((sum, s) => sum + s.storedBytes, 0),
        kmsKeyId: g.kmsKeyId,
        logGroupClass: g.logGroupClass,
        logGroupArn: `${ARN_PREFIX}${g.name}`,
        deletionProtectionEnabled: g.deletionProtectionEnabled
      })),
      nextToken
    }
  }

  describeLogStreams (request: Request): Response {
    const group = this.#groupFrom(request)
    const prefix = optional(request, 'logStreamNamePrefix', 'string')
    const orderBy = optional(request, 'orderBy', 'string') ?? 'LogStreamName'
    if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime') {
      throw invalidParameter(`1 validation error detected: Value '${orderBy}' at 'orderBy' failed to satisfy ` +
        'constraint: Member must satisfy enum value set: [LogStreamName, LastEventTime]')
    }
    if (orderBy === 'LastEventTime' && prefix !== undefined) {
      throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.')
    }
    fail(checkLimit(request.limit, DESCRIBE_MAX))
    const lastEvent = (s: Stream): number => s.events.length > 0 ? s.events.timestamp(s.events.length - 1) : 0
    const streams = [...group.streams.values()]
      .filter((s) => prefix === undefined || s.name.startsWith(prefix))
      .sort((a, b) => orderBy === 'LastEventTime'
        ? lastEvent(a) - lastEvent(b) || compare(a.name, b.name)
        : compare(a.name, b.name))
    if (optional(request, 'descending', 'boolean') === true) streams.reverse()
    const { items, nextToken } = page(streams, request.nextToken, (request.limit as number | undefined) ?? DESCRIBE_MAX)
    return {
      logStreams: items.map((s) => ({
        logStreamName: s.name,
        creationTime: s.creationTime,
        firstEventTimestamp: s.events.length > 0 ? s.events.timestamp(0) : undefined,
        lastEventTimestamp: s.events.length > 0 ? s.events.timestamp(s.events.length - 1) : undefined,
        lastIngestionTime: s.lastIngestionTime,
        uploadSequenceToken: sequenceToken(s),
        arn: `${ARN_PREFIX}${group.name}:log-stream:${s.name}`,
        storedBytes: s.storedBytes
      })),
      nextToken
    }
  }

  /**
   * Existence is checked before the events, so a missing stream wins over a bad batch. A bad entity fails nothing:
   * the events are stored without it. `rejectEntity` (a fault) refuses any entity sent, with that error type.
   */
  putLogEvents (request: Request, now: number, rejectEntity: EntityRejection | null = null): Response {
    const entity = checkEntity(request.entity, rejectEntity)
    fail(checkLogGroupName(request.logGroupName) ?? checkLogStreamName(request.logStreamName))
    const groupName = request.logGroupName as string
    const streamName = request.logStreamName as string
    let group = this.#groups.get(groupName)
    let stream = group?.streams.get(streamName)
    if (!this.#autoCreate && group === undefined) throw groupNotFound()
    if (!this.#autoCreate && stream === undefined) throw streamNotFound()
    const verdict = validatePutLogEvents(request, now, group?.retentionInDays)
    if (!verdict.ok) throw invalidParameter(verdict.message)
    group ??= this.#addGroup(groupName, now)
    stream ??= addStream(group, streamName, now)
    append(stream, verdict.batch, now, 'entity' in entity ? entity.entity : undefined)
    const { events, start, end } = verdict.batch
    this.#metrics.record(groupName, group.logGroupClass, streamName, events.slice(start, end), now)
    const response: Response = { nextSequenceToken: sequenceToken(stream) }
    if (verdict.batch.rejected !== undefined) response.rejectedLogEventsInfo = verdict.batch.rejected
    if ('rejected' in entity) response.rejectedEntityInfo = { errorType: entity.rejected }
    return response
  }

  getLogEvents (request: Request): Response {
    const group = this.#groupFrom(request)
    fail(checkLogStreamName(request.logStreamName))
    return readLogEvents(streamOf(group, request.logStreamName as string).events, request)
  }

  filterLogEvents (request: Request): Response {
    return filterLogEvents([...this.#groupFrom(request).streams.values()], request)
  }

  /** Names in the order DescribeLogGroups lists them. */
  groupNames (): string[] {
    return [...this.#groups.keys()].sort(compare)
  }

  streamNames (group: string): string[] {
    return [...(this.#groups.get(group)?.streams.keys() ?? [])].sort(compare)
  }

  /** Copies, so a test cannot change what is stored; each event with the entity it was sent with, if kept. */
  events (group: string, stream: string): StoredEvent[] {
    return this.#groups.get(group)?.streams.get(stream)?.events.all() ?? []
  }

  /** Datapoints extracted from stored EMF events. */
  metrics (query?: MetricQuery): MetricDatapoint[] {
    return this.#metrics.query(query)
  }

  /** Removes a group as someone else would; a missing one is no error, and deletion protection does not stop it. */
  removeGroup (name: string): void {
    this.#groups.delete(name)
  }

  /** A group as PutLogEvents auto-creates it unless `settings` (CreateLogGroup's) say otherwise. */
  #addGroup (name: string, now: number, settings: GroupSettings = {}): Group {
    const { logGroupClass = 'STANDARD', kmsKeyId, tags = {}, deletionProtectionEnabled = false } = settings
    const group: Group = {
      name, creationTime: now, logGroupClass, deletionProtectionEnabled, tags: { ...tags }, streams: new Map()
    }
    if (kmsKeyId !== undefined) group.kmsKeyId = kmsKeyId
    this.#groups.set(name, group)
    return group
  }

  #group (name: string): Group {
    const group = this.#groups.get(name)
    if (group === undefined) throw groupNotFound()
    return group
  }

  /** The read operations take a name or an identifier (name or ARN), not both. */
  #groupFrom (request: Request): Group {
    const { logGroupName, logGroupIdentifier } = request
    if (logGroupName !== undefined && logGroupIdentifier !== undefined) {
      throw invalidParameter('LogGroup name and LogGroup ARN are mutually exclusive parameters.')
    }
    if (logGroupIdentifier === undefined) {
      fail(checkLogGroupName(logGroupName))
      return this.#group(logGroupName as string)
    }
    if (typeof logGroupIdentifier !== 'string') fail(checkLogGroupName(logGroupIdentifier, 'logGroupIdentifier'))
    const arn = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+)(?::\*)?$/.exec(logGroupIdentifier as string)
    const name = arn === null ? logGroupIdentifier as string : arn[1]!
    fail(checkLogGroupName(name, 'logGroupIdentifier'))
    return this.#group(name)
  }
}

function addStream (group: Group, name: string, now: number): Stream {
  const stream: Stream = { name, creationTime: now, events: new EventLog(), storedBytes: 0, puts: 0 }
  group.streams.set(name, stream)
  return stream
}

function streamOf (group: Group, name: string): Stream {
  const stream = group.streams.get(name)
  if (stream === undefined) throw streamNotFound()
  return stream
}

/** The service's tokens are long digit strings; callers must only pass them back, never parse them. */
function sequenceToken (stream: Stream): string {
  return `4${String(stream.puts).padStart(55, '0')}`
}

function append (stream: Stream, batch: AcceptedBatch, now: number, entity: StoredEntity | undefined): void {
  stream.puts++
  if (batch.start === batch.end) return
  stream.events.append(batch.events, batch.start, batch.end, now, entity)
  stream.storedBytes += batch.messageBytes
  stream.lastIngestionTime = now
}

/** Describe operations page by position; the token is opaque to callers. */
function page<T> (items: T[], token: unknown, limit: number): { items: T[], nextToken?: string } {
  let from = 0
  if (token !== undefined && token !== null) {
    const match = typeof token === 'string' ? /^o\/(\d{1,15})$/.exec(token) : null
    if (match === null) throw invalidParameter('The specified nextToken is invalid.')
    from = Number(match[1])
  }
  const to = from + limit
  return to < items.length ? { items: items.slice(from, to), nextToken: `o/${to}` } : { items: items.slice(from) }
}
