// The figure's conversation with the page that embeds it. Every message is { source: SOURCE, type, ... }; what
// arrives is checked against this table and anything else is ignored with a console warning. Nothing from a
// message is ever inserted as HTML: a query goes through the same lenient URL parser as an address.
export const SOURCE = 'seg-loss-playground';

/** What the host page may ask, and the fields each request carries. */
export const REQUESTS = {
  play: {},
  pause: {},
  reset: {},
  setState: { query: 'string' },
} as const;
export type Request = { type: 'play' | 'pause' | 'reset' } | { type: 'setState'; query: string };

/** What the figure tells the host page. */
export type Notice =
  | { type: 'ready' }
  | { type: 'resize'; height: number }
  | { type: 'step'; step: number; runs: { id: string; loss: number | null; valIoU: number | null }[] }
  | { type: 'state'; query: string };

/** The longest query a host may send; a longer one is refused, not cut. */
export const MAX_MESSAGE_QUERY = 8192;

/** A request from the host, or why it is not one. */
export function readRequest(data: unknown): Request | string {
  if (typeof data !== 'object' || data === null) return 'not an object';
  const m = data as Record<string, unknown>;
  if (m.source !== SOURCE) return `source is not '${SOURCE}'`;
  const type = m.type;
  if (typeof type !== 'string' || !Object.hasOwn(REQUESTS, type)) return `unknown type; known: ${Object.keys(REQUESTS).join(', ')}`;
  const fields = REQUESTS[type as keyof typeof REQUESTS];
  for (const [key, kind] of Object.entries(fields)) {
    if (typeof m[key] !== kind) return `${type}.${key}: expected a ${kind}`;
  }
  if (type === 'setState') {
    const query = m.query as string;
    if (query.length > MAX_MESSAGE_QUERY) return `setState.query: longer than ${MAX_MESSAGE_QUERY} characters`;
    return { type, query };
  }
  return { type } as Request;
}

export const notice = (n: Notice) => ({ source: SOURCE, ...n });
