import { describe, expect, it } from "vitest";
import { colorsWanted, painter } from "./paint.js";

describe("colours", () => {
  it("are wanted on a terminal unless NO_COLOR is set (to anything but empty)", () => {
    const tty = { write: () => true, isTTY: true };
    expect(colorsWanted(tty, {})).toBe(true);
    expect(colorsWanted(tty, { NO_COLOR: "1" })).toBe(false);
    expect(colorsWanted(tty, { NO_COLOR: "" })).toBe(true);
    expect(colorsWanted({ write: () => true }, {})).toBe(false);
  });

  it("wrap text in SGR codes only when enabled", () => {
    expect(painter(true)("green", "up")).toBe("\x1b[32mup\x1b[39m");
    expect(painter(false)("green", "up")).toBe("up");
    expect(painter(true)(undefined, "up")).toBe("up");
  });
});
