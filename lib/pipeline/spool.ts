import {
  mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, statSync, unlinkSync, writeFileSync
} from 'node:fs'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import type { Batch, LogEvent, Target } from './batch.js'
import { encodeBatch } from './encoded-batch.js'
import { ownStart, processAlive } from './process-identity.js'
import { EVENTS, type Reporter } from '../diagnostics.js'

const VERSION = 1

export interface Leftover { file: string, target: Target, bytes: number, count: number }

/** A batch on disk: JSON, its events the very bytes the batch holds (so writing encodes nothing). */
interface SpoolFile { v: number, target: Target, bytes: number, events: LogEvent[] }

/**
 * Batches kept on disk from the moment they are sealed until CloudWatch acknowledges them.
 * Each transport writes in a folder of its own (`<pid>-<process start>-<random>`), so transports sharing a spool
 * directory never send each other's batches, even two in one process; the folders of processes that are gone are
 * taken over at start (a process that wins the race to one leaves it to the winner). Files are written whole to a
 * temporary name and renamed, so a kill leaves a complete file or none; anything unreadable is renamed `.corrupt`,
 * counted and reported. They hold raw log lines: only the owner may read them (folders 0700, files 0600).
 */
export class Spool {
  readonly #dir: string
  readonly #max: number
  readonly #report: Reporter
  readonly #sizes = new Map<string, number>()
  readonly #leftovers: Leftover[] = []
  #size = 0
  #seq = 0

  constructor (root: string, maxSize: number, report: Reporter) {
    this.#max = maxSize
    this.#report = report
    mkdirSync(root, { recursive: true, mode: 0o700 })
    this.#dir = join(root, `${process.pid}-${ownStart()}-${randomBytes(4).toString('hex')}`)
    mkdirSync(this.#dir, { mode: 0o700 })
    this.#adopt(root)
  }

  /** Bytes of batches on disk. */
  get size (): number { return this.#size }

  /** Batches left by processes that are gone, oldest first. */
  leftovers (): Leftover[] { return this.#leftovers.splice(0) }

  /** Writes a batch; returns its file, or undefined when the spool is full (memory bounds apply then). */
  save (batch: Batch, target: Target): string | undefined {
    const head = JSON.stringify({ v: VERSION, target, bytes: batch.bytes, events: [] } satisfies SpoolFile)
    const text = Buffer.concat([Buffer.from(head.slice(0, -3)), batch.data, Buffer.from('}')])
    const size = text.length
    if (this.#size + size > this.#max) return undefined
    const file = join(this.#dir,
      `${String(Date.now()).padStart(15, '0')}-${String(this.#seq++).padStart(9, '0')}.batch`)
    try {
      writeFileSync(`${file}.tmp`, text, { mode: 0o600 })
      renameSync(`${file}.tmp`, file)
    } catch (err) {
      const reason = (err as Error).message
      this.#report(EVENTS.spoolError, {
        message: `cannot write to the spool (${reason}); batch kept in memory only`,
        file,
        reason
      })
      return undefined
    }
    this.#sizes.set(file, size)
    this.#size += size
    return file
  }

  /** Reads a batch back (after it left memory, or from a previous run). */
  read (file: string): Batch | undefined {
    const parsed = this.#parse(file)
    if (!parsed) return undefined
    // Only the two keys the request takes, in time order, whatever wrote the file.
    const events = parsed.events.map(e => ({ timestamp: e.timestamp, message: e.message }))
      .sort((a, b) => a.timestamp - b.timestamp)
    return encodeBatch(events, Date.now())
  }

  /** The batch is acknowledged: its file goes. */
  remove (file: string): void {
    try { unlinkSync(file) } catch { /* already gone */ }
    this.#forget(file)
  }

  #forget (file: string): void {
    this.#size -= this.#sizes.get(file) ?? 0
    this.#sizes.delete(file)
  }

  #parse (file: string): SpoolFile | undefined {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as SpoolFile
      const ok = parsed?.v === VERSION && typeof parsed.target?.logGroupName === 'string' &&
        typeof parsed.target.logStreamName === 'string' && Array.isArray(parsed.events) && parsed.events.length > 0 &&
        parsed.events.every(e => Number.isSafeInteger(e?.timestamp) && typeof e.message === 'string' && e.message !== '')
      if (ok) return parsed
      throw new Error('not a logbeam spool batch')
    } catch (err) {
      this.#report(EVENTS.spoolError, {
        message: `skipped unreadable spool file ${file} (${(err as Error).message}); renamed to .corrupt`,
        file,
        reason: (err as Error).message
      })
      try { renameSync(file, `${file}.corrupt`) } catch { /* gone meanwhile */ }
      this.#forget(file)
      return undefined
    }
  }

  /** Takes over the folders of processes that are no longer running. */
  #adopt (root: string): void {
    for (const name of readdirSync(root).sort()) {
      const dir = join(root, name)
      // `<pid>-<start>-<random>`; folders of older versions are `<pid>-<random>`.
      const parts = name.split('-')
      const pid = Number(parts[0])
      const start = parts.length >= 3 ? parts[1] : undefined
      if (dir === this.#dir || !Number.isInteger(pid) || processAlive(pid, start)) continue
      let entries: string[]
      try {
        if (!statSync(dir).isDirectory()) continue
        entries = readdirSync(dir).sort()
      } catch { continue } // taken by another process meanwhile
      for (const entry of entries) this.#adoptFile(dir, name, entry)
      try { rmdirSync(dir) } catch { /* .corrupt files stay for a person to look at; or another process took it */ }
    }
    this.#leftovers.sort((a, b) => (a.file < b.file ? -1 : 1))
  }

  #adoptFile (dir: string, owner: string, entry: string): void {
    const from = join(dir, entry)
    try {
      if (!entry.endsWith('.batch')) {
        // A .tmp is a write the kill interrupted: it was never acknowledged as saved; drop it.
        if (entry.endsWith('.tmp')) unlinkSync(from)
        return
      }
      const file = join(this.#dir, `${entry.slice(0, -'.batch'.length)}-${owner}.batch`)
      // Whoever renames a file first owns it: a process starting at the same moment gets ENOENT and moves on.
      renameSync(from, file)
      const parsed = this.#parse(file)
      if (!parsed) return
      const size = statSync(file).size
      this.#sizes.set(file, size)
      this.#size += size
      this.#leftovers.push({ file, target: parsed.target, bytes: parsed.bytes, count: parsed.events.length })
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    }
  }
}
