// compress.mjs: writes a .gz beside every .js/.css/.html/.svg file in dist/ (the server sends them as-is)
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync, constants } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;
const wanted = /\.(js|css|html|svg)$/;

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else yield p;
  }
}

let files = 0, raw = 0, packed = 0;
for (const file of walk(dist)) {
  if (!wanted.test(file)) continue;
  const data = readFileSync(file);
  const gz = gzipSync(data, { level: constants.Z_BEST_COMPRESSION });
  writeFileSync(file + '.gz', gz);
  files++; raw += data.length; packed += gz.length;
}
console.log(`compress: ${files} files in ${relative(process.cwd(), dist) || '.'}, ` +
  `${(raw / 1024).toFixed(0)} KiB → ${(packed / 1024).toFixed(0)} KiB gzipped`);
