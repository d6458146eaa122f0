// schema-checks.test.mjs: the SQLite schema's value lists are written as comparisons (013_check_lists.sql) and
// still refuse what they always refused: an IN list of three constants or more costs a temporary b-tree on every
// statement that checks it
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, ADMIN_PASSWORD } from '../lib/server.mjs';

const dir = mkdtempSync(join(tmpdir(), 'baodao-schema-'));
const db = join(dir, 'baodao.db');
writeFileSync(join(dir, 'pw'), ADMIN_PASSWORD + '\n', { mode: 0o600 });
cli(db, ['init', '--admin-password-file', join(dir, 'pw')]);
const sqlite = (sql) => execFileSync('sqlite3', [db, sql], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }).trim();

test('no table of a new database checks a column against a list of three constants or more', () => {
  const lists = /\b\w+ IN \(\s*'[^']*'(\s*,\s*'[^']*'){2,}\s*\)/g;
  const found = sqlite("SELECT name || ': ' || replace(sql, char(10), ' ') FROM sqlite_schema WHERE type = 'table'")
    .split('\n').flatMap((line) => (line.match(lists) ?? []).map((m) => `${line.split(':')[0]}: ${m}`));
  assert.deepEqual(found, [], 'write such a CHECK as (col = … OR col = …)');
  assert.equal(sqlite('PRAGMA integrity_check'), 'ok');
});

test('the rewritten constraints still refuse a value outside the list and take one inside it', () => {
  // SQLite names the failed constraint by its text: the list, as comparisons.
  const refused = (col, sql) => assert.throws(() => sqlite(sql), new RegExp(`CHECK constraint failed: \\(${col} = '`), sql);
  const region = (level) => "INSERT INTO region (code, level, name, full_name, path, created_at) " +
    `VALUES ('99', '${level}', '测试', '测试', '/99/', 0)`;
  refused('level', region('village'));
  refused('kind', "INSERT INTO ledger_account (book, kind, member_id) VALUES ('points', 'bank', NULL)");
  refused('role', "UPDATE role_grant SET role = 'root'");
  // A value in the list goes in (inside a transaction rolled back, so the file stays as init made it).
  assert.equal(sqlite(`BEGIN; ${region('street')}; SELECT changes(); ROLLBACK;`), '1');
});
