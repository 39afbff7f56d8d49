import type { Paint, Style } from "./paint.js";

export interface Column<Row> {
  header: string;
  value: (row: Row) => string;
  /** Right-aligned (counts). */
  right?: boolean;
  /** A colour for a cell, by its row. */
  style?: (row: Row) => Style | undefined;
  /** Free text (a message, a rule, an error): cut first when the table is too wide, before names and numbers are. */
  flex?: boolean;
}

const GAP = "   ";
/** A column is never cut narrower than this (or its header, if shorter): a sliver says nothing. */
const MIN_WIDTH = 6;

/**
 * Column widths that fit `width`: each column's widest cell, then the widest
 * free-text column is narrowed one character at a time, then (if that is not
 * enough) the widest of any, each down to its floor; at the floors the line is
 * longer than the terminal.
 */
export function fitWidths(natural: readonly number[], floors: readonly number[], flex: readonly boolean[], width: number | undefined): number[] {
  const widths = [...natural];
  if (width === undefined) return widths;
  const total = () => widths.reduce((a, b) => a + b, 0) + GAP.length * Math.max(0, widths.length - 1);
  for (const mayCut of [(i: number) => !!flex[i], () => true]) {
    while (total() > width) {
      let widest = -1;
      for (let i = 0; i < widths.length; i++) if (mayCut(i) && (widths[i] as number) > (floors[i] as number) && (widest < 0 || (widths[i] as number) > (widths[widest] as number))) widest = i;
      if (widest < 0) break;
      widths[widest] = (widths[widest] as number) - 1;
    }
  }
  return widths;
}

/** Text cut to `width` characters, its last one an ellipsis when cut. */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join("")}…`;
}

/** One cell's text on one line: a table row is one line, whatever the value holds. */
const oneLine = (text: string) => text.replace(/\s*\n\s*/g, " ");

/**
 * A table as kubectl prints one: upper-case headers, columns separated by spaces,
 * fitted to `width` (the terminal's; undefined into a pipe, where nothing is cut
 * so that grep sees whole values). Colours go on after the fitting.
 */
export function formatTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[], width: number | undefined, paint: Paint): string {
  const cells = rows.map((row) => columns.map((c) => oneLine(c.value(row))));
  const natural = columns.map((c, i) => Math.max([...c.header].length, ...cells.map((r) => [...(r[i] as string)].length)));
  const floors = columns.map((c, i) => Math.min(natural[i] as number, Math.max(MIN_WIDTH, [...c.header].length)));
  const widths = fitWidths(natural, floors, columns.map((c) => !!c.flex), width);
  const line = (texts: string[], styles: (Style | undefined)[]) =>
    texts
      .map((text, i) => {
        const w = widths[i] as number;
        const cut = truncate(text, w);
        const pad = " ".repeat(Math.max(0, w - [...cut].length));
        const painted = paint(styles[i], cut);
        return columns[i]?.right ? pad + painted : painted + pad;
      })
      .join(GAP)
      .trimEnd();
  const header = line(columns.map((c) => c.header), columns.map(() => "bold"));
  const body = rows.map((row, r) => line(cells[r] as string[], columns.map((c) => c.style?.(row))));
  return `${[header, ...body].join("\n")}\n`;
}
