// Builds web/dist: the two pages and their bundles under dist/assets/.
// Fixed file names (the server routes /assets/* to dist/assets/*); nothing is
// loaded from elsewhere, and the pages contain no inline script (strict CSP).

import * as esbuild from 'esbuild';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { countryOptions } from './src/sign.js';

const dist = new URL('./dist/', import.meta.url);
await rm(dist, { recursive: true, force: true });
await mkdir(new URL('assets/', dist), { recursive: true });

await esbuild.build({
  absWorkingDir: new URL('.', import.meta.url).pathname,
  entryPoints: {
    create: 'src/create.js',
    editor: 'src/editor.js',
    published: 'src/published.js',
    kiosk: 'src/kiosk.js',
    translate: 'src/translate.js',
    app: 'src/app.css',
  },
  outdir: 'dist/assets',
  bundle: true,
  minify: true,
  sourcemap: 'linked',
  format: 'iife',
  platform: 'browser',
  // Phones that are a few years old.
  target: ['chrome87', 'firefox78', 'safari14.1', 'edge88'],
  // sockjs-client was written for Browserify: it expects `global` and
  // process.env.NODE_ENV, and leaves its debug logging out in production.
  define: {
    global: 'globalThis',
    'process.env.NODE_ENV': '"production"',
  },
  legalComments: 'linked',
  logLevel: 'info',
});

for (const page of ['index.html', 'editor.html', 'translate.html']) {
  await copyFile(new URL(`./src/${page}`, import.meta.url), new URL(page, dist));
}
// The sign forms work without JavaScript too, so their country options are in the page
// (English names; the script renames and re-sorts them in the page's language).
const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
const options = countryOptions('en').map(([code, name]) => `<option value="${code}">${escape(name)}</option>`).join('\n            ');
for (const page of ['published.html', 'kiosk.html']) {
  const html = await readFile(new URL(`./src/${page}`, import.meta.url), 'utf8');
  if (!html.includes('<!-- countries -->')) throw new Error(`${page}: no <!-- countries --> placeholder`);
  await writeFile(new URL(page, dist), html.replace('<!-- countries -->', options));
}
await copyFile(new URL('./src/favicon.svg', import.meta.url), new URL('assets/favicon.svg', dist));
