/** One event as tail prints it, whether FilterLogEvents or Live Tail delivered it. */
export interface TailEvent {
  /** The log group's name (Live Tail answers with the identifier it was given: an ARN is turned back into the name). */
  group: string
  stream: string
  /** Epoch ms: the event's own time. */
  timestamp: number
  /** Epoch ms: when CloudWatch stored it. */
  ingestionTime?: number
  message: string
  /** FilterLogEvents' eventId, which tells a polled event seen before; Live Tail sends none. */
  id?: string
  /** How many stored events were joined into this line (a line split for size), when more than one. */
  parts?: number
}

/** `arn:aws:logs:REGION:ACCOUNT:log-group:NAME` (with or without `:*`) -> NAME; a name is returned as it is. */
export function groupName (identifier: string): string {
  return /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+)(?::\*)?$/.exec(identifier)?.[1] ?? identifier
}
