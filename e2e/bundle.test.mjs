// The release bundle in dist/ (after `trunk build --release`): under the 900 KB gzip line, and
// the post-build hook's work done (scripts/short-imports.mjs): app.js minified, the wasm's
// custom sections dropped, no trunk link left in index.html. No browser needed.
//
//   DIST=/path/to/dist node --test e2e/bundle.test.mjs   (DIST defaults to the repo's dist/)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { dist as repoDist } from './harness.mjs';

const dist = process.env.DIST ?? repoDist;
const read = (f) => readFileSync(path.join(dist, f));

/** The files a page load fetches before it is interactive (scripts/bundle-size.sh's total). */
const START_UP = [
  'app_bg.wasm',
  'app.js',
  'boot.js',
  'app.css',
  'map.css',
  'leaflet.js',
  'leaflet.css',
  'index.html',
];

test('the start-up files are under 900,000 bytes gzip', () => {
  // GNU gzip -9, as scripts/bundle-size.sh measures (node's zlib gives ≈ 0.8 % more).
  const gz = (f) => execFileSync('gzip', ['-9', '-c', path.join(dist, f)]).length;
  const sizes = START_UP.map((f) => [f, gz(f)]);
  const total = sizes.reduce((sum, [, n]) => sum + n, 0);
  assert.ok(total < 900_000, `bundle ${total} B gzip: ${JSON.stringify(sizes)}`);
});

test('app.js is minified', () => {
  const js = read('app.js').toString('utf8');
  const lines = js.split('\n').length;
  assert.ok(lines < 20, `app.js has ${lines} lines: not minified`);
  assert.ok(js.includes('export{'), 'app.js keeps its exports');
});

test('the wasm module has no custom sections', () => {
  const wasm = read('app_bg.wasm');
  const names = [];
  let at = 8;
  const uleb = () => {
    let value = 0;
    let shift = 0;
    let byte;
    do {
      byte = wasm[at++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  };
  while (at < wasm.length) {
    const id = wasm[at++];
    const size = uleb();
    const end = at + size;
    if (id === 0) {
      const len = uleb();
      names.push(wasm.subarray(at, at + len).toString('utf8'));
    }
    at = end;
  }
  assert.deepEqual(names, []);
});

test('index.html keeps no trunk link', () => {
  const html = read('index.html').toString('utf8');
  assert.ok(!html.includes('data-trunk'), 'a data-trunk element is left in index.html');
  assert.ok(html.includes('boot.js'), 'index.html still loads boot.js');
});
