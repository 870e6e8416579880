import { targetKey, type Target } from './batch.js'
import { fieldPath, readField, type FieldPath, type FieldValue } from './field-reader.js'
import { PINO_LEVELS, type LevelLabels } from './level-labels.js'
import {
  nameProblem, nameValue, type NameKind, type NameTemplate, type RecordPart
} from '../cloudwatch/name-template.js'
import { EVENTS, plural, type Reporter } from '../diagnostics.js'

/** Why a record placeholder took its fallback text. */
export type FallbackReason = 'missing' | 'invalid' | 'name' | 'maxDestinations'

/** A record placeholder, the kind of name it stands in, and the path it reads. */
interface Slot { part: RecordPart, kind: NameKind, path: FieldPath }

/** Routes remembered by the values lines carry, and names refused for the cap; past this many, they start over. */
const REMEMBERED = 10_000

/** After the first refusal for the cap, refusals are summed and reported at most this often. */
const CAP_REPORT_INTERVAL_MS = 10_000

const SEPARATOR = '\u0000'
/** Stands for a field a line lacks, in the key of its values (a field's text never holds it: JSON escapes it). */
const ABSENT = '\u0001'
const LEVEL_PATH = ['level']
const INTEGER = /^-?[0-9]+$/

/**
 * Chooses each line's log group and stream from the name templates. Without record placeholders there is one
 * destination and nothing is read from lines (`fixed`). With them, each placeholder is read by a scan of the line
 * (never a JSON.parse), and the values as read find the destination in a map: a line costs a scan per field and a
 * lookup. Labels, checks and fallbacks are worked out once per new combination of values. At most `maxDestinations`
 * are live at once; a line for one more goes to the fallback destination (every placeholder at its fallback), so a
 * typo in a field cannot create a stream per value.
 */
export class Router {
  readonly #group: NameTemplate
  readonly #stream: NameTemplate
  readonly #slots: readonly Slot[]
  readonly #max: number
  readonly #report: Reporter
  readonly #makeRoom: () => void
  readonly #fixed: Target | undefined
  readonly #fallback: Target
  #labels: LevelLabels
  /** Destinations by the values lines carry (as read, before labels and checks). */
  readonly #routes = new Map<string, Target>()
  /** Live destinations by name: different values may make the same name (`30` and `"info"`). */
  readonly #live = new Map<string, Target>()
  /** The route keys of each live destination, so that forgetting one finds them at once. */
  readonly #keysOf = new Map<Target, string[]>()
  readonly #refused = new Set<string>()
  /** Refusals for the cap not reported yet, and when the last report went. */
  #refusedSince = 0
  #lastCapReport = -Infinity
  #lastRefused: Target | undefined
  readonly #reportedFallbacks = new Set<string>()

  /** `makeRoom` is called when the cap is reached: the owner may `forget` destinations it no longer needs. */
  constructor (group: NameTemplate, stream: NameTemplate, maxDestinations: number, report: Reporter,
    labels: LevelLabels = PINO_LEVELS, makeRoom: () => void = () => {}) {
    this.#group = group
    this.#stream = stream
    const slots = (template: NameTemplate): Slot[] => template.parts
      .filter((part): part is RecordPart => typeof part !== 'string')
      .map(part => ({ part, kind: template.kind, path: fieldPath(part.kind === 'level' ? LEVEL_PATH : part.path) }))
    this.#slots = [...slots(group), ...slots(stream)]
    this.#labels = labels
    this.#max = maxDestinations
    this.#report = report
    this.#makeRoom = makeRoom
    this.#fallback = { logGroupName: group.fallback, logStreamName: stream.fallback }
    this.#fixed = group.fixed !== undefined && stream.fixed !== undefined
      ? { logGroupName: group.fixed, logStreamName: stream.fixed }
      : undefined
  }

  /** The one destination, when the templates read nothing from lines. */
  get fixed (): Target | undefined { return this.#fixed }

  /** The destination of lines whose placeholders cannot be filled, or past the cap. */
  get fallback (): Target { return this.#fallback }

  /** Destinations live now, the fallback included. */
  get size (): number { return this.#live.size }

  /** Level labels, once pino has said what its levels are (they may arrive after the first lines). */
  setLabels (labels: LevelLabels): void {
    this.#labels = labels
    // The same values may now make other names.
    this.#routes.clear()
    this.#keysOf.clear()
  }

  /** The destination of one line. */
  route (line: string): Target {
    if (this.#fixed !== undefined) return this.#fixed
    const slots = this.#slots
    let key = readField(line, slots[0]!.path) ?? ABSENT
    for (let i = 1; i < slots.length; i++) key += SEPARATOR + (readField(line, slots[i]!.path) ?? ABSENT)
    return this.#routes.get(key) ?? this.#resolve(key)
  }

  /** A destination with nothing left to send and no line for a while: it no longer counts toward the cap. */
  forget (target: Target): void {
    if (this.#live.get(targetKey(target)) !== target) return
    this.#live.delete(targetKey(target))
    for (const key of this.#keysOf.get(target) ?? []) this.#routes.delete(key)
    this.#keysOf.delete(target)
  }

  /** Works out the destination of values not seen yet (or whose destination was forgotten). */
  #resolve (key: string): Target {
    const raws = key.split(SEPARATOR).map(raw => raw === ABSENT ? undefined : raw)
    // A value holding the separator (a JSON "\u0000") cannot be told apart from two: no name takes it anyway.
    if (raws.length !== this.#slots.length) {
      this.#fallbackOnce('a placeholder', 'invalid', 'the fallback destination')
      return this.#liveFallback()
    }
    const values = this.#slots.map((slot, i) => this.#value(raws[i], slot))
    let at = 0
    const fill = (template: NameTemplate): string =>
      template.parts.map(p => typeof p === 'string' ? p : values[at++]!).join('')
    let target: Target = { logGroupName: fill(this.#group), logStreamName: fill(this.#stream) }
    const problem = nameProblem(target.logGroupName, 'group') ?? nameProblem(target.logStreamName, 'stream')
    if (problem !== undefined) {
      // The values each fit a name, but together they break a rule of the whole name (its length, `aws/`).
      this.#fallbackOnce('the whole name', 'name', problem)
      target = this.#fallback
    }
    const live = this.#live.get(targetKey(target))
    if (live !== undefined) return this.#remember(key, live)
    if (targetKey(target) === targetKey(this.#fallback)) return this.#remember(key, this.#liveFallback())
    if (this.#routed() >= this.#max) this.#makeRoom()
    if (this.#routed() >= this.#max) {
      this.#refuse(target)
      // Not remembered: once room is made, the same values get their own destination.
      return this.#liveFallback()
    }
    this.#live.set(targetKey(target), target)
    return this.#remember(key, target)
  }

  #remember (key: string, target: Target): Target {
    if (this.#routes.size >= REMEMBERED) {
      this.#routes.clear()
      this.#keysOf.clear()
    }
    this.#routes.set(key, target)
    const keys = this.#keysOf.get(target)
    if (keys === undefined) this.#keysOf.set(target, [key])
    else keys.push(key)
    return target
  }

  /** Live destinations besides the fallback, which is always allowed. */
  #routed (): number {
    return this.#live.size - (this.#live.has(targetKey(this.#fallback)) ? 1 : 0)
  }

  /** The fallback destination, made live on its first line. */
  #liveFallback (): Target {
    const live = this.#live.get(targetKey(this.#fallback))
    if (live !== undefined) return live
    this.#live.set(targetKey(this.#fallback), this.#fallback)
    return this.#fallback
  }

  /**
   * Says that lines go to the fallback for the cap: the first time at once, then at most every
   * CAP_REPORT_INTERVAL_MS with the number of new names refused since (an unbounded field makes one per line).
   */
  #refuse (target: Target): void {
    const name = targetKey(target)
    if (this.#refused.has(name)) return
    if (this.#refused.size >= REMEMBERED) this.#refused.clear()
    this.#refused.add(name)
    this.#refusedSince++
    this.#lastRefused = target
    const now = Date.now()
    if (now - this.#lastCapReport >= CAP_REPORT_INTERVAL_MS) this.#reportCap(target, now)
  }

  #reportCap (target: Target, now: number): void {
    const count = this.#refusedSince
    this.#refusedSince = 0
    this.#lastCapReport = now
    const more = count > 1 ? ` (and ${plural(count - 1, 'other name')} since the last such report)` : ''
    this.#report(EVENTS.routeFallback, {
      message: `maxDestinations (${this.#max}) destinations are live: lines for ${target.logGroupName} / ` +
        `${target.logStreamName}${more} go to ${this.#fallback.logGroupName} / ${this.#fallback.logStreamName}`,
      placeholder: '',
      reason: 'maxDestinations',
      name: `${target.logGroupName}/${target.logStreamName}`,
      count
    })
  }

  /** At close: the refusals for the cap not reported yet, so that the counts add up. */
  finish (): void {
    if (this.#refusedSince > 0 && this.#lastRefused !== undefined) this.#reportCap(this.#lastRefused, Date.now())
  }

  /** The text a placeholder stands for: its value when it fits a name, else its fallback. */
  #value (raw: FieldValue, slot: Slot): string {
    const { part, kind } = slot
    if (raw === undefined) return this.#fallbackOnce(part.token, 'missing', part.fallback)
    // pino writes the level's number; a `formatters.level` may write the label itself.
    const value = part.kind === 'level' && INTEGER.test(raw) ? this.#labels.get(Number(raw)) ?? raw : raw
    return nameValue(value, kind) ?? this.#fallbackOnce(part.token, 'invalid', part.fallback)
  }

  /** Says once per placeholder and reason that lines take the fallback, then stays quiet about it. */
  #fallbackOnce (placeholder: string, reason: Exclude<FallbackReason, 'maxDestinations'>, text: string): string {
    const key = `${placeholder}${SEPARATOR}${reason}`
    if (this.#reportedFallbacks.has(key)) return text
    this.#reportedFallbacks.add(key)
    const fallback = `${this.#fallback.logGroupName} / ${this.#fallback.logStreamName}`
    const message = {
      missing: `lines without ${placeholder} (or with a value neither string nor number) take its fallback ` +
        JSON.stringify(text),
      invalid: `lines whose ${placeholder} holds characters the name does not allow take its fallback ` +
        JSON.stringify(text),
      name: `lines whose values make a name the service refuses (${text}) go to ${fallback}`
    }[reason]
    this.#report(EVENTS.routeFallback, {
      message: `${message} (said once for this placeholder and reason)`,
      placeholder,
      reason,
      name: reason === 'name' ? `${this.#fallback.logGroupName}/${this.#fallback.logStreamName}` : text,
      count: 1
    })
    return text
  }
}
