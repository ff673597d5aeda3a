import { chromium } from '@playwright/test';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const p = await b.newPage({ viewport: { width: 1280, height: 720 } });
await p.goto('http://127.0.0.1:4193/?speed=20&backend=wasm');
await p.getByTestId('backend-badge').filter({ hasText: /wasm/ }).waitFor();
await p.getByRole('button', { name: 'Play' }).click();
await p.waitForTimeout(1500);
await p.evaluate(() => {
  window.loaf = [];
  new PerformanceObserver((l) => l.getEntries().forEach((e) => window.loaf.push({ d: e.duration, block: e.blockingDuration, render: e.renderStart ? e.startTime + e.duration - e.renderStart : 0, style: e.styleAndLayoutStart ? e.startTime + e.duration - e.styleAndLayoutStart : 0, scripts: e.scripts.map((s) => `${s.invoker} ${s.sourceFunctionName} ${Math.round(s.duration)}ms`) }))).observe({ type: 'long-animation-frame' });
});
await p.waitForTimeout(20000);
const loaf = await p.evaluate(() => window.loaf);
await b.close();
loaf.sort((a, b) => b.d - a.d);
console.log('count', loaf.length);
for (const l of loaf.slice(0, 6)) console.log(Math.round(l.d), 'block', Math.round(l.block), 'render', Math.round(l.render), 'style+layout', Math.round(l.style), l.scripts.join(' ; '));
