// Makes a fresh clone runnable: installs the npm dependencies when they are missing or stale and, with
// --browser, makes sure a Chromium exists for the end-to-end tests. Node built-ins only: it runs before
// anything is installed.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const run = (cmd) => {
  console.error(`[bootstrap] ${cmd}`);
  execSync(cmd, { stdio: 'inherit' });
};

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`[bootstrap] Node ${process.versions.node} is too old: Vite 8 needs Node 20.19 or newer.`);
  process.exit(1);
}

const marker = 'node_modules/.package-lock.json';
const stale = !existsSync(marker) || (existsSync('package-lock.json') && statSync('package-lock.json').mtimeMs > statSync(marker).mtimeMs);
if (stale) run(existsSync('package-lock.json') ? 'npm ci --no-audit --no-fund' : 'npm install --no-audit --no-fund');

if (process.argv.includes('--browser')) {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) {
      console.error(`[bootstrap] CHROMIUM_PATH=${fromEnv} does not exist.`);
      process.exit(1);
    }
    console.error(`[bootstrap] browser: ${fromEnv} (CHROMIUM_PATH)`);
  } else if (existsSync('/usr/bin/chromium')) {
    console.error('[bootstrap] browser: /usr/bin/chromium');
  } else if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    run('apt-get update -qq');
    run('DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium');
  } else {
    console.error('[bootstrap] no system Chromium and not root: using Playwright’s own browser.');
    run('npx playwright install chromium');
  }
}
