import { Option } from "commander";
import { stringify } from "yaml";
import { z } from "zod";
import type { Io } from "../io.js";
import { colorsWanted, painter, type Paint } from "./paint.js";
import { formatTable, type Column } from "./table.js";

export const OutputFormat = z.enum(["table", "wide", "json", "yaml"]);
export type OutputFormat = z.infer<typeof OutputFormat>;

/** `-o`, on every command that prints an answer. */
export const outputOption = () => new Option("-o, --output <format>", "table, wide (more columns), json or yaml").choices(OutputFormat.options).default("table");

/** Prints one command's answer in the format asked for. */
export interface Printer {
  format: OutputFormat;
  wide: boolean;
  /** table or wide: text for a person, where a preview or a hint may go too. */
  tabular: boolean;
  paint: Paint;
  /** For json and yaml: prints `data` as it is and says true; for tables says false and prints nothing. */
  structured(data: unknown): boolean;
  table<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): void;
  line(text?: string): void;
}

export function printer(io: Io, format: OutputFormat): Printer {
  const paint = painter(colorsWanted(io.stdout, io.env));
  return {
    format,
    wide: format === "wide",
    tabular: format === "table" || format === "wide",
    paint,
    structured(data) {
      if (format === "json") io.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
      else if (format === "yaml") io.stdout.write(stringify(data));
      else return false;
      return true;
    },
    table(columns, rows) {
      io.stdout.write(formatTable(columns, rows, io.stdout.isTTY ? io.stdout.columns : undefined, paint));
    },
    line(text = "") {
      io.stdout.write(`${text}\n`);
    },
  };
}
