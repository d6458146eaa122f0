// api-postgres.mjs: the API test suite again, on PostgreSQL (`make test-api-pg`): one PostgreSQL 15 server
// (tests/lib/pg.mjs) for every file, each test's server on a database of its own there.
// Left out: the files that do the same on either engine (they choose their engines themselves).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pgHost } from './lib/pg.mjs';

const SAME_EITHER_WAY = new Set(['migrations-same', 'schema-checks', 'routes-covered', 'multi-server', 'failover', 'move']);
const dir = join(import.meta.dirname, 'api');
const files = readdirSync(dir).filter((f) => f.endsWith('.test.mjs') && !SAME_EITHER_WAY.has(f.slice(0, -'.test.mjs'.length)))
  .sort().map((f) => join(dir, f));
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...process.argv.slice(2), ...files], {
  stdio: 'inherit', env: { ...process.env, BAODAO_TEST_ENGINE: 'postgres', BAODAO_PG_HOST: pgHost() },
});
process.exitCode = r.status ?? 1;
