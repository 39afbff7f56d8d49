"use client";
import { useState } from "react";

/** Copies `text` to the clipboard and says so (the clipboard needs a secure context: https or localhost). */
export function CopyButton({ text, label = "copy" }: { text: string; label?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const copy = () =>
    navigator.clipboard.writeText(text).then(
      () => setState("copied"),
      () => setState("failed"),
    );
  return (
    <button type="button" className="link" onClick={() => void copy()} title={state === "failed" ? "the browser refused the clipboard (it needs https or localhost); select the text and copy it" : undefined}>
      {state === "copied" ? "copied" : state === "failed" ? "copy failed" : label}
    </button>
  );
}
