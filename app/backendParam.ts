import { BACKEND_ORDER, isBackendName, type BackendName } from '../src/backend/types';

export interface BackendParam {
  requested?: BackendName;
  /** Set when the URL asked for something that is not a backend. */
  notice?: string;
}

/** Reads `?backend=`; an unknown value is reported and the automatic choice applies. */
export function readBackendParam(search: string): BackendParam {
  const raw = new URLSearchParams(search).get('backend');
  if (raw === null || raw === '' || raw === 'auto') return {};
  const value = raw.trim().toLowerCase();
  if (isBackendName(value)) return { requested: value };
  return {
    notice: `The URL asks for backend “${raw}”, which is not one of ${BACKEND_ORDER.join(', ')}; choosing automatically.`,
  };
}
