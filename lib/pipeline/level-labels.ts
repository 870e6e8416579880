// The names of pino's levels, for `{level}` in a name template: a line carries the number, a stream is named by the
// label. pino's defaults apply unless pino (or the CLI's --custom-level) says otherwise.

/** Level number -> label. */
export type LevelLabels = ReadonlyMap<number, string>

/** pino's own levels. */
export const PINO_LEVELS: LevelLabels = new Map([
  [10, 'trace'], [20, 'debug'], [30, 'info'], [40, 'warn'], [50, 'error'], [60, 'fatal']
])

/**
 * Labels from what pino hands a transport: the `levels` key it adds to a target's options (`{ audit: 35 }`, the
 * custom levels merged over the defaults), or the `levels` of its PINO_CONFIG message (`{ labels, values }`). Custom
 * levels add to pino's defaults (pino's `useOnlyCustomLevels` still leaves the default numbers unused). Anything
 * else leaves the defaults: levels only name streams, they never refuse a line.
 */
export function levelLabels (levels: unknown, base: LevelLabels = PINO_LEVELS): LevelLabels {
  if (levels === null || typeof levels !== 'object') return base
  const given = levels as { values?: unknown, labels?: unknown }
  const byLabel = given.values !== null && typeof given.values === 'object' ? given.values : levels
  const labels = new Map(base)
  for (const [label, value] of Object.entries(byLabel as Record<string, unknown>)) {
    // The CLI's --custom-level audit=35 gives the number as text.
    const n = typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value
    if (typeof n === 'number' && Number.isFinite(n)) labels.set(n, label)
  }
  return labels
}
