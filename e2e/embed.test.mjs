// The embed under the shipped Content-Security-Policy, framed by a page on another origin.
// dist/ is served on one origin, under a sub-path as a government portal would (APP_PATH), with
// the policy from static/csp.txt as a real HTTP header; host
// pages built from EMBED.md's snippet are served on other origins. Any CSP violation inside the
// frame (reported by a `securitypolicyviolation` listener installed in every frame) or any
// console error fails. postMessage events reach an allowlisted host and no other.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { launch, root, dist, screenshot, DEMO_PACKAGE } from './harness.mjs';

const policy = (await readFile(path.join(root, 'static', 'csp.txt'), 'utf8')).trim();
const embedDoc = await readFile(path.join(root, 'EMBED.md'), 'utf8');
const snippet = embedDoc.match(/```html\n(<iframe[\s\S]*?<\/iframe>)\n```/)[1];
const SNIPPET_SRC = 'https://map.example.gov.cn/shuangquan/index.html?embed=1';
const HOME = '121.4750,31.2290';
/** Where the portal serves the app (nothing of the app may assume the site's root). */
const APP_PATH = '/portal/shuangquan';

const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm', '.json': 'application/json; charset=utf-8', '.geojson': 'application/geo+json; charset=utf-8',
  '.png': 'image/png', '.svg': 'image/svg+xml',
};

async function listen(handler, host = '127.0.0.1') {
  const server = createServer(handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://${host}:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

const env = { allowed: [] };

before(async () => {
  // The app's origin: dist/ with the CSP header on every response; embed-config.json is the
  // hosting site's file, so the test writes its own allowlist there.
  env.app = await listen(async (req, res) => {
    const full = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const headers = { 'content-security-policy': policy };
    if (!full.startsWith(APP_PATH + '/')) return void res.writeHead(404, headers).end();
    const rel = full.slice(APP_PATH.length);
    if (rel === '/embed-config.json') {
      res.writeHead(200, { ...headers, 'content-type': types['.json'] });
      res.end(JSON.stringify({ parent_origins: env.allowed }));
      return;
    }
    const file = path.join(dist, path.normalize(rel.endsWith('/') ? rel + 'index.html' : rel));
    if (!file.startsWith(dist)) return void res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { ...headers, 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404, headers).end();
    }
  }, 'localhost');
  // Host pages on other origins (another host name and port): the snippet from EMBED.md, with
  // its address pointed at the app, and a listener that records every message.
  const hostPage = (req, res) => {
    if (req.url === '/host.js') {
      res.writeHead(200, { 'content-type': types['.js'] });
      res.end("window.received = []; window.addEventListener('message', (e) => window.received.push({ origin: e.origin, data: e.data }));");
      return;
    }
    const frame = snippet.replace(SNIPPET_SRC, `${env.app.origin}${APP_PATH}/index.html?embed=1&pkg=${DEMO_PACKAGE}`);
    res.writeHead(200, { 'content-type': types['.html'] });
    res.end(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>Host</title><script src="/host.js"></script></head>
<body><h1>Portal</h1><main>${frame}</main></body></html>`);
  };
  env.hostA = await listen(hostPage);
  env.hostB = await listen(hostPage);
  env.allowed = [env.hostA.origin + '/'];
  env.context = await launch();
  // Every frame (the host page and the framed app) reports CSP violations as console errors.
  await env.context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
});

after(async () => {
  await env.context?.close();
  for (const s of [env.app, env.hostA, env.hostB]) await s?.close();
});

/** Opens a host page; returns the page, the app's frame and a live list of problems. */
async function openHost(host) {
  const page = await env.context.newPage();
  const problems = [];
  const logs = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
    else logs.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  // The analysis worker's console too (init scripts do not run in workers).
  const workers = [];
  page.on('worker', (w) => {
    workers.push(w.url());
    w.on('console', (m) => m.type() === 'error' && problems.push(`worker console.error: ${m.text()}`));
  });
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (!['127.0.0.1', 'localhost'].includes(u.hostname) && !['data:', 'blob:'].includes(u.protocol)) problems.push(`request to another host: ${r.url()}`);
  });
  await page.setViewportSize({ width: 800, height: 900 });
  await page.goto(`${host.origin}/`);
  const frame = page.frameLocator('iframe');
  await frame.locator('#engine-status[data-loaded="true"]').waitFor({ state: 'attached', timeout: 30000 });
  return { page, frame, problems, logs, workers };
}

async function chooseHome(frame) {
  await frame.locator('#home-coords').fill(HOME);
  await frame.locator('#home-coords-go').click();
  await frame.locator('#nb-list .hit').first().waitFor({ timeout: 20000 });
}

test('the shipped policy is the one in index.html and EMBED.md; the shipped allowlist is empty', async () => {
  const html = await readFile(path.join(dist, 'index.html'), 'utf8');
  // The release build minifies index.html (attributes reordered, quotes dropped where HTML
  // allows): read the element's attributes in any order and either form.
  const tag = html.match(/<meta\b[^>]*\bhttp-equiv="?Content-Security-Policy"?[^>]*>/);
  assert.ok(tag, 'index.html has the policy as a meta element');
  const meta = tag[0].match(/\bcontent="([^"]+)"/)?.[1];
  assert.equal(meta, policy);
  assert.ok(embedDoc.includes('\n' + policy + '\n'), 'EMBED.md quotes static/csp.txt');
  assert.doesNotMatch(policy, /[\s;]'unsafe-eval'|script-src[^;]*unsafe-inline|https?:/, 'no eval, no inline script, no other host');
  const shipped = JSON.parse(await readFile(path.join(dist, 'embed-config.json'), 'utf8'));
  assert.deepEqual(shipped.parent_origins, []);
  // The snippet keeps what EMBED.md promises.
  for (const attr of ['title=', 'loading="lazy"', 'sandbox="allow-scripts allow-same-origin allow-forms"']) assert.ok(snippet.includes(attr), attr);
});

test('embed in a 360-px iframe on another origin, under the CSP header: chrome-less, fits, messages reach the allowlisted host', async () => {
  const { page, frame, problems, workers } = await openHost(env.hostA);
  assert.ok(workers.some((u) => u.replace(/^blob:/, '').startsWith(env.app.origin)), `the frame's worker is watched: ${workers}`);
  // The frame really is cross-origin and runs under the policy.
  const appFrame = page.frames().find((f) => f.url().startsWith(env.app.origin));
  assert.ok(appFrame, 'the app frame is on the app origin');
  assert.notEqual(new URL(page.url()).origin, env.app.origin);
  // The community search by pinyin initials: the worker (started from a blob) fetched the
  // pinyin table beside app.js, under the portal's path and the policy's connect-src 'self'.
  await frame.locator('#home-place').pressSequentially('sypq017');
  await frame.locator('#home-place-list[aria-busy="false"] [role="option"]').first().waitFor({ timeout: 10000 });
  assert.deepEqual(await frame.locator('#home-place-list [role="option"]').allInnerTexts(), ['示意片区 017']);
  await frame.locator('#home-place').press('Escape');
  await frame.locator('#home-place').fill('');
  await chooseHome(frame);
  // Chrome-less resident view.
  assert.equal(await frame.locator('.app-header').isVisible(), false);
  assert.equal(await frame.locator('.tabs').isVisible(), false);
  assert.equal(await frame.locator('#tab-coverage').count(), 0);
  assert.ok(await frame.locator('#nearby-panel').isVisible());
  assert.ok(await frame.locator('#map').isVisible());
  // Fits the 360-px frame: no horizontal scroll.
  const widths = await appFrame.evaluate(() => ({ inner: window.innerWidth, scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.equal(widths.inner, 360, 'the frame is 360 CSS px wide');
  assert.ok(widths.scroll <= widths.client, `no horizontal scroll: ${JSON.stringify(widths)}`);
  const wide = await appFrame.evaluate(() => [...document.querySelectorAll('.app *')]
    .filter((el) => !el.closest('.leaflet-pane') && el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .map((el) => el.id || el.className).slice(0, 5));
  assert.deepEqual(wide, [], 'nothing sticks out to the right');
  // The home message, with exactly the frame's origin as sender.
  await page.waitForFunction(() => window.received.some((m) => m.data?.type === 'home'), null, { timeout: 10000 });
  const received = await page.evaluate(() => window.received);
  const home = received.find((m) => m.data.type === 'home');
  assert.equal(home.origin, env.app.origin);
  assert.equal(home.data.source, 'shuangquan');
  assert.equal(home.data.v, 1);
  assert.ok(Math.abs(home.data.lon - 121.475) < 1e-9 && Math.abs(home.data.lat - 31.229) < 1e-9, JSON.stringify(home.data));
  // Select a posting: its id and walking time arrive.
  const first = frame.locator('#nb-list .hit').first();
  const id = await first.getAttribute('data-id');
  await first.locator('.hit-button').click();
  await page.waitForFunction(() => window.received.some((m) => m.data?.type === 'posting'), null, { timeout: 10000 });
  const posting = (await page.evaluate(() => window.received)).find((m) => m.data.type === 'posting');
  assert.equal(posting.data.id, id);
  const shown = parseFloat(await first.locator('.hit-time').innerText());
  assert.ok(Math.abs(posting.data.seconds / 60 - shown) < 0.06, `seconds ${posting.data.seconds} vs ${shown} min shown`);
  await mkdir('/tmp/shots-a11y', { recursive: true });
  await page.screenshot({ path: '/tmp/shots-a11y/embed-host-list.png' });
  await appFrame.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: '/tmp/shots-a11y/embed-host.png' });
  await screenshot(page, 'embed-host');
  assert.deepEqual(problems, []);
  // The violation listener is live inside the frame, under the header policy: a blocked
  // fetch (connect-src 'self' forbids data:) is reported — so a real violation would be too.
  await appFrame.evaluate(() => fetch('data:,probe').catch(() => {}));
  // (Both the header and the meta policy block it; Chromium also logs its own line.)
  await page.waitForTimeout(300);
  assert.ok(problems.some((p) => /^console\.error: CSP violation: connect-src blocked data/.test(p)), problems.join('\n'));
  assert.ok(problems.every((p) => /data:,probe|CSP violation: connect-src blocked data/.test(p)), problems.join('\n'));
  await page.close();
});

test('a host that is not allowlisted receives nothing', async () => {
  const { page, frame, problems, logs } = await openHost(env.hostB);
  await chooseHome(frame);
  await frame.locator('#nb-list .hit-button').first().click();
  await frame.locator('#route-info').waitFor({ timeout: 10000 });
  // The frame decided (it logs why it posts nothing), and nothing arrived.
  const deadline = Date.now() + 10000;
  while (!logs.some((l) => l.includes('is not in embed-config.json')) && Date.now() < deadline) await page.waitForTimeout(100);
  assert.ok(logs.some((l) => l.includes(`parent ${env.hostB.origin} is not in embed-config.json`)), logs.join('\n'));
  await page.waitForTimeout(500);
  assert.deepEqual(await page.evaluate(() => window.received), []);
  assert.deepEqual(problems, []);
  await page.close();
});
