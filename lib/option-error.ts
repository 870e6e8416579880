// The one error logbeam throws on purpose: bad configuration, found at start. Callers (the CLI) read its fields
// instead of parsing its message.

/** A bad option: thrown by `logbeam()` (and the CLI) at start, before any log is read. */
export class LogbeamOptionError extends Error {
  /** The option at fault, as named in `Options` (`options` when the whole argument is not an object). */
  readonly option: string
  /** What is wrong with it, and what is accepted. */
  readonly reason: string

  constructor (option: string, reason: string) {
    super(`logbeam: invalid option ${option}: ${reason}`)
    this.name = 'LogbeamOptionError'
    this.option = option
    this.reason = reason
  }
}
