import { useRef, useState } from 'react';

/**
 * Code to copy: a block that scrolls sideways inside itself (never the page) and a Copy button that says
 * "Copied", or, when the browser refuses the clipboard, selects the code and says how to copy it by hand.
 */
export function CodeBlock({ label, code }: { label: string; code: string }) {
  const [copied, setCopied] = useState<{ code: string; ok: boolean } | null>(null);
  const pre = useRef<HTMLPreElement>(null);
  // A state from other code (the options changed) is no longer true.
  const state = copied?.code === code ? copied : null;
  const copy = () => {
    const refused = () => {
      setCopied({ code, ok: false });
      if (pre.current) window.getSelection()?.selectAllChildren(pre.current);
    };
    if (!navigator.clipboard) return refused();
    navigator.clipboard.writeText(code).then(() => setCopied({ code, ok: true }), refused);
  };
  return (
    <div className="code-block">
      <div className="code-head">
        <span className="code-label">{label}</span>
        <button type="button" className="small" onClick={copy}>
          {state?.ok ? 'Copied' : 'Copy'}
          <span className="visually-hidden"> {label}</span>
        </button>
      </div>
      {/* Focusable so that a keyboard can scroll its long lines. */}
      <pre ref={pre} tabIndex={0}>
        <code>{code}</code>
      </pre>
      {state && !state.ok && (
        <p className="hint" role="status">
          The browser refused the clipboard: the code is selected, press Ctrl+C (⌘C) to copy it.
        </p>
      )}
    </div>
  );
}
