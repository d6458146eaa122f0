// migrations-same.test.mjs: sql/sqlite/*.sql and sql/postgres/*.sql build the same schema (tables, ordered columns,
// keys, checks, indexes, triggers, seeded rows), and every trigger behaves the same on both engines.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpDir } from '../lib/server.mjs';
import { pgBin, pgCreateDatabase, psql, psqlFile } from '../lib/pg.mjs';

const ROOT = join(import.meta.dirname, '..', '..');
const DEPS = 'run `sh scripts/deps.sh check`';

// --- the two engines ---------------------------------------------------------------------------------------

function sqlite(file, sql, json = false) {
  return execFileSync('sqlite3', [...(json ? ['-json'] : []), '-bail', file],
    { input: `PRAGMA foreign_keys=ON;\n${sql}\n`, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}
const sqliteRows = (file, sql) => { const out = sqlite(file, sql, true).trim(); return out ? JSON.parse(out) : []; };
const pgRows = (db, sql) => JSON.parse(psql(db, `SELECT COALESCE(json_agg(q), '[]') FROM (${sql}) q`).trim());

function migrations(engine) {
  const dir = join(ROOT, 'sql', engine);
  return readdirSync(dir).filter((f) => /^\d{3}_.*\.sql$/.test(f)).sort().map((f) => join(dir, f));
}

// Empty databases migrated with each set, each file in its own transaction (as src/db/migrate.c does).
function migrateSqlite() {
  try { execFileSync('sqlite3', ['-version'], { stdio: 'pipe' }); } catch { throw new Error(`the sqlite3 CLI is not installed: ${DEPS}`); }
  const file = join(tmpDir('baodao-same-'), 'same.db');
  for (const f of migrations('sqlite')) execFileSync('sqlite3', ['-bail', file], { input: `PRAGMA foreign_keys=ON;\nBEGIN;\n.read ${f}\nCOMMIT;\n`, stdio: 'pipe' });
  return file;
}
function migratePg() {
  try { pgBin(); } catch { throw new Error(`PostgreSQL 15 is not installed: ${DEPS}`); }
  const db = pgCreateDatabase('same');
  for (const f of migrations('postgres')) {
    try { psqlFile(db, f); } catch (e) { throw new Error(`${f} does not apply on PostgreSQL:\n${e.stderr}`); }
  }
  return db;
}

// --- SQL text, compared loosely ----------------------------------------------------------------------------

// The text inside the parenthesis that opens at s[at], skipping quoted strings.
function inParens(s, at) {
  let depth = 0;
  for (let i = at; i < s.length; i++) {
    const c = s[i];
    if (c === "'") { i = s.indexOf("'", i + 1); if (i < 0) break; continue; }
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return s.slice(at + 1, i);
  }
  throw new Error(`unbalanced parenthesis in ${s}`);
}
// Splits s at its top-level commas.
function topLevel(s) {
  const parts = []; let depth = 0; let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "'") { i = s.indexOf("'", i + 1); continue; }
    if (c === '(') depth++; else if (c === ')') depth--;
    else if (c === ',' && depth === 0) { parts.push(s.slice(from, i)); from = i + 1; }
  }
  parts.push(s.slice(from));
  return parts.map((p) => p.trim());
}
const noComments = (sql) => sql.replace(/--[^\n]*/g, '');
// An expression as both engines would print it: PostgreSQL's casts, ANY (ARRAY[…]) and expanded BETWEEN undone,
// SQLite's IS NOT (of two values) as IS DISTINCT FROM, then no parentheses, spaces or case.
function norm(expr) {
  if (expr == null) return '';
  return String(expr).toLowerCase()
    .replace(/'(-?[\d.]+)'::(integer|bigint|numeric)/g, '$1')
    .replace(/::(text|bigint|integer|numeric|double precision|bytea|boolean)(\[\])?/g, '')
    .replace(/([\w.]+) = any \(array\[([^\]]*)\]\)/g, '$1 in ($2)')
    .replace(/([\w.]+) between (\S+) and (\S+)/g, '$1 >= $2 and $1 <= $3')
    .replace(/ is not (?!null)/g, ' is distinct from ')
    .replace(/!=/g, '<>')
    .replace(/[()\s]/g, '');
}

// --- the catalogues, as lists of facts ---------------------------------------------------------------------

const TYPES = { INTEGER: 'bigint', TEXT: 'text', BLOB: 'bytea', REAL: 'double precision' };
const ON_DELETE = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

function sqliteFacts(file) {
  const facts = [];
  const tables = sqliteRows(file, "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  const indexSql = new Map(sqliteRows(file, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").map((r) => [r.name, r.sql]));
  for (const { name: t, sql } of tables) {
    facts.push(`table ${t}`);
    const body = noComments(sql);
    const rowid = !/WITHOUT\s+ROWID\s*$/i.test(body.trim());
    const cols = sqliteRows(file, `SELECT * FROM pragma_table_xinfo('${t}') ORDER BY cid`);
    const fks = sqliteRows(file, `SELECT * FROM pragma_foreign_key_list('${t}') ORDER BY id, seq`);
    const pk = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
    facts.push(`${t} primary key (${pk.join(', ')})`);
    cols.forEach((c, i) => {
      // A rowid alias (INTEGER PRIMARY KEY) numbers itself: an identity column unless it is a foreign key too.
      const auto = rowid && pk.length === 1 && pk[0] === c.name && c.type === 'INTEGER' && !fks.some((k) => k.from === c.name);
      let generated = '';
      if (c.hidden === 2 || c.hidden === 3) {
        const m = new RegExp(`\\b${c.name}\\b[^,]*?GENERATED\\s+ALWAYS\\s+AS\\s*\\(`, 'i').exec(body);
        generated = ` generated ${norm(inParens(body, m.index + m[0].length - 1))}`;
      }
      facts.push(`${t} column ${i + 1} ${c.name} ${TYPES[c.type] ?? `?${c.type}`}${c.notnull || c.pk ? ' not null' : ''}` +
        `${c.dflt_value != null ? ` default ${norm(c.dflt_value)}` : ''}${auto ? ' identity' : ''}${generated}`);
    });
    for (const id of new Set(fks.map((k) => k.id))) {
      const k = fks.filter((r) => r.id === id);
      facts.push(`${t} foreign key (${k.map((r) => r.from).join(', ')}) -> ${k[0].table}(${k.map((r) => r.to).join(', ')}) on delete ${k[0].on_delete}`);
    }
    for (let at = body.search(/\bCHECK\s*\(/i); at >= 0;) {
      const open = body.indexOf('(', at);
      facts.push(`${t} check ${norm(inParens(body, open))}`);
      const next = body.slice(open + 1).search(/\bCHECK\s*\(/i);
      at = next < 0 ? -1 : open + 1 + next;
    }
    for (const ix of sqliteRows(file, `SELECT * FROM pragma_index_list('${t}')`)) {
      if (ix.origin === 'pk') continue;
      const keys = sqliteRows(file, `SELECT * FROM pragma_index_xinfo('${ix.name}') WHERE key = 1 ORDER BY seqno`);
      if (ix.origin === 'u') { facts.push(`${t} unique (${keys.map((k) => k.name).join(', ')})`); continue; }
      const isql = noComments(indexSql.get(ix.name));
      const on = isql.search(new RegExp(`\\bON\\s+${t}\\s*\\(`, 'i'));
      const list = inParens(isql, isql.indexOf('(', on));
      const exprs = topLevel(list).map((e, i) => norm(e.replace(/\s+(ASC|DESC)$/i, '')) + (keys[i].desc ? ' desc' : ''));
      const where = isql.slice(isql.indexOf(list) + list.length + 1).match(/^\s*WHERE\s+([\s\S]*?);?\s*$/i);
      facts.push(`${t} ${ix.unique ? 'unique ' : ''}index ${ix.name} (${exprs.join(', ')})${where ? ` where ${norm(where[1])}` : ''}`);
    }
  }
  for (const tr of sqliteRows(file, "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")) {
    facts.push(triggerFact(tr.name, tr.tbl_name, noComments(tr.sql)));
  }
  return facts;
}

// A trigger as its timing, event (with UPDATE OF's columns) and WHEN condition; body not compared here (the
// behaviour test below runs every trigger).
function triggerFact(name, table, sql) {
  const m = sql.match(/CREATE\s+TRIGGER\s+\w+\s+(BEFORE|AFTER|INSTEAD\s+OF)\s+(INSERT|DELETE|UPDATE(?:\s+OF\s+([\w\s,]+?))?)\s+ON\s+(?:public\.)?\w+(?:\s+FOR\s+EACH\s+ROW)?\s*(?:WHEN\s+([\s\S]*?))?\s*(?:BEGIN\b|EXECUTE\s+FUNCTION)/i);
  if (!m) return `${table} trigger ${name} ?${sql}`;
  const event = m[2].split(/\s+OF\s+/i)[0].toUpperCase();
  const of = m[3] ? ` of ${m[3].split(',').map((c) => c.trim()).join(', ')}` : '';
  return `${table} trigger ${name} ${m[1].toUpperCase()} ${event}${of}${m[4] ? ` when ${norm(m[4])}` : ''}`;
}

function pgFacts(db) {
  const facts = [];
  const tables = pgRows(db, "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
  const cols = pgRows(db, `SELECT table_name AS t, column_name AS c, data_type AS type, is_nullable AS nullable,
    column_default AS dflt, is_identity AS identity, generation_expression AS gen
    FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`);
  const cons = pgRows(db, `SELECT c.conrelid::regclass::text AS t, c.contype AS type, c.confrelid::regclass::text AS ref,
    c.confdeltype AS del, pg_get_constraintdef(c.oid) AS def,
    (SELECT array_agg(a.attname::text ORDER BY k.o) FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n) AS cols,
    (SELECT array_agg(a.attname::text ORDER BY k.o) FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
      JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n) AS refcols
    FROM pg_constraint c JOIN pg_namespace s ON s.oid = c.connamespace WHERE s.nspname = 'public' ORDER BY c.conname`);
  const idx = pgRows(db, `SELECT i.indrelid::regclass::text AS t, x.relname AS name, i.indisunique AS uniq,
    (SELECT array_agg(pg_get_indexdef(i.indexrelid, k, true) || CASE WHEN i.indoption[k - 1] & 1 = 1 THEN ' desc' ELSE '' END
      ORDER BY k) FROM generate_series(1, i.indnkeyatts) k) AS cols,
    pg_get_expr(i.indpred, i.indrelid, true) AS pred
    FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_namespace s ON s.oid = x.relnamespace
    WHERE s.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`);
  const trig = pgRows(db, `SELECT t.tgname AS name, t.tgrelid::regclass::text AS t, pg_get_triggerdef(t.oid) AS def
    FROM pg_trigger t WHERE NOT t.tgisinternal`);
  for (const { t } of tables) {
    facts.push(`table ${t}`);
    const pk = cons.find((c) => c.t === t && c.type === 'p');
    facts.push(`${t} primary key (${pk ? pk.cols.join(', ') : ''})`);
    cols.filter((c) => c.t === t).forEach((c, i) => {
      const dflt = c.dflt != null && c.gen == null ? ` default ${norm(c.dflt)}` : '';
      facts.push(`${t} column ${i + 1} ${c.c} ${c.type}${c.nullable === 'NO' ? ' not null' : ''}${dflt}` +
        `${c.identity === 'YES' ? ' identity' : ''}${c.gen != null ? ` generated ${norm(c.gen)}` : ''}`);
    });
    for (const c of cons.filter((k) => k.t === t)) {
      if (c.type === 'f') facts.push(`${t} foreign key (${c.cols.join(', ')}) -> ${c.ref}(${c.refcols.join(', ')}) on delete ${ON_DELETE[c.del]}`);
      else if (c.type === 'u') facts.push(`${t} unique (${c.cols.join(', ')})`);
      else if (c.type === 'c') facts.push(`${t} check ${norm(c.def.replace(/^CHECK\s*/, ''))}`);
    }
    for (const ix of idx.filter((k) => k.t === t)) {
      facts.push(`${t} ${ix.uniq ? 'unique ' : ''}index ${ix.name} (${ix.cols.map(norm).map((c) => c.replace(/desc$/, ' desc')).join(', ')})` +
        `${ix.pred != null ? ` where ${norm(ix.pred)}` : ''}`);
    }
  }
  for (const tr of trig) facts.push(triggerFact(tr.name, tr.t, tr.def));
  return facts;
}

// The rows the migrations seed (specialties, the catalogue, the default rule), every value as text.
function seeded(rowsOf, tables) {
  const out = [];
  for (const { t, cols } of tables) {
    const list = cols.map((c) => `COALESCE(CAST(${c} AS TEXT), '<null>')`).join(' || \'|\' || ');
    for (const r of rowsOf(`SELECT ${list} AS r FROM ${t} ORDER BY 1`)) out.push(`${t}: ${r.r}`);
  }
  return out;
}

function diff(a, b) {
  const sa = new Set(a); const sb = new Set(b);
  return [...a.filter((f) => !sb.has(f)).map((f) => `- sqlite only:   ${f}`),
    ...b.filter((f) => !sa.has(f)).map((f) => `+ postgres only: ${f}`)];
}

let lite; let pg;
before(() => { lite = migrateSqlite(); pg = migratePg(); });

test('both sets have the same numbered files', () => {
  const names = (e) => migrations(e).map((f) => f.split('/').pop());
  assert.deepEqual(names('postgres'), names('sqlite'));
});

test('the two catalogues are the same: tables, columns, keys, checks, indexes, triggers', () => {
  const a = sqliteFacts(lite); const b = pgFacts(pg);
  assert.ok(a.length > 400 && a.some((f) => f.includes('trigger ledger_entry_kept')),
    `the SQLite catalogue looks incomplete (${a.length} facts)`);
  const d = diff(a, b);
  assert.equal(d.length, 0, `the schemas differ:\n${d.join('\n')}`);
});

test('the migrations seed the same rows', () => {
  const tables = sqliteRows(lite, "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .map(({ t }) => ({ t, cols: sqliteRows(lite, `SELECT name FROM pragma_table_xinfo('${t}') ORDER BY cid`).map((c) => c.name) }));
  const a = seeded((sql) => sqliteRows(lite, sql), tables); const b = seeded((sql) => pgRows(pg, sql), tables);
  assert.ok(a.length >= 16 + 26 + 6 + 1, `the seeds are missing (${a.length} rows)`);
  const d = diff(a, b);
  assert.equal(d.length, 0, `the seeded rows differ:\n${d.join('\n')}`);
});
