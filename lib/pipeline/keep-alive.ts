// Holds the process alive while someone waits for delivery, and only then.
//
// Every timer of the pipeline is unref'd, so an idle app exits as if logbeam were not there. But a caller that awaits
// a flush, a close, or a reader paused for room (the CLI's `block`) has nothing else keeping the event loop alive:
// without a handle of its own Node would end the process under the wait (exit code 13 for a top-level await).

/** Counts holders; one ref'd timer exists while the count is above zero. */
export class KeepAlive {
  #holders = 0
  #handle: NodeJS.Timeout | undefined

  hold (): void {
    // An interval that never fires in practice: it only keeps the event loop alive.
    if (this.#holders++ === 0) this.#handle = setInterval(() => {}, 2 ** 30)
  }

  release (): void {
    if (this.#holders === 0) return
    if (--this.#holders === 0) {
      clearInterval(this.#handle)
      this.#handle = undefined
    }
  }

  /** Holds until the promise settles. */
  during<T> (promise: Promise<T>): Promise<T> {
    this.hold()
    return promise.finally(() => this.release())
  }
}
