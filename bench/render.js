// How figures look: number formatting and the two renderings of a table ({ title, note, headers, rows }),
// plain text for the terminal and Markdown for bench/results/latest.md. Shared by report.js and targets.js.

/** A number with a fixed count of decimals and thousands separators; '—' when there is no figure. */
export function num (v, digits = 0) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—'
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

/** a / b, or null when either is missing or b is not positive (a ratio against a floor that was not measured). */
export const ratio = (a, b) => (
  a !== null && b !== null && Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : null
)

export const times = v => (v === null ? '—' : `${num(v, 2)}x`)

/** Columns of numbers (and '—') are right-aligned, text left-aligned. */
function numericColumns (headers, rows) {
  return headers.map((_, i) => i > 0 && rows.every(r => /^([+-]?[\d,.]+(x|%|\*)?|—)$/.test(String(r[i]))))
}

export function renderText ({ title, note, headers, rows }) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map(r => String(r[i]).length)))
  const numeric = numericColumns(headers, rows)
  const pad = (cell, i) => (numeric[i] ? String(cell).padStart(widths[i]) : String(cell).padEnd(widths[i]))
  const line = cells => cells.map(pad).join('  ').trimEnd()
  return [
    title,
    line(headers),
    widths.map(w => '-'.repeat(w)).join('  '),
    ...rows.map(line),
    ...(note ? [note] : []),
    ''
  ].join('\n')
}

export function renderMarkdown ({ title, note, headers, rows }) {
  const numeric = numericColumns(headers, rows)
  const esc = s => String(s).replace(/\|/g, '\\|')
  return [
    `### ${title}`,
    '',
    `| ${headers.map(esc).join(' | ')} |`,
    `|${headers.map((_, i) => (numeric[i] ? ' ---: ' : ' --- ')).join('|')}|`,
    ...rows.map(r => `| ${r.map(esc).join(' | ')} |`),
    '',
    ...(note ? [note, ''] : [])
  ].join('\n')
}
