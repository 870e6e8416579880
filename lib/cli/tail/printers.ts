import type { PrettySettings } from './args.js'
import type { TailEvent } from './event.js'
import type { Output } from './flags.js'

/** The text printed for an event, newline included; undefined prints nothing (pino-pretty's --minimum-level). */
export type Printer = (event: TailEvent) => string | undefined

/** Each message exactly as stored: `tail --output raw` gives back the lines a program logged, byte for byte. */
export const rawPrinter: Printer = event => `${event.message}\n`

/** One JSON object per event; `parts` only for a line joined from the parts it was split into. */
export const jsonPrinter: Printer = event => JSON.stringify({
  timestamp: event.timestamp,
  ingestionTime: event.ingestionTime,
  group: event.group,
  stream: event.stream,
  message: event.message,
  ...(event.parts !== undefined && { parts: event.parts })
}) + '\n'

/**
 * pino-pretty's own prettifier (`prettyFactory`) with the options the flags pass through, so a line prints exactly
 * as `pino-pretty` prints it; lines that are not JSON come back as they are. Loaded only for this output: it brings
 * a dozen modules the other outputs do not need.
 */
export async function prettyPrinter (settings: PrettySettings): Promise<Printer> {
  const { prettyFactory } = await import('pino-pretty')
  const pretty = prettyFactory(settings as Parameters<typeof prettyFactory>[0])
  return event => pretty(event.message) as string | undefined
}

/** The printer of an output; `colorize` is the default for pretty when the flags do not say. */
export async function printerFor (output: Output, settings: PrettySettings, colorize: boolean): Promise<Printer> {
  if (output === 'raw') return rawPrinter
  if (output === 'json') return jsonPrinter
  return await prettyPrinter({ colorize, ...settings })
}
