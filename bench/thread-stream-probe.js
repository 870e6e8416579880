// Worker lag, read from thread-stream's private state: the bytes the main thread still holds (not yet copied into
// the shared buffer) plus the bytes in the shared buffer the worker has not read. thread-stream exposes neither, so
// this reads fields of its implementation (the `kImpl` symbol, `state`, `data`, `bufLen`, `flushing` and the
// WRITE_INDEX/READ_INDEX slots of lib/indexes.js) as they are in thread-stream 4. Another major may keep the names
// and change their meaning, so it is not read at all: the worker-lag figures are then null and the run says why.
// Read only, for measuring only.
import { createRequire } from 'node:module'

/** The thread-stream major these fields were read from. */
const WRITTEN_FOR_MAJOR = 4

// The thread-stream pino loads (pino.transport() creates the stream), not whichever one bench/ would resolve.
const fromPino = name => createRequire(createRequire(import.meta.url).resolve('pino'))(name)

/** { version, supported, reason }: reason says in one line why worker lag is unavailable (undefined if it is not). */
export function threadStreamSupport () {
  let version
  try {
    version = fromPino('thread-stream/package.json').version
  } catch (err) {
    const reason = `worker lag unavailable: thread-stream not found (${err.code ?? err.message})`
    return { version: null, supported: false, reason }
  }
  const major = Number(String(version).split('.')[0])
  if (major === WRITTEN_FOR_MAJOR) return { version, supported: true }
  return {
    version,
    supported: false,
    reason: `worker lag unavailable: thread-stream ${version} is installed, bench/thread-stream-probe.js reads ` +
      `the private state of thread-stream ${WRITTEN_FOR_MAJOR}.x; worker lag and shared buffer full show '—', the ` +
      'shared-buffer gate is not checked, and main-thread figures end at the last logging call, not at the hand-over'
  }
}

/**
 * { probe } with `size` (the shared buffer's bytes), `held()`, `unread()` and `busy()` (the main thread still has
 * bytes to hand over), or { reason } when the state cannot be read (another major, or this one changed shape).
 */
export function threadStreamProbe (stream) {
  const support = threadStreamSupport()
  if (!support.supported) return { reason: support.reason }
  const symbol = Object.getOwnPropertySymbols(stream).find(s => s.description === 'kImpl')
  const impl = symbol ? stream[symbol] : undefined
  let indexes
  try {
    indexes = fromPino('thread-stream/lib/indexes.js')
  } catch {
    return { reason: `worker lag unavailable: thread-stream ${support.version} has no lib/indexes.js` }
  }
  const shaped = impl && impl.state instanceof Int32Array && Buffer.isBuffer(impl.data) &&
    typeof impl.bufLen === 'number'
  if (!shaped) return { reason: `worker lag unavailable: the private state of thread-stream ${support.version} changed` }
  const { WRITE_INDEX, READ_INDEX } = indexes
  return {
    probe: {
      size: impl.data.length,
      held: () => impl.bufLen,
      busy: () => impl.flushing || impl.bufLen > 0,
      unread: () => {
        const w = Atomics.load(impl.state, WRITE_INDEX)
        const r = Atomics.load(impl.state, READ_INDEX)
        return w >= 0 && r >= 0 && w > r ? w - r : 0
      }
    }
  }
}
