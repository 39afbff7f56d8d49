import type { Io, Output } from "../io.js";

const STYLES = { red: [31, 39], green: [32, 39], yellow: [33, 39], bold: [1, 22], dim: [2, 22] } as const;
export type Style = keyof typeof STYLES;
export type Paint = (style: Style | undefined, text: string) => string;

/** Colours only for a person at a terminal: never into a pipe or a file, never when NO_COLOR is set (no-color.org). */
export function colorsWanted(stream: Output, env: Io["env"]): boolean {
  return !!stream.isTTY && !env.NO_COLOR;
}

export function painter(enabled: boolean): Paint {
  if (!enabled) return (_style, text) => text;
  return (style, text) => (style && text ? `\x1b[${STYLES[style][0]}m${text}\x1b[${STYLES[style][1]}m` : text);
}
