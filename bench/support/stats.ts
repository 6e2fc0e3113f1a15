// Small statistics and table printing shared by the benchmarks.

/** The q-quantile (0..1) of already sorted `xs`, nearest rank. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Minimum and median of `xs`. */
export function minMedian(xs: number[]): { min: number; median: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0], median: quantile(s, 0.5) };
}

/** Formats `n` with `digits` decimals, or "-" when it is not a finite number. */
export function fmt(n: number | undefined, digits = 0): string {
  return n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(digits);
}

/** Prints an aligned plain-text table: numbers right-aligned, text left-aligned. */
export function printTable(headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = headers.map((_, i) => rows.every((r) => /^[-+]?[\d.,]+[a-zA-Z%×]*$|^-$/.test(r[i] ?? '')));
  const line = (cells: string[]) =>
    cells.map((c, i) => (numeric[i] && i > 0 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

/** Prints a markdown table, for figures a README can quote. */
export function printMarkdown(headers: string[], rows: string[][]): void {
  console.log(`| ${headers.join(' | ')} |`);
  console.log(`|${headers.map(() => ' --- ').join('|')}|`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
}

/** Prints a section heading. */
export function heading(title: string): void {
  console.log(`\n== ${title} ==`);
}
