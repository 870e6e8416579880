import type { TailEvent } from './event.js'

/**
 * The events a --follow poll has printed already. Each poll reads again a window behind the newest event (events
 * are stored late: shippers buffer), so most of what it reads was printed by an earlier poll; FilterLogEvents' event
 * IDs tell them apart. IDs older than the next window can never come back, and are forgotten.
 */
export class SeenEvents {
  /** Key -> the event's timestamp. */
  readonly #seen = new Map<string, number>()

  /** True the first time an event is offered, false for every later time. */
  firstTime (event: TailEvent): boolean {
    const key = keyOf(event)
    if (this.#seen.has(key)) return false
    this.#seen.set(key, event.timestamp)
    return true
  }

  /** Forgets the events before `timestamp`: a query starting there cannot return them. */
  forgetBefore (timestamp: number): void {
    for (const [key, at] of this.#seen) if (at < timestamp) this.#seen.delete(key)
  }

  get size (): number {
    return this.#seen.size
  }
}

/** The event ID; an endpoint that sends none gets its events told apart by what they hold. */
function keyOf (event: TailEvent): string {
  return event.id ?? `${event.group}\0${event.stream}\0${event.timestamp}\0${event.message}`
}
