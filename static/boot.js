// Loads the wasm app. Kept as a file (not an inline script) so the page runs under a strict
// Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval'.
import init from './app.js';

init({ module_or_path: new URL('./app_bg.wasm', import.meta.url) }).then((wasm) => {
  // The page's wasm memory, read by the soak test (e2e/soak.test.mjs) to measure its growth.
  globalThis.shuangquanMemory = wasm.memory;
}).catch((err) => {
  const el = document.getElementById('boot-status');
  if (el) {
    el.textContent = '加载失败 / Failed to load: ' + String(err);
    el.classList.add('boot-error');
  }
  console.error(err);
});
