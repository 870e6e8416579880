import { setMaxListeners } from 'node:events'
import { targetKey, type Batch, type Outcome, type Sender, type Target } from './batch.js'
import { batchMemory, mergeBatches, releaseBatch } from './encoded-batch.js'
import type { Spool } from './spool.js'
import { LIMITS } from '../cloudwatch/limits.js'

/** A batch on its way: waiting or in flight, in memory or (spooled and evicted) only on disk. */
interface Entry {
  id: number
  /** Ids of batches merged into this one: they settle with it. */
  merged: number[]
  target: Target
  /** targetKey(target). */
  stream: string
  batch: Batch | undefined
  /** Memory it holds while `batch` is in memory. */
  memory: number
  count: number
  /** Its files in the spool (several once queued batches are merged). */
  spoolFiles: string[]
  /** Timestamp range (-Infinity/Infinity until a batch read back from the spool is loaded). */
  first: number
  last: number
}

export interface SendQueueOptions {
  maxBufferSize: number
  overflow: 'drop-oldest' | 'drop-newest' | 'block'
  /** Limits a merged batch must keep. */
  batchCount: number
  batchSize: number
}

/** What the queue tells the pipeline. */
export interface QueueHooks {
  /** A batch dropped by the memory bound (oldest first). */
  dropped: (batch: Batch) => void
  /** A batch the service acknowledged. */
  delivered: (batch: Batch, outcome: Outcome) => void
  /** Memory went below the bound (a blocked reader may go on). */
  drained: () => void
}

/**
 * Batches from the packer until the service acknowledges them. It sends as many at once as the sender allows, but
 * only batches whose events are all later than every batch in flight to the same stream, so each stream stores them
 * in the logged order (streams are independent of each other); it merges small batches that queued up (after an
 * outage, frequent flushes, spool leftovers) into full calls without encoding them again; it bounds the memory they
 * hold; it keeps them in the spool, when there is one, until acknowledged.
 */
export class SendQueue {
  readonly #opts: SendQueueOptions
  readonly #sender: Sender
  readonly #hooks: QueueHooks
  readonly #spool: Spool | undefined
  readonly #waiting: Entry[] = []
  readonly #unsettled = new Set<number>()
  readonly #waiters: Array<{ upTo: number, resolve: () => void }> = []
  readonly #closer = new AbortController()
  #inFlight = 0
  /** Per stream with calls in flight: how many, and the latest timestamp among them. */
  readonly #flights = new Map<string, { count: number, last: number }>()
  #nextId = 0
  #memory = 0
  /** Set while closing: sends must be over by then. */
  #deadline = Infinity
  #undelivered = 0
  #inFlightDone: (() => void) | undefined

  constructor (opts: SendQueueOptions, sender: Sender, hooks: QueueHooks, spool?: Spool) {
    this.#opts = opts
    this.#sender = sender
    this.#hooks = hooks
    this.#spool = spool
    // Every call in flight and every backoff sleep listens to it: more than Node's default of 10 is normal here.
    setMaxListeners(0, this.#closer.signal)
  }

  /** Memory held by batches waiting or in flight. */
  get memory (): number { return this.#memory }

  /** Id the next batch will get: flush waits for every id below it. */
  get nextId (): number { return this.#nextId }

  /** Adds a sealed batch. */
  push (batch: Batch, target: Target): void {
    const spoolFile = this.#spool?.save(batch, target)
    const spoolFiles = spoolFile === undefined ? [] : [spoolFile]
    this.#add({
      id: this.#nextId++,
      merged: [],
      target,
      stream: targetKey(target),
      batch,
      memory: batchMemory(batch),
      count: batch.count,
      spoolFiles,
      first: batch.first,
      last: batch.last
    })
  }

  /** Adds a batch a previous run left in the spool (read only when its turn comes). */
  pushLeftover (file: string, target: Target, count: number): void {
    this.#add({
      id: this.#nextId++,
      merged: [],
      target,
      stream: targetKey(target),
      batch: undefined,
      memory: 0,
      count,
      spoolFiles: [file],
      first: -Infinity,
      last: Infinity
    })
  }

  /**
   * Memory still to be freed so that `extra` more fits, after spooled batches left memory. Pass the open batch's
   * memory: the bound covers it too.
   */
  enforce (extra: number): void {
    if (this.#memory + extra <= this.#opts.maxBufferSize) return
    for (let i = 0; i < this.#waiting.length && this.#memory + extra > this.#opts.maxBufferSize; i++) {
      const entry = this.#waiting[i]!
      if (!entry.batch) continue
      if (entry.spoolFiles.length > 0) {
        this.#memory -= entry.memory
        releaseBatch(entry.batch)
        entry.batch = undefined
        continue
      }
      // A batch is dropped only while calls fail and others are in flight: with nothing in flight, the pump sends it
      // instead; while calls succeed, the input waits (see Pipeline.mustWait) rather than lose what will be delivered.
      if (this.#opts.overflow === 'block' || this.#inFlight === 0 || this.#sender.healthy) continue
      this.#memory -= entry.memory
      this.#waiting.splice(i--, 1)
      this.#hooks.dropped(entry.batch)
      releaseBatch(entry.batch)
      this.#settle(entry.id)
    }
    this.#drained(extra)
  }

  /** Resolves once every batch pushed before the call is settled (acknowledged, refused, or dropped). */
  settled (upTo: number = this.#nextId): Promise<void> {
    if (this.#settledBelow(upTo)) return Promise.resolve()
    return new Promise(resolve => this.#waiters.push({ upTo, resolve }))
  }

  /** True while a flush or close waits for batches. */
  get awaited (): boolean { return this.#waiters.length > 0 }

  /**
   * Sends what is left until `timeout`; resolves with the number of events still undelivered then (they stay in the
   * spool, when there is one).
   */
  async close (timeout: number): Promise<number> {
    this.#deadline = Date.now() + timeout
    const timer = setTimeout(() => this.#closer.abort(), timeout)
    this.#pump()
    await Promise.race([
      this.settled(),
      new Promise<void>(resolve => this.#closer.signal.addEventListener('abort', () => resolve(), { once: true }))
    ])
    clearTimeout(timer)
    let undelivered = 0
    for (const entry of this.#waiting) undelivered += entry.count
    this.#closer.abort()
    if (this.#inFlight > 0) {
      // Sends abandoned at the deadline end within a few ticks; never let a stuck socket hold the exit.
      await new Promise<void>(resolve => {
        this.#inFlightDone = resolve
        setTimeout(resolve, 500).unref()
      })
    }
    return undelivered + this.#undelivered
  }

  #add (entry: Entry): void {
    this.#waiting.push(entry)
    this.#unsettled.add(entry.id)
    if (entry.batch) this.#memory += entry.memory
    this.#pump()
  }

  #pump (): void {
    const budget = { signal: this.#closer.signal, left: () => this.#deadline - Date.now() }
    /** Streams whose next batch must wait for one in flight: their later batches wait too. */
    let blocked: Set<string> | undefined
    let i = 0
    while (this.#inFlight < this.#sender.limit && i < this.#waiting.length && !this.#closer.signal.aborted) {
      const entry = this.#waiting[i]!
      if (blocked?.has(entry.stream)) { i++; continue }
      if (!this.#load(entry)) continue
      // CloudWatch orders a stream by timestamp, equal ones by arrival: a batch goes out beside others to its stream
      // only when all its events are later than theirs, so the stored order is the logged one.
      const flight = this.#flights.get(entry.stream)
      if (flight !== undefined && !(entry.first > flight.last)) {
        (blocked ??= new Set()).add(entry.stream)
        i++
        continue
      }
      this.#waiting.splice(i, 1)
      this.#mergeInto(entry, i)
      if (flight === undefined) this.#flights.set(entry.stream, { count: 1, last: entry.last })
      else {
        flight.count++
        flight.last = Math.max(flight.last, entry.last)
      }
      this.#inFlight++
      this.#send(entry, budget).finally(() => {
        this.#inFlight--
        const done = this.#flights.get(entry.stream)!
        if (--done.count === 0) this.#flights.delete(entry.stream)
        this.#memory -= entry.memory
        this.#settle(entry.id, entry.merged)
        if (this.#inFlight === 0) this.#inFlightDone?.()
        this.#pump()
      })
    }
  }

  /** Brings a spooled batch back into memory for its send; false (and gone) when it cannot be read. */
  #load (entry: Entry): boolean {
    if (entry.batch) return true
    const batch = this.#spool?.read(entry.spoolFiles[0]!)
    if (!batch) {
      // Unreadable: the spool has reported it and set the file aside.
      this.#waiting.splice(this.#waiting.indexOf(entry), 1)
      this.#settle(entry.id)
      return false
    }
    entry.batch = batch
    entry.memory = batchMemory(batch)
    entry.first = batch.first
    entry.last = batch.last
    this.#memory += entry.memory
    return true
  }

  /**
   * Small batches of the same stream that queued up behind this one go with it in one call, while the result stays a
   * valid batch: in time order, within the count, size and 24 h limits. Their ids settle with it. `from` is where
   * the head stood in the waiting list: batches of other streams there are passed over, never reordered.
   */
  #mergeInto (head: Entry, from: number): void {
    const batches = [head.batch!]
    let count = head.batch!.count
    let bytes = head.batch!.bytes
    for (let i = from; i < this.#waiting.length; i++) {
      const next = this.#waiting[i]!
      if (next.stream !== head.stream) continue
      if (!next.batch || next.first < head.last || next.last - head.first > LIMITS.maxSpanMs) break
      const more = next.batch
      if (count + more.count > this.#opts.batchCount || bytes + more.bytes > this.#opts.batchSize) break
      this.#waiting.splice(i--, 1)
      batches.push(more)
      count += more.count
      bytes += more.bytes
      head.last = next.last
      head.count += next.count
      head.memory += next.memory
      head.spoolFiles.push(...next.spoolFiles)
      head.merged.push(next.id, ...next.merged)
    }
    // One copy of their bytes, however many were merged; none of them was sent.
    head.batch = mergeBatches(batches)
    if (batches.length > 1) for (const merged of batches) releaseBatch(merged)
  }

  async #send (entry: Entry, budget: Parameters<Sender['send']>[2]): Promise<void> {
    const batch = entry.batch!
    const out = await this.#sender.send(batch, entry.target, budget)
    this.#undelivered += out.undelivered
    if (out.undelivered === 0) for (const file of entry.spoolFiles) this.#spool?.remove(file)
    this.#hooks.delivered(batch, out)
  }

  #settle (id: number, merged: readonly number[] = []): void {
    this.#unsettled.delete(id)
    for (const other of merged) this.#unsettled.delete(other)
    for (let i = 0; i < this.#waiters.length; i++) {
      const waiter = this.#waiters[i]!
      if (this.#settledBelow(waiter.upTo)) {
        this.#waiters.splice(i--, 1)
        waiter.resolve()
      }
    }
    this.#drained(0)
  }

  #drained (extra: number): void {
    if (this.#memory + extra < this.#opts.maxBufferSize) this.#hooks.drained()
  }

  #settledBelow (upTo: number): boolean {
    for (const id of this.#unsettled) if (id < upTo) return false
    return true
  }
}
