// One throttle for every report that must not flood its reader: the address bar as settings change, an embedded
// figure's step notices to its host, the worker's progress reports. It imports nothing, so the page (app/) and
// the worker (src/worker/) both use it. The caller's last word is never lost: a call held back inside the wait is
// made when the wait ends (trailing), and a call the caller marks urgent (a new phase, the last one) goes at once.

export interface ThrottleOptions<A extends unknown[]> {
  /** Hold a call made inside the wait and make it, with the latest arguments, when the wait ends (default); else drop it. */
  trailing?: boolean;
  /** Calls that go through at once whatever the wait: a new phase, the end of the work. */
  urgent?: (...args: A) => boolean;
  /** Milliseconds now (a test gives its own clock). */
  now?: () => number;
}

export interface Throttled<A extends unknown[]> {
  (...args: A): void;
  /** Drops a held call: its reader has gone. */
  cancel(): void;
}

/** `fn` at most once every `ms` milliseconds: at once when the last call made is that old, else as `options` say. */
export function throttle<A extends unknown[]>(fn: (...args: A) => void, ms: number, options: ThrottleOptions<A> = {}): Throttled<A> {
  const { trailing = true, urgent, now = () => performance.now() } = options;
  let last = -Infinity;
  let held: A | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    held = null;
  };
  const make = (args: A) => {
    last = now();
    fn(...args);
  };
  const call = (...args: A) => {
    const wait = last + ms - now();
    if (wait <= 0 || urgent?.(...args)) {
      // A newer call says everything a held one would have.
      cancel();
      make(args);
      return;
    }
    if (!trailing) return;
    held = args;
    timer ??= setTimeout(() => {
      const args = held;
      timer = null;
      held = null;
      if (args) make(args);
    }, wait);
  };
  return Object.assign(call, { cancel });
}
