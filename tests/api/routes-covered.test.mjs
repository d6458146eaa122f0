// routes-covered.test.mjs: every route of the route table is called by some API test (so each has its matrix and hostile cases)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../lib/server.mjs';

test('each route of src/api/routes.c appears in the API tests, with its method', () => {
  const table = readFileSync(join(ROOT, 'src/api/routes.c'), 'utf8');
  const routes = [...table.matchAll(/\{ "(GET|POST|PUT|PATCH|DELETE)", "(\/api\/v1\/[^"]*)"/g)].map((m) => [m[1], m[2]]);
  assert.ok(routes.length > 40, 'the table was read');
  const dir = join(ROOT, 'tests/api');
  const sources = readdirSync(dir).filter((f) => f.endsWith('.mjs') && f !== 'routes-covered.test.mjs')
    .map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
  const missing = [];
  for (const [method, path] of routes) {
    // A parameter is written as a literal or a ${…} expression; a query may follow.
    const pattern = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[a-z_]+\}/g, '(?:\\$\\{[^}]+\\}|[^/\'"`?]+)');
    const re = new RegExp(`['"\`]${pattern}(?:[?'"\`]|\\$\\{)`);
    const verb = method === 'GET' ? /\.get\(|'GET'|GET /: new RegExp(`\\.${method.toLowerCase()}\\(|'${method}'|${method} `);
    const calls = sources.split('\n').filter((line) => re.test(line));
    if (!calls.length || (method !== 'GET' && !calls.some((l) => verb.test(l)))) missing.push(`${method} ${path}`);
  }
  assert.deepEqual(missing, [], 'routes no API test calls');
});
