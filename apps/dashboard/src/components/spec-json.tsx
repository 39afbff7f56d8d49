"use client";
import { useEffect, useState } from "react";
import type { SpecDraft } from "../fleet/spec-draft";

/** The whole spec as JSON, for sections the form has no fields for; a draft only changes when the text parses. */
export function SpecJson({ draft, readOnly, onChange }: { draft: SpecDraft; readOnly: boolean; onChange: (draft: SpecDraft) => void }) {
  const [text, setText] = useState(() => JSON.stringify(draft, null, 2));
  const [error, setError] = useState<string>();
  // The form changed the draft: show it, unless this text is what produced it.
  useEffect(() => {
    setText((current) => {
      try {
        if (JSON.stringify(JSON.parse(current)) === JSON.stringify(draft)) return current;
      } catch {
        // the text does not parse yet: replace it with the form's draft
      }
      return JSON.stringify(draft, null, 2);
    });
  }, [draft]);
  return (
    <label className="spec-json">
      <textarea
        name="spec-json"
        aria-label="Spec as JSON"
        spellCheck={false}
        readOnly={readOnly}
        value={text}
        aria-invalid={!!error}
        onChange={(e) => {
          setText(e.target.value);
          try {
            const parsed: unknown = JSON.parse(e.target.value);
            if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("the spec is a JSON object: { \"podCidr\": …, \"nodes\": […] }");
            setError(undefined);
            onChange(parsed as SpecDraft);
          } catch (err) {
            setError((err as Error).message);
          }
        }}
      />
      {error && <span className="field-error" role="alert">{error}</span>}
    </label>
  );
}
