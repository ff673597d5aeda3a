// embed.js: the <seg-loss-playground> element, for pages where scripts run. It makes an iframe to the explorer
// that sits next to this file, keeps the iframe as tall as its figure, and passes play / pause / reset / setQuery
// and the figure's ready and step messages through. Each element is on its own: nothing is shared between them.
// Kept free of the app's code: this file is all a host page downloads before a figure is near.
const SOURCE = 'seg-loss-playground';
const APP = new URL('./', /* @vite-ignore */ import.meta.url);

class SegLossPlayground extends HTMLElement {
  static observedAttributes = ['query', 'autoplay', 'theme'];
  private frame: HTMLIFrameElement | null = null;
  private readonly onMessage = (e: MessageEvent) => {
    const frame = this.frame;
    if (!frame || e.source !== frame.contentWindow || e.origin !== APP.origin) return;
    const data = e.data as { source?: unknown; type?: unknown; height?: unknown };
    if (data?.source !== SOURCE) return;
    if (data.type === 'resize' && typeof data.height === 'number' && Number.isFinite(data.height)) frame.style.height = `${data.height}px`;
    else if (data.type === 'ready' || data.type === 'step' || data.type === 'state') {
      this.dispatchEvent(new CustomEvent(data.type, { detail: data }));
    }
  };

  connectedCallback(): void {
    window.addEventListener('message', this.onMessage);
    if (!this.frame) {
      const frame = document.createElement('iframe');
      frame.title = this.getAttribute('title') ?? 'Seg Loss Playground figure';
      frame.loading = 'lazy';
      frame.style.cssText = 'display:block;width:100%;height:480px;border:0';
      this.frame = frame;
      this.load();
      this.appendChild(frame);
    }
  }

  disconnectedCallback(): void {
    window.removeEventListener('message', this.onMessage);
  }

  attributeChangedCallback(): void {
    if (this.frame) this.load();
  }

  /** Starts training. */
  play(): void {
    this.send({ type: 'play' });
  }

  pause(): void {
    this.send({ type: 'pause' });
  }

  reset(): void {
    this.send({ type: 'reset' });
  }

  /** New settings as a query string, read by the explorer like an address (bad values are corrected). */
  setQuery(query: string): void {
    this.send({ type: 'setState', query });
  }

  private load(): void {
    const params = new URLSearchParams(this.getAttribute('query') ?? '');
    params.set('embed', '1');
    for (const name of ['autoplay', 'theme']) {
      const value = this.getAttribute(name);
      if (value !== null) params.set(name, name === 'autoplay' && value === '' ? '1' : value);
    }
    const src = new URL(`?${params}`, APP).href;
    if (this.frame && this.frame.src !== src) this.frame.src = src;
  }

  private send(message: object): void {
    this.frame?.contentWindow?.postMessage({ source: SOURCE, ...message }, APP.origin);
  }
}

if (!customElements.get('seg-loss-playground')) customElements.define('seg-loss-playground', SegLossPlayground);
