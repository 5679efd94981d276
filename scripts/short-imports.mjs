// Trunk post_build hook (Trunk.toml): gives wasm-bindgen's imports and exports short names in
// app_bg.wasm and app.js together, and minifies app.js.
//
// wasm-bindgen names each import `__wbg_<method>_<16 hex digits>` (and `__wbindgen_generic_<16
// hex digits>`) and writes that name twice: in the wasm's import section and as a key of the
// import object in app.js. The hex digits do not compress: ≈ 12 KB of the bundle's gzip for
// ≈ 370 imports (BENCHMARKS.md "One module for page and worker"). This renames each to `w<n>`
// in both files; the closure adapters that the wasm exports under their symbols (the web-ui
// profile keeps the functions' names for wasm-opt) become `x<n>`. Nothing else changes (the
// import and export sections are rewritten byte for byte apart from the names). The build fails
// when a name is not found exactly once in app.js, so a changed glue format cannot ship half
// renamed. The custom sections (`producers`, `target_features`: for tools, not browsers) are
// dropped, and so is the rust link trunk leaves in index.html.
//
// Then, in release builds (as trunk's `minify = "on_release"`), app.js is minified with terser
// (npm devDependency; trunk's own JS minifier does not parse wasm-bindgen's `export default`):
// names inside the module shortened, whitespace and comments gone, the exports (`default`,
// `initSync`) and the import object's keys kept (≈ 2.4 KB gzip; BENCHMARKS.md "Room in the
// bundle for the split search"). No `eval`: the page's CSP holds.
//
//   TRUNK_STAGING_DIR=dist node scripts/short-imports.mjs   (trunk sets the variable)
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { minify } from 'terser';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('short-imports: TRUNK_STAGING_DIR is not set (run by trunk)');
const wasmPath = path.join(dir, 'app_bg.wasm');
const jsPath = path.join(dir, 'app.js');
const wasm = readFileSync(wasmPath);
let js = readFileSync(jsPath, 'utf8');

function uleb(buf, at) {
  let value = 0, shift = 0, byte;
  do {
    byte = buf[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
}

function leb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return Buffer.from(out);
}

/** Skips an import's description (function, table, memory, global or tag) from `at`. */
function skipDesc(buf, at) {
  const kind = buf[at++];
  if (kind === 0 || kind === 4) return uleb(buf, at + (kind === 4 ? 1 : 0))[1];
  if (kind === 1) {
    at += 1; // reference type
    const flags = buf[at++];
    at = uleb(buf, at)[1];
    return flags & 1 ? uleb(buf, at)[1] : at;
  }
  if (kind === 2) {
    const flags = buf[at++];
    at = uleb(buf, at)[1];
    return flags & 1 ? uleb(buf, at)[1] : at;
  }
  if (kind === 3) return at + 2;
  throw new Error(`short-imports: unknown import kind ${kind}`);
}

const renamed = new Map();
const exported = new Map();

/** A section's size and body. */
function sized(body) {
  return [leb(body.length), body];
}

/** The export section at `p` with wasm-bindgen's closure adapters given short names. */
function exportsRenamed(p) {
  let count;
  [count, p] = uleb(wasm, p);
  const out = [leb(count)];
  for (let i = 0; i < count; i++) {
    const [nameLen, n] = uleb(wasm, p);
    const name = wasm.subarray(n, n + nameLen).toString('utf8');
    const kind = wasm[n + nameLen];
    const descEnd = uleb(wasm, n + nameLen + 1)[1];
    let short = name;
    // With the functions' names kept for wasm-opt (Cargo.toml's web-ui profile), wasm-bindgen
    // exports its closure adapters under their symbols (`…closures_____invoke__h<16 hex>`).
    if (/^wasm_bindgen__convert__closures_+invoke__h[0-9a-f]{16}(_\d+)?$/.test(name)) {
      short = `x${exported.size.toString(36)}`;
      exported.set(name, short);
    }
    const shortBytes = Buffer.from(short, 'utf8');
    out.push(leb(shortBytes.length), shortBytes, Buffer.from([kind]), wasm.subarray(n + nameLen + 1, descEnd));
    p = descEnd;
  }
  return Buffer.concat(out);
}

const parts = [wasm.subarray(0, 8)];
let at = 8;
while (at < wasm.length) {
  const start = at;
  const id = wasm[at++];
  const [size, body] = uleb(wasm, at);
  at = body + size;
  // Custom sections (wasm-opt leaves `producers` and `target_features`, ≈ 190 bytes) are for
  // tools, never read by a browser: dropped.
  if (id === 0) continue;
  if (id === 7) {
    parts.push(Buffer.from([7]), ...sized(exportsRenamed(body)));
    continue;
  }
  if (id !== 2) {
    parts.push(wasm.subarray(start, at));
    continue;
  }
  let [count, p] = uleb(wasm, body);
  const out = [leb(count)];
  for (let i = 0; i < count; i++) {
    const [modLen, m] = uleb(wasm, p);
    const mod = wasm.subarray(m, m + modLen);
    const [nameLen, n] = uleb(wasm, m + modLen);
    const name = wasm.subarray(n, n + nameLen).toString('utf8');
    const descEnd = skipDesc(wasm, n + nameLen);
    let short = name;
    if (/^__wbg_\w+_[0-9a-f]{16}$/.test(name) || /^__wbindgen_generic_[0-9a-f]{16}$/.test(name)) {
      if (!renamed.has(name)) renamed.set(name, `w${renamed.size.toString(36)}`);
      short = renamed.get(name);
    }
    const shortBytes = Buffer.from(short, 'utf8');
    out.push(leb(modLen), mod, leb(shortBytes.length), shortBytes, wasm.subarray(n + nameLen, descEnd));
    p = descEnd;
  }
  const section = Buffer.concat(out);
  parts.push(Buffer.from([2]), leb(section.length), section);
}

// An import's name is a key of the import object, once; an export is called as `wasm.<name>`,
// once (the glue's local function of the same name is renamed by terser). Whole words only:
// one adapter's name can be another's with `_7` after it.
const uses = [
  ...[...renamed].map(([name, short]) => [name, short, '']),
  ...[...exported].map(([name, short]) => [name, short, 'wasm\\.']),
];
for (const [name, short, before] of uses) {
  const word = new RegExp(`\\b${before}${name}\\b`, 'g');
  const found = js.match(word)?.length ?? 0;
  if (found !== 1) throw new Error(`short-imports: ${name} is in app.js ${found} times, not once`);
  js = js.replace(word, (m) => m.slice(0, m.length - name.length) + short);
}
let note = '';
if (process.env.TRUNK_PROFILE === 'release') {
  const minified = await minify(js, { module: true, compress: true, mangle: true });
  if (!minified.code) throw new Error('short-imports: terser returned no code for app.js');
  note = `; app.js minified, ${js.length} → ${minified.code.length} bytes`;
  js = minified.code;
}
// Trunk leaves the `<link data-trunk rel="rust" …>` it built from in index.html (the scripts are
// not injected: boot.js loads app.js), with wasm-opt's flags: ≈ 350 bytes a browser ignores.
const htmlPath = path.join(dir, 'index.html');
const html = readFileSync(htmlPath, 'utf8');
const page = html.replace(/<link\b[^>]*\bdata-trunk\b[^>]*>\s*/g, '');
writeFileSync(wasmPath, Buffer.concat(parts));
writeFileSync(jsPath, js);
writeFileSync(htmlPath, page);
console.log(`short-imports: ${renamed.size} imports and ${exported.size} exports renamed${note}`);
