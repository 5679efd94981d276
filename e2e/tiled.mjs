// A multi-tile SCALE FIXTURE for the end-to-end tests (never a place): the real street network of
// a small OSM extract repeated n × n times side by side, each copy shifted by the extract's own
// width and height, with short residential links stitching neighbouring copies at their seams
// (the same idea as the team's ../shared/tools/tile_osm.py, written here for node so the tests need
// no Python). Only `highway` ways and the nodes they use are kept; tags other than highway, name,
// foot and access are dropped. The result is written once under target/e2e/ and reused.
import { readFile, writeFile, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { root } from './harness.mjs';

const KEPT_TAGS = new Set(['highway', 'name', 'foot', 'access']);
/** Border nodes stitched per seam, and the gap between copies (a fraction of the tile size). */
const SEAM_NODES = 25;
const GAP = 0.001;

const xmlEscape = (v) => v.replace(/&(?!amp;|lt;|gt;|quot;|apos;)/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** Parses nodes (id → [lon, lat]) and highway ways ({ refs, tags }) from OSM XML text. */
export function parseOsm(xml) {
  const nodes = new Map();
  for (const m of xml.matchAll(/<node\b([^>]*?)\/?>/g)) {
    const attr = m[1];
    const id = /\bid="(-?\d+)"/.exec(attr)?.[1];
    const lat = /\blat="([-\d.]+)"/.exec(attr)?.[1];
    const lon = /\blon="([-\d.]+)"/.exec(attr)?.[1];
    if (id && lat && lon) nodes.set(id, [Number(lon), Number(lat)]);
  }
  const ways = [];
  for (const m of xml.matchAll(/<way\b[^>]*>([\s\S]*?)<\/way>/g)) {
    const body = m[1];
    const refs = [...body.matchAll(/<nd ref="(-?\d+)"/g)].map((r) => r[1]);
    const tags = [...body.matchAll(/<tag k="([^"]*)" v="([^"]*)"/g)].map((t) => [t[1], t[2]]);
    if (tags.some(([k]) => k === 'highway') && refs.length >= 2 && refs.every((r) => nodes.has(r))) {
      ways.push({ refs, tags: tags.filter(([k]) => KEPT_TAGS.has(k)) });
    }
  }
  return { nodes, ways };
}

/**
 * Writes `n × n` copies of `source` (relative to the repository) to target/e2e/ and returns
 * { file, tile: { west, south, width, height } } (the first copy's bounds, in degrees): copy
 * (i, j) is shifted i tiles east and j tiles north.
 */
export async function tiledExtract(source, n) {
  const out = path.join(root, 'target', 'e2e', `${path.basename(source, '.osm')}-tiled-${n}x${n}.osm`);
  const { nodes, ways } = parseOsm(await readFile(path.join(root, source), 'utf8'));
  const used = [...new Set(ways.flatMap((w) => w.refs))];
  const lons = used.map((r) => nodes.get(r)[0]);
  const lats = used.map((r) => nodes.get(r)[1]);
  const west = Math.min(...lons);
  const south = Math.min(...lats);
  const width = Math.max(...lons) - west;
  const height = Math.max(...lats) - south;
  const tile = { west, south, width, height };
  try {
    await stat(out);
    return { file: out, tile };
  } catch {
    // not written yet
  }
  const index = new Map(used.map((r, k) => [r, k]));
  const id = (r, i, j) => 1 + (i * n + j) * used.length + index.get(r);
  const pos = (r, i, j) => {
    const [lon, lat] = nodes.get(r);
    return [lon + i * width * (1 + GAP), lat + j * height * (1 + GAP)];
  };
  const by = (f) => [...used].sort((a, b) => f(a) - f(b)).slice(0, SEAM_NODES);
  const east = by((r) => -nodes.get(r)[0]);
  const westmost = by((r) => nodes.get(r)[0]);
  const north = by((r) => -nodes.get(r)[1]);
  const southmost = by((r) => nodes.get(r)[1]);
  const lines = ["<?xml version='1.0' encoding='UTF-8'?>", "<osm version='0.6' generator='shuangquan e2e tiled.mjs (scale fixture, not a place)'>"];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      for (const r of used) {
        const [lon, lat] = pos(r, i, j);
        lines.push(` <node id="${id(r, i, j)}" lat="${lat.toFixed(7)}" lon="${lon.toFixed(7)}"/>`);
      }
    }
  }
  let wid = 1;
  const way = (refs, tags) => {
    const nds = refs.map((r) => `<nd ref="${r}"/>`).join('');
    const tg = tags.map(([k, v]) => `<tag k="${xmlEscape(k)}" v="${xmlEscape(v)}"/>`).join('');
    lines.push(` <way id="${wid++}">${nds}${tg}</way>`);
  };
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      for (const w of ways) way(w.refs.map((r) => id(r, i, j)), w.tags);
      for (const [from, to, di, dj] of [[east, westmost, 1, 0], [north, southmost, 0, 1]]) {
        if (i + di >= n || j + dj >= n) continue;
        for (const a of from) {
          const pa = pos(a, i, j);
          let best = to[0];
          let bestD = Infinity;
          for (const b of to) {
            const pb = pos(b, i + di, j + dj);
            const d = (pb[0] - pa[0]) ** 2 + (pb[1] - pa[1]) ** 2;
            if (d < bestD) [best, bestD] = [b, d];
          }
          way([id(a, i, j), id(best, i + di, j + dj)], [['highway', 'residential'], ['name', 'seam']]);
        }
      }
    }
  }
  lines.push('</osm>', '');
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, lines.join('\n'));
  return { file: out, tile };
}
