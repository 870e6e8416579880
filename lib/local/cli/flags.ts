import { ENTITY_REJECTIONS } from '../entity-rules.js'
import type { FaultOptions } from '../faults.js'

/** What `logbeam-local` does: run the endpoint (no command), or read what a running one stored. */
export const COMMANDS = ['serve', 'dump', 'list'] as const
export type Command = typeof COMMANDS[number]

export type FlagKind = 'rate' | 'integer' | 'number' | 'string' | 'boolean' | 'url' | 'choice' | 'list'

export interface Flag {
  /** Kebab-case name, without the leading `--`. */
  name: string
  short?: string
  kind: FlagKind
  /** Placeholder for the value in the help text (none for booleans). */
  value?: string
  choices?: readonly string[]
  /** The commands that take it. */
  commands: readonly Command[]
  /** The default as shown to people, empty for none worth showing. */
  default: string
  description: string
  /** The endpoint option (serve), fault option (serve) or reader setting (dump, list) it sets. */
  target:
    | { endpoint: 'port' | 'host' | 'autoCreate' }
    | { fault: keyof FaultOptions }
    | { read: 'endpoint' | 'group' | 'stream' | 'json' }
    | { cli: 'help' | 'version' }
  /** Integers: the smallest and largest value taken. */
  min?: number
  max?: number
}

const SERVE = ['serve'] as const
const READ = ['dump', 'list'] as const
const ALL = COMMANDS

const rate = (name: string, fault: keyof FaultOptions, description: string): Flag =>
  ({ name, kind: 'rate', value: 'R', commands: SERVE, default: '0', target: { fault }, description })

/**
 * Every flag of logbeam-local, in help order. The parser, the help text and the README table
 * come from this one list.
 */
export const FLAGS: readonly Flag[] = [
  {
    name: 'port',
    kind: 'integer',
    value: 'N',
    min: 0,
    max: 65535,
    commands: SERVE,
    default: '0',
    target: { endpoint: 'port' },
    description: 'Port to listen on; 0 picks a free one (the URL printed says which).'
  },
  {
    name: 'host',
    kind: 'string',
    value: 'HOST',
    commands: SERVE,
    default: '127.0.0.1',
    target: { endpoint: 'host' },
    description: 'Address to listen on.'
  },
  {
    name: 'auto-create',
    kind: 'boolean',
    commands: SERVE,
    default: 'false',
    target: { endpoint: 'autoCreate' },
    description: 'Create a missing group or stream on PutLogEvents instead of answering ResourceNotFoundException ' +
      'as the service does.'
  },
  rate('throttle-rate', 'throttleRate', 'Share 0..1 of calls answered 400 ThrottlingException "Rate exceeded".'),
  rate('error-rate', 'serverErrorRate', 'Share of calls answered 503 ServiceUnavailableException.'),
  rate('drop-rate', 'dropRate', 'Share of calls whose connection is cut with no answer (ECONNRESET), not processed.'),
  rate('hang-rate', 'hangRate', 'Share of calls never answered, not processed.'),
  rate('stall-rate', 'stallRate',
    'Share of calls answered 200 with headers and half a body that never ends, not processed.'),
  rate('hang-after-processing-rate', 'hangAfterProcessingRate',
    'Share of calls processed (events stored) and then never answered: a retry stores them twice.'),
  rate('reset-after-processing-rate', 'resetAfterProcessingRate',
    'Share of calls processed (events stored), then whose connection is cut: a retry stores them twice.'),
  rate('too-large-rate', 'tooLargeRate',
    'Share of calls refused 413 with nginx\'s HTML page, as by a proxy in front, not processed.'),
  {
    name: 'max-body-bytes',
    kind: 'integer',
    value: 'BYTES',
    min: 1,
    commands: SERVE,
    default: '(no limit)',
    target: { fault: 'maxBodyBytes' },
    description: 'Any request with a larger body is refused 413 with nginx\'s HTML page, as by a proxy, ' +
      'not processed; 1048576 is nginx\'s default client_max_body_size.'
  },
  {
    name: 'latency-ms',
    kind: 'number',
    value: 'MS',
    commands: SERVE,
    default: '0',
    target: { fault: 'latencyMs' },
    description: 'Delay before handling each call, of any operation.'
  },
  {
    name: 'reject-credentials',
    kind: 'choice',
    value: 'ERROR',
    choices: ['UnrecognizedClientException', 'AccessDeniedException'],
    commands: SERVE,
    default: '(none)',
    target: { fault: 'rejectCredentials' },
    description: 'Refuse every call as the service refuses bad keys or missing IAM permissions.'
  },
  {
    name: 'reject-entity',
    kind: 'choice',
    value: 'ERROR',
    choices: ENTITY_REJECTIONS,
    commands: SERVE,
    default: '(none)',
    target: { fault: 'rejectEntity' },
    description: 'Answer every PutLogEvents that sends an entity with this rejectedEntityInfo.errorType (the events ' +
      'are stored).'
  },
  {
    name: 'fault-operations',
    kind: 'list',
    value: 'OPS',
    commands: SERVE,
    default: 'PutLogEvents',
    target: { fault: 'operations' },
    description: 'Comma-separated operations the fault rates apply to.'
  },
  {
    name: 'seed',
    kind: 'integer',
    value: 'N',
    min: Number.MIN_SAFE_INTEGER,
    max: Number.MAX_SAFE_INTEGER,
    commands: SERVE,
    default: '1',
    target: { fault: 'seed' },
    description: 'Seed of the random faults: the same seed replays the same faults.'
  },
  {
    name: 'endpoint',
    kind: 'url',
    value: 'URL',
    commands: READ,
    default: '(required)',
    target: { read: 'endpoint' },
    description: 'URL of a running logbeam-local (what it printed).'
  },
  {
    name: 'group',
    kind: 'string',
    value: 'NAME',
    commands: ['dump'],
    default: '(required)',
    target: { read: 'group' },
    description: 'Log group to print.'
  },
  {
    name: 'stream',
    kind: 'string',
    value: 'NAME',
    commands: ['dump'],
    default: '(every stream)',
    target: { read: 'stream' },
    description: 'Only this stream (GetLogEvents); without it, every stream of the group merged by time ' +
      '(FilterLogEvents).'
  },
  {
    name: 'json',
    kind: 'boolean',
    commands: READ,
    default: 'false',
    target: { read: 'json' },
    description: 'One JSON object per line instead of text.'
  },
  {
    name: 'help',
    short: 'h',
    kind: 'boolean',
    commands: ALL,
    default: '',
    target: { cli: 'help' },
    description: 'Print this help and exit.'
  },
  {
    name: 'version',
    kind: 'boolean',
    commands: ALL,
    default: '',
    target: { cli: 'version' },
    description: 'Print the version and exit.'
  }
]
