// A planner's own data, kept: a real OSM extract and a stations CSV whose layer cannot be told
// are dropped on a package, the CSV's layer is chosen in the report, the page is reloaded and
// the same network, facilities and stations are back (kept in IndexedDB); "export package"
// gives a ZIP that `shuangquan check` passes. Bad input (truncated PBF, ways pointing at missing
// nodes, no walkable way, a file over the size limit) is named and loses nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdtemp, mkdir, readFile, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { inflateRawSync, crc32 } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { withBrowser, openPage, screenshot, root, cli } from './harness.mjs';

const env = withBrowser();
const PKG = 'nanjing-xinjiekou';
const osmFile = path.join(root, 'data', 'sources', 'nanjing', 'nanjing_xinjiekou.osm');
// Two stations near 新街口 in a file whose name and columns say nothing of its layer.
const stationsCsv = {
  name: 's8_st.csv', mimeType: 'text/csv',
  buffer: Buffer.from('id,lon,lat,name\ns1,118.7840,32.0420,站一\ns2,118.7790,32.0450,站二\n'),
};

/**
 * Reads a ZIP through its central directory (APPNOTE 4.3.12); stored or deflated entries, each
 * checked against its CRC-32. `methods` gets each entry's method (0 stored, 8 deflated).
 */
function unzip(buf, methods = new Map()) {
  let end = buf.length - 22;
  while (end >= 0 && buf.readUInt32LE(end) !== 0x06054b50) end--;
  assert.ok(end >= 0, 'end of central directory');
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const out = new Map();
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(at), 0x02014b50);
    const method = buf.readUInt16LE(at + 10);
    const csize = buf.readUInt32LE(at + 20);
    const size = buf.readUInt32LE(at + 24);
    const nlen = buf.readUInt16LE(at + 28);
    const xlen = buf.readUInt16LE(at + 30);
    const clen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nlen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + csize);
    const data = method === 8 ? inflateRawSync(raw) : raw;
    assert.equal(data.length, size, name);
    assert.equal(crc32(data), buf.readUInt32LE(at + 16), `${name}: CRC-32`);
    methods.set(name, method);
    out.set(name, data);
    at += 46 + nlen + xlen + clen;
  }
  return out;
}


const reportOf = (page, file) => page.locator(`.import-report[data-file="${file}"]`);

test('dropped files come back after a reload; the exported package passes shuangquan check', async () => {
  const { page, problems } = await openPage(env.context, { keepImports: true });
  await page.goto(`${env.server.url}?pkg=${PKG}&tab=data`);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  await page.waitForSelector('#import-limit');
  assert.match(await page.locator('#import-limit').innerText(), /单个文件最大 200 MB/);
  const layersBefore = await page.locator('#package-panel .layer-item').count();

  // The street label points on the map (map/sync.rs: `#map[data-street-labels]`): the
  // package's before the drop.
  const LABELS = () => page.evaluate(() => Number(document.querySelector('#map')?.dataset.streetLabels ?? 0));
  const packageLabels = await LABELS();
  const osmBuffer = { name: path.basename(osmFile), mimeType: 'application/xml', buffer: await readFile(osmFile) };
  await page.setInputFiles('#import-input', [osmBuffer, stationsCsv]);
  await page.waitForSelector('.import-report[data-file="nanjing_xinjiekou.osm"]', { timeout: 30000 });
  // The CSV's layer cannot be told: the report asks, with one select.
  await page.waitForSelector('.import-report[data-file="s8_st.csv"] .layer-choice select', { timeout: 30000 });
  assert.equal(await reportOf(page, 's8_st.csv').getAttribute('data-loaded'), '0');
  await page.locator('.import-report[data-file="s8_st.csv"] .layer-choice').scrollIntoViewIfNeeded();
  await screenshot(page, 'owndata-layer-select');
  await page.selectOption('.import-report[data-file="s8_st.csv"] .layer-choice select', 'stations');
  await page.click('.import-report[data-file="s8_st.csv"] .import-as');
  await page.waitForSelector('.import-report[data-file="s8_st.csv"][data-loaded="2"]', { timeout: 30000 });
  assert.equal(await page.locator('.import-report[data-file="s8_st.csv"][data-loaded="2"]').getAttribute('data-layers'), 'stations:2');
  await page.waitForSelector('#kept-files[data-count="2"]', { timeout: 30000 });

  const osm = reportOf(page, 'nanjing_xinjiekou.osm');
  const osmLayers = await osm.getAttribute('data-layers');
  assert.match(osmLayers, /streets:\d+/);
  assert.match(osmLayers, /facilities:[1-9]\d*/);
  assert.match(await page.locator('#imported-network-banner').innerText(), /步行路网已用导入的文件重建：nanjing_xinjiekou\.osm/);
  // The imported streets' label points follow the network's answer.
  await page.waitForFunction((n) => Number(document.querySelector('#map')?.dataset.streetLabels ?? 0) > n, packageLabels, { timeout: 30000 });
  const withImport = await LABELS();

  // Reload: the kept files are imported again, the chosen layer with them (no question).
  await page.reload();
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  await page.waitForSelector('.import-report[data-file="s8_st.csv"][data-loaded="2"]', { timeout: 30000 });
  await page.waitForSelector('.import-report[data-file="nanjing_xinjiekou.osm"]', { timeout: 30000 });
  assert.equal(await osm.getAttribute('data-layers'), osmLayers, 'the same streets and facilities');
  assert.equal(await page.locator('.layer-choice').count(), 0);
  assert.equal(await page.locator('.import-report').count(), 2);
  assert.match(await page.locator('#imported-network-banner').innerText(), /nanjing_xinjiekou\.osm/);
  // The same label points as before the reload: the kept file's second answer came too.
  await page.waitForFunction((n) => Number(document.querySelector('#map')?.dataset.streetLabels ?? 0) === n, withImport, { timeout: 30000 }).catch(async () => {
    assert.fail(`street label points after the reload: ${await LABELS()}, before it ${withImport}`);
  });
  assert.match(await page.locator('#kept-files').innerText(), /已保存 2 个文件.*nanjing_xinjiekou\.osm、s8_st\.csv/s);
  assert.equal(await page.locator('#package-panel .layer-item').count(), layersBefore);
  await page.locator('#kept-block').scrollIntoViewIfNeeded();
  await screenshot(page, 'owndata-after-reload');

  // Export: a ZIP of the package folder, which the CLI's check passes.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-package')]);
  await page.waitForSelector('#export-status[data-done="true"]');
  assert.equal(download.suggestedFilename(), `${PKG}.zip`);
  const dir = await mkdtemp(path.join(tmpdir(), 'sq-owndata-'));
  try {
    const zipPath = path.join(dir, 'export.zip');
    await download.saveAs(zipPath);
    const methods = new Map();
    const entries = unzip(await readFile(zipPath), methods);
    assert.ok(entries.has(`${PKG}/manifest.json`));
    // Deflated by the browser's CompressionStream (the wasm has no deflate of its own).
    assert.deepEqual([...methods].filter(([, m]) => m !== 8), [], 'every entry deflated');
    // The imported extract's streets are a PBF layer (raw blocks from the browser build, read
    // back by the CLI's check below).
    assert.ok([...entries.keys()].some((n) => n.endsWith('.osm.pbf')), [...entries.keys()].join(', '));
    for (const [name, data] of entries) {
      await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await writeFile(path.join(dir, name), data);
    }
    const manifest = JSON.parse(entries.get(`${PKG}/manifest.json`).toString('utf8'));
    const st = manifest.layers.find((l) => l.id === 's8_st-stations');
    assert.equal(st.count, 2);
    assert.equal(st.kind, 'stations');
    // check exits 1 on any rejected record: execFileSync throws then, with the output.
    const out = execFileSync(cli(), ['check', path.join(dir, PKG)], { encoding: 'utf8' });
    assert.match(out, /0 problems \(0 errors\)/);
    assert.match(out, /s8_st-stations 2/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  // 清除导入: the kept files are removed and the page reopens with the package alone.
  await Promise.all([page.waitForEvent('load'), page.click('#forget-files')]);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  // Once the kept files are read back there are none, so nothing is imported again.
  await page.waitForSelector('#kept-block[data-read="true"]', { timeout: 30000 });
  assert.equal(await page.locator('#kept-files').count(), 0);
  assert.equal(await page.locator('.import-report').count(), 0);
  assert.equal(await page.locator('#imported-network-banner').count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a refused IndexedDB write is named; the file stays imported for this page', async () => {
  const { page, problems } = await openPage(env.context);
  await page.addInitScript(() => {
    IDBObjectStore.prototype.put = function put() {
      throw new DOMException('quota exceeded', 'QuotaExceededError');
    };
  });
  await page.goto(`${env.server.url}?pkg=${PKG}&tab=data`);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  await page.setInputFiles('#import-input', [{ ...stationsCsv, name: 'stations-extra.csv' }]);
  await page.waitForSelector('.import-report[data-file="stations-extra.csv"][data-loaded="2"]', { timeout: 30000 });
  await page.waitForSelector('#notice-banner', { timeout: 30000 });
  assert.match(await page.locator('#notice-banner').innerText(), /stations-extra\.csv 未能保存在本浏览器/);
  assert.equal(await page.locator('#kept-files').count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('bad OSM input and an oversized file are named, in Chinese, and lose nothing', async () => {
  const hostile = (f) => path.join(root, 'tests', 'fixtures', 'osm-hostile', f);
  const { page, problems } = await openPage(env.context);
  await page.goto(`${env.server.url}?pkg=${PKG}&tab=data`);
  await page.waitForSelector('#engine-status[data-loaded="true"]', { timeout: 30000 });
  const layersBefore = await page.locator('#package-panel .layer-item').count();
  await page.setInputFiles('#import-input', [
    hostile('truncated-mid-blob.osm.pbf'), hostile('missing-nodes.osm'), hostile('no-walkable-ways.osm'),
  ]);
  for (const f of ['truncated-mid-blob.osm.pbf', 'missing-nodes.osm', 'no-walkable-ways.osm']) {
    await page.waitForSelector(`.import-report[data-file="${f}"]`, { timeout: 30000 });
  }
  // The truncated file loads nothing; a file with no walkable way does not rebuild the network
  // (the clipped way of missing-nodes.osm that keeps two nodes does).
  assert.equal(await reportOf(page, 'truncated-mid-blob.osm.pbf').getAttribute('data-loaded'), '0');
  // Each problem in its own Chinese sentence, with its parameters.
  const said = {
    'truncated-mid-blob.osm.pbf': /truncated-mid-blob\.osm\.pbf：OSM PBF 文件在第 \d+ 字节处中断（.*不完整），文件可能未完整下载，整个文件未载入/,
    'missing-nodes.osm': /missing-nodes\.osm：路段（way）11：3 个节点引用中有 3 个不在此数据中/,
    'no-walkable-ways.osm': /no-walkable-ways\.osm：没有可步行的道路：\d+ 条道路均不可步行/,
  };
  for (const [f, re] of Object.entries(said)) {
    assert.match(await reportOf(page, f).innerText(), re);
  }
  assert.equal(await page.locator('#imported-network-banner').innerText(), '步行路网已用导入的文件重建：missing-nodes.osm');

  // Over the limit: refused from its size, before a byte is read (a sparse 201 MB file).
  await page.evaluate(() => {
    const input = document.querySelector('#import-input');
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(201 * 1024 * 1024)], 'huge.osm.pbf'));
    input.files = dt.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await page.waitForSelector('.import-report[data-file="huge.osm.pbf"]', { timeout: 30000 });
  assert.match(await reportOf(page, 'huge.osm.pbf').innerText(), /超过 209715200 字节的上限/);
  // Nothing already loaded was lost, and the page still computes on the package's network.
  assert.equal(await page.locator('#package-panel .layer-item').count(), layersBefore);
  // Only files that loaded something are kept (the truncated and the oversized ones are not).
  await page.waitForSelector('#kept-files[data-count="2"]', { timeout: 30000 });
  assert.doesNotMatch(await page.locator('#kept-files').innerText(), /truncated|huge/);
  await page.click('#tab-iso');
  await page.locator('#map').focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('#iso-figures', { timeout: 20000 });
  await screenshot(page, 'owndata-bad-input');
  assert.deepEqual(problems, []);
  await page.close();
});
