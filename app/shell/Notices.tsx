import { useState, type ReactNode } from 'react';
import { MAX_LISTED_CORRECTIONS } from '../queryParams';

function Notice({ children, onDismiss, tone = 'warn' }: { children: ReactNode; onDismiss?: () => void; tone?: 'warn' | 'error' }) {
  return (
    <div className={tone === 'error' ? 'notice notice-error' : 'notice'} role="alert">
      <div>{children}</div>
      {onDismiss && (
        <button type="button" className="notice-close" onClick={onDismiss} aria-label="Dismiss notice">
          ×
        </button>
      )}
    </div>
  );
}

/** What the page has to say above the view: notices about the backend, the address's corrections, a restart, a failure. */
export function Notices({
  messages,
  corrections,
  onCorrectionsSeen,
  crash,
  onCrashSeen,
  engineError,
}: {
  /** Notices the reader may dismiss one by one. */
  messages: (string | undefined)[];
  corrections: string[];
  onCorrectionsSeen: () => void;
  crash: string | null;
  onCrashSeen: () => void;
  engineError: string | null;
}) {
  const [dismissed, setDismissed] = useState<string[]>([]);
  const shown = messages.filter((n): n is string => Boolean(n) && !dismissed.includes(n!));
  return (
    <>
      {shown.map((n) => (
        <Notice key={n} onDismiss={() => setDismissed((d) => [...d, n])}>
          {n}
        </Notice>
      ))}
      {corrections.length > 0 && (
        <Notice onDismiss={onCorrectionsSeen}>
          <p className="notice-title">Some settings in the address could not be used and were corrected:</p>
          <ul data-testid="url-corrections">
            {corrections.slice(0, MAX_LISTED_CORRECTIONS).map((c, i) => (
              <li key={i}>{c}</li>
            ))}
            {corrections.length > MAX_LISTED_CORRECTIONS && <li>and {corrections.length - MAX_LISTED_CORRECTIONS} more</li>}
          </ul>
        </Notice>
      )}
      {crash && (
        <Notice tone="error" onDismiss={onCrashSeen}>
          {crash}
        </Notice>
      )}
      {engineError && (
        <Notice tone="error">
          {engineError}. Reload the page to try again; adding <code>?backend=cpu</code> to the address uses the slowest but most widely
          available backend.
        </Notice>
      )}
    </>
  );
}
