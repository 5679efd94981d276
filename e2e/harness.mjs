// Shared end-to-end harness: a static server for dist/ on 127.0.0.1 and a headless Debian
// Chromium driven by playwright-core. No browser download, no request to any other host.
import { createServer } from 'node:http';
import { readFile, mkdtemp, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '..');
export const dist = path.join(root, 'dist');
export const shots = path.join(root, 'target', 'screenshots');

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.geojson': 'application/geo+json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

/** Serves dist/ on an ephemeral loopback port. `headers` are added to every response. */
export async function serve({ headers = {} } = {}) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let rel = decodeURIComponent(url.pathname);
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.join(dist, path.normalize(rel));
    if (!file.startsWith(dist)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream', ...headers });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(r)) };
}

/** Launches headless Debian Chromium with the quiet-network flags and a fresh profile. */
export async function launch() {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'sq-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage',
      // Experiments only (e.g. CHROMIUM_FLAGS='--js-flags=--no-liftoff'): never set by a test.
      ...(process.env.CHROMIUM_FLAGS ?? '').split(' ').filter(Boolean),
    ],
  });
  return context;
}

/**
 * The package most tests were written against (their coordinates are in central Shanghai). It
 * is no longer the default (the first entry of data/index.json), so pages opened through
 * `openPage` ask for it explicitly unless their URL names a package.
 */
/** The CLI built by `cargo test` (debug) or `cargo build --release`, whichever is found first. */
export function cli() {
  const target = process.env.CARGO_TARGET_DIR ?? path.join(root, 'target');
  for (const p of ['release', 'debug']) {
    const bin = path.join(target, p, 'shuangquan');
    if (existsSync(bin)) return bin;
  }
  throw new Error('build the CLI first: cargo build --release --bin shuangquan');
}

export const DEMO_PACKAGE = 'shanghai-central';

/** `url` with `pkg=DEMO_PACKAGE` added when it is an http(s) URL that names no package. */
export function withDemoPackage(url) {
  const u = new URL(url);
  if (!u.protocol.startsWith('http') || u.searchParams.has('pkg')) return url;
  u.searchParams.set('pkg', DEMO_PACKAGE);
  return u.toString();
}

/**
 * Opens a page that records console errors, page errors and any request that leaves loopback.
 * Returns { page, problems } where problems is a live array of strings. Its `goto` opens
 * DEMO_PACKAGE when the URL names no package; `{ demo: false }` keeps URLs as given (to see
 * the real default package), `{ keepImports: true }` keeps the files kept by earlier pages.
 */
export async function openPage(context, { demo = true, keepImports = false } = {}) {
  const page = await context.newPage();
  if (!keepImports) {
    // The app keeps dropped files in IndexedDB per package and imports them again on load;
    // tests share a browser profile, so each page starts without another test's files unless
    // it asks to keep them (the deletion is queued before the app's first open).
    await page.addInitScript(() => indexedDB.deleteDatabase('shuangquan-kept'));
  }
  if (demo) {
    const goto = page.goto.bind(page);
    page.goto = (url, options) => goto(withDemoPackage(url), options);
  }
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('request', (req) => {
    const u = new URL(req.url());
    if (!['127.0.0.1', 'localhost'].includes(u.hostname) && !['data:', 'blob:'].includes(u.protocol)) {
      problems.push(`request to another host: ${req.url()}`);
    }
  });
  return { page, problems };
}

/** Saves a full-page screenshot under target/screenshots/NAME.png and returns its path. */
/**
 * Clicks `selector` the moment it appears in the page (a MutationObserver in the page, so the
 * click lands before any later message is handled: e.g. a cancel button while its run is
 * still in flight, however fast the worker is). Resolves once the observer is in place.
 */
export async function clickWhenShown(page, selector) {
  await page.evaluate((sel) => {
    new MutationObserver((_, obs) => {
      const b = document.querySelector(sel);
      if (b) {
        b.click();
        obs.disconnect();
      }
    }).observe(document.body, { childList: true, subtree: true });
  }, selector);
}

export async function screenshot(page, name) {
  await mkdir(shots, { recursive: true });
  const file = path.join(shots, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * Registers before/after hooks that start the dist/ server and one browser for the file's
 * tests; returns an object whose `server` and `context` are set once they are up.
 */
export function withBrowser(options) {
  const env = {};
  before(async () => {
    env.server = await serve(options);
    env.context = await launch();
  });
  after(async () => {
    await env.context?.close();
    await env.server?.close();
  });
  return env;
}
