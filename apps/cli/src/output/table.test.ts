import { describe, expect, it } from "vitest";
import { painter } from "./paint.js";
import { fitWidths, formatTable, truncate, type Column } from "./table.js";

interface Row {
  name: string;
  count: number;
  message: string;
}

const columns: Column<Row>[] = [
  { header: "NAME", value: (r) => r.name },
  { header: "COUNT", value: (r) => String(r.count), right: true },
  { header: "MESSAGE", value: (r) => r.message, flex: true, style: (r) => (r.count ? "red" : undefined) },
];
const rows: Row[] = [
  { name: "node1", count: 12, message: "node1 has no route to node2's pod subnet 10.244.2.0/24" },
  { name: "node-with-a-long-name", count: 0, message: "fine" },
];
const plain = painter(false);

describe("tables", () => {
  it("aligns columns under upper-case headers, counts to the right, without trailing blanks", () => {
    expect(formatTable(columns, rows, undefined, plain)).toBe(
      [
        "NAME                    COUNT   MESSAGE",
        "node1                      12   node1 has no route to node2's pod subnet 10.244.2.0/24",
        "node-with-a-long-name       0   fine",
        "",
      ].join("\n"),
    );
  });

  it("fits the terminal by cutting free text first, with an ellipsis", () => {
    const text = formatTable(columns, rows, 50, plain);
    const lines = text.trimEnd().split("\n");
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(50);
    expect(lines[1]).toBe("node1                      12   node1 has no rout…");
    expect(lines[2]).toContain("node-with-a-long-name");
  });

  it("cuts names too when free text alone cannot make it fit, never below a floor", () => {
    expect(fitWidths([21, 5, 55], [6, 5, 7], [false, false, true], 30)).toEqual([12, 5, 7]);
    expect(fitWidths([21, 5, 55], [6, 5, 7], [false, false, true], 10)).toEqual([6, 5, 7]);
    expect(fitWidths([21, 5, 55], [6, 5, 7], [false, false, true], undefined)).toEqual([21, 5, 55]);
  });

  it("keeps a row on one line", () => {
    expect(formatTable(columns, [{ name: "a", count: 1, message: "two\n  lines" }], undefined, plain)).toContain("two lines\n");
  });

  it("pads by the text, not by the colour codes around it", () => {
    const text = formatTable(columns, [{ name: "n", count: 1, message: "bad" }, { name: "n", count: 0, message: "good" }], undefined, painter(true));
    expect(text).toContain("\x1b[31mbad\x1b[39m");
    expect(text.split("\n")[0]).toBe("\x1b[1mNAME\x1b[22m   \x1b[1mCOUNT\x1b[22m   \x1b[1mMESSAGE\x1b[22m");
    expect(text.split("\n")[2]).toBe("n          0   good");
  });

  it("truncates by characters and marks the cut", () => {
    expect(truncate("abcdef", 4)).toBe("abc…");
    expect(truncate("abcd", 4)).toBe("abcd");
    expect(truncate("äöüß-long", 5)).toBe("äöüß…");
  });
});
