import { useEffect, useId, useRef, useState } from 'react';
import { dataSourceOf } from '../../src/data/dataSource';
import type { AppState, EmbedSettings } from '../state';
import { encodeUrlState } from '../urlState';
import { FIGURES, viewEntry } from '../views/registry';
import './EmbedDialog.css';

/** The figure the dialog offers first: the view's own, or the first page's. */
const figureOfView = (state: AppState): EmbedSettings['fig'] => viewEntry(state.view).figures?.[0]?.id ?? FIGURES[0].id;

const escapeAttribute = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The three ways to put the current figure in another page, for the Embed dialog. */
export function embedSnippets(state: AppState, fig: EmbedSettings['fig'], appRoot: string, backend?: string | null) {
  const embedded = { ...state, embed: { ...state.embed, embed: true, fig } };
  const query = encodeUrlState(embedded, backend);
  // The element sets embed=1 itself; its query attribute holds the settings only.
  const settings = new URLSearchParams(query);
  settings.delete('embed');
  const src = `${appRoot}${query}`;
  return {
    src,
    iframe: `<iframe src="${escapeAttribute(src)}" title="Seg Loss Playground" width="100%" height="640" style="border:0" loading="lazy"></iframe>`,
    element: `<script type="module" src="${escapeAttribute(`${appRoot}embed.js`)}"></script>\n<seg-loss-playground query="${escapeAttribute(settings.toString())}"></seg-loss-playground>`,
    link: `${appRoot}${encodeUrlState({ ...state, embed: { ...state.embed, embed: false } }, backend)}`,
  };
}

/** The stored data set the settings name, which no other browser has; null for any other source. */
function localSource(source: string): { name: string } | null {
  try {
    const parsed = dataSourceOf(source);
    return parsed.kind === 'local' ? parsed : null;
  } catch {
    return null;
  }
}

function Snippet({ label, text }: { label: string; text: string }) {
  const id = useId();
  const [copied, setCopied] = useState<'copied' | 'failed' | null>(null);
  return (
    <div className="snippet">
      <div className="card-head">
        <label htmlFor={id}>{label}</label>
        <button
          type="button"
          className="small"
          onClick={() =>
            navigator.clipboard.writeText(text).then(
              () => setCopied('copied'),
              () => setCopied('failed'),
            )
          }
        >
          {copied === 'copied' ? 'Copied' : 'Copy'}
        </button>
      </div>
      <textarea
        id={id}
        readOnly
        value={text}
        rows={Math.max(2, Math.ceil(text.length / 80) + text.split('\n').length - 1)}
        onFocus={(e) => e.currentTarget.select()}
      />
      {copied === 'failed' && <p className="hint">The browser refused the clipboard: select the text and copy it.</p>}
    </div>
  );
}

/**
 * "Embed": the current settings as an iframe snippet, as the <seg-loss-playground> element (for pages that run
 * scripts) and as a plain link, each with a copy button, and a live preview of the figure.
 */
export function EmbedDialog({ state, backend, onClose }: { state: AppState; backend?: string | null; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [fig, setFig] = useState<EmbedSettings['fig']>(() => figureOfView(state));
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const appRoot = new URL('./', window.location.href).href;
  const s = embedSnippets(state, fig, appRoot, backend);
  const local = localSource(state.experiment.data.source);
  return (
    <dialog ref={ref} className="embed-dialog" aria-labelledby="embed-title" onClose={onClose}>
      <div className="card-head">
        <h2 id="embed-title">Embed this figure</h2>
        <button type="button" className="notice-close" aria-label="Close" onClick={() => ref.current?.close()}>
          ×
        </button>
      </div>
      <label className="param inline">
        <span>Figure</span>
        <select value={fig} onChange={(e) => setFig(e.target.value as EmbedSettings['fig'])}>
          {FIGURES.map((f) => (
            <option key={f.id} value={f.id}>
              {f.name}
            </option>
          ))}
        </select>
      </label>
      <p className="hint">
        The figure trains only while it is on screen, one figure per page at a time, and never takes keys from the page around it.
      </p>
      {local && (
        <p className="notice" role="status">
          This figure trains on {local.name}, which is stored in this browser only: a reader elsewhere is asked to import it. To share the
          images, put them on a server with a manifest and name it in the address (data=https://…/data.json; see docs/data.md).
        </p>
      )}
      <Snippet label="An iframe (works in any page, Markdown blogs and LMS pages included)" text={s.iframe} />
      <Snippet label="The element (pages that run scripts: it sizes itself and can be scripted)" text={s.element} />
      <Snippet label="A plain link" text={s.link} />
      <h3>Preview</h3>
      <iframe className="embed-preview" src={s.src} title="Preview of the embedded figure" />
    </dialog>
  );
}
