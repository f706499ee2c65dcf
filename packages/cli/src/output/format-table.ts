export type Column<Row> = { header: string; value: (row: Row) => unknown; align?: 'left' | 'right' };

/** A plain aligned text table for people; scripts use --json. */
export function formatTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
  const cells = rows.map((row) => columns.map((column) => formatCell(column.value(row))));
  const widths = columns.map((column, index) => Math.max(column.header.length, ...cells.map((line) => line[index]!.length)));
  const pad = (text: string, index: number) =>
    columns[index]!.align === 'right' ? text.padStart(widths[index]!) : text.padEnd(widths[index]!);
  const lines = [columns.map((column, index) => pad(column.header, index)).join('  ')];
  for (const line of cells) lines.push(line.map(pad).join('  '));
  return `${lines.map((line) => line.trimEnd()).join('\n')}\n`;
}

function formatCell(value: unknown): string {
  if (value === undefined || value === null) return '-';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 3 : 2);
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}
