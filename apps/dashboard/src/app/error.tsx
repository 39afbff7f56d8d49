"use client";

export default function PageError({ error, reset }: { error: Error; reset: () => void }) {
  return (
    <div className="error" role="alert">
      <p>This page failed: {error.message}</p>
      <button onClick={reset}>Retry</button>
    </div>
  );
}
