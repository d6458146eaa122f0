// sizes.mjs: prints the gzipped size of what each entry's first page loads (run after `npm run build`)
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, constants } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;
const manifestPath = join(dist, '.vite/manifest.json');
if (!existsSync(manifestPath)) {
  console.error('sizes: dist/.vite/manifest.json not found; run `npm run build` first');
  process.exit(1);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const BUDGET = 1024 * 1024; // 1 MiB gzipped per first page

const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: constants.Z_BEST_COMPRESSION }).length;
const raw = (file) => readFileSync(join(dist, file)).length;

// Every file a manifest chunk needs before it runs: itself, its static imports, their CSS.
function closure(keys, files = new Set(), seen = new Set()) {
  for (const key of keys) {
    if (seen.has(key)) continue;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`sizes: ${key} is not in the manifest`);
    if (chunk.file && !chunk.file.endsWith('.html')) files.add(chunk.file);
    for (const css of chunk.css || []) files.add(css);
    closure(chunk.imports || [], files, seen);
  }
  return files;
}

// page → [html, manifest keys loaded before the page shows]
const pages = [
  ['/ (landing)', 'index.html', ['index.html']],
  ['/admin/ login page', 'admin/index.html', ['admin/index.html', 'src/admin/views/LoginView.vue']],
  // The workbench is the role's own chunk: each role's first page after login.
  ...[['staff', 'StaffBench'], ['org', 'OrgBench'], ['unit', 'UnitBench']].map(([role, bench]) => [
    `/admin/ after login (${role})`, 'admin/index.html',
    ['admin/index.html', 'src/admin/views/DashboardView.vue', `src/admin/components/${bench}.vue`]]),
  ['/m/ login page', 'm/index.html', ['m/index.html', 'src/mobile/views/LoginView.vue']],
  ['/m/ after login (home)', 'm/index.html', ['m/index.html']],
  // Opened directly (a bookmark or a reload): the entry plus the lazy page.
  ['/admin/members (member list)', 'admin/index.html', ['admin/index.html', 'src/admin/views/MembersView.vue']],
  ['/admin/import (import wizard)', 'admin/index.html', ['admin/index.html', 'src/admin/views/ImportView.vue']],
  ['/m/report/new (report-in form)', 'm/index.html', ['m/index.html', 'src/mobile/views/ReportFormView.vue']],
  ['/m/signup (a poster\'s QR)', 'm/index.html', ['m/index.html', 'src/mobile/views/SignupView.vue']],
];

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const echartsFiles = Object.values(manifest).filter((c) => /echarts/.test(c.file)).map((c) => c.file);
let over = false;

console.log('page'.padEnd(34) + 'files'.padStart(6) + 'raw'.padStart(12) + 'gzipped'.padStart(12));
for (const [name, html, keys] of pages) {
  const files = [html, ...closure(keys)];
  const r = files.reduce((s, f) => s + raw(f), 0);
  const g = files.reduce((s, f) => s + gz(f), 0);
  const hasCharts = files.some((f) => echartsFiles.includes(f));
  if (g >= BUDGET) over = true;
  console.log(name.padEnd(34) + String(files.length).padStart(6) + kib(r).padStart(12) + kib(g).padStart(12) +
    (hasCharts ? '  (includes ECharts!)' : ''));
}
for (const f of echartsFiles) console.log(`lazy: ${f} ${kib(raw(f))} raw, ${kib(gz(f))} gzipped (loaded on first chart)`);
console.log(over ? 'OVER BUDGET: a first page is 1 MiB gzipped or more' : 'budget: every first page is below 1 MiB gzipped');
process.exit(over ? 1 : 0);
