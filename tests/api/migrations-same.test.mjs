// migrations-same.test.mjs: sql/sqlite/*.sql and sql/postgres/*.sql build the same schema (tables, ordered columns,
// keys, checks, indexes, triggers, seeded rows), and every trigger behaves the same on both engines.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpDir } from '../lib/server.mjs';
import { pgBin, pgCreateDatabase, pgDropDatabase, psql, psqlFile } from '../lib/pg.mjs';

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
  const dir = tmpDir('baodao-same-');
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'same.db');
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
after(() => { if (pg) pgDropDatabase(pg); });

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

// --- every trigger, run on both engines ---------------------------------------------------------------------

// Each step runs on both engines (one statement, the same text); a query's rows must be the same, a refused
// statement must fail on both with the trigger's message. fires: the triggers the step sets off.
const C = "'440111002011'"; const C2 = "'440111002012'";
const MEMBER = 'INSERT INTO member (name, gender, birth_date, phone, id_number_sealed, id_number_hash, id_number_masked, unit_id, community_code, state, account_id, created_at, updated_at) VALUES';
const STEPS = [
  { sql: `INSERT INTO region (code, parent, level, name, full_name, path, created_at) VALUES
    ('44', NULL, 'city', 'G', 'G', '/44/', 0), ('4401', '44', 'district', 'D', 'D', '/44/4401/', 0),
    ('440111', '4401', 'street', 'S', 'S', '/44/4401/440111/', 0),
    ('440111002', '440111', 'community', 'C', 'C', '/44/4401/440111/440111002/', 0),
    (${C}, '440111002', 'grid', 'g1', 'g1', '/x/', 0), (${C2}, '440111002', 'grid', 'g2', 'g2', '/y/', 0)` },
  { sql: "INSERT INTO unit (name, party_org_name, type, region_code, created_at, updated_at) VALUES ('U1', 'P1', 'organ', '440111', 0, 0), ('U2', 'P2', 'soe', '440111', 0, 0)", fires: ['unit_tally_unit'] },
  { sql: "INSERT INTO account (login, name, password_hash, password_changed_at, created_at) VALUES ('a1', 'A', 'x', 0, 0)" },
  { sql: "INSERT INTO roster_entry (unit_id, name, id_number_hash, id_number_masked, created_at) VALUES (1, 'A', 'h1', 'm', 0), (1, 'B', 'h2', 'm', 0)",
    fires: ['roster_state_insert', 'unit_tally_roster_insert'] },
  { sql: `${MEMBER} ('A', 'M', '1980-01-01', '13800001111', 's', 'h1', 'm', 1, ${C}, 'pending', NULL, 0, 0),
    ('B', 'F', '1981-01-01', '13800002222', 's', 'h3', 'm', NULL, NULL, '', 1, 0, 0)`,
    fires: ['member_tally_insert', 'unit_tally_member_insert', 'roster_state_member_insert', 'unit_files_insert'] },
  { q: 'SELECT depth, prefix, state, files, without_account FROM member_tally ORDER BY depth, prefix, state' },
  { q: 'SELECT unit_id, roster, reported, pending, rank_low, rank_high FROM unit_tally ORDER BY unit_id' },
  { q: 'SELECT id, unit_id, id_number_hash, state FROM roster_entry ORDER BY id' },
  { q: 'SELECT unit_id, files FROM unit_files ORDER BY unit_id' },
  { sql: "UPDATE member SET state = 'approved' WHERE id_number_hash = 'h1'", fires: ['member_tally_update', 'unit_tally_member_state', 'roster_state_member'] },
  { sql: "INSERT INTO member_tag (tag, name, member_id, community_code) VALUES ('医疗', 'A', 1, " + C + ')' },
  { sql: "UPDATE member SET community_code = NULL, account_id = NULL WHERE id = 2", fires: ['member_tally_update'] },
  { sql: `UPDATE member SET community_code = ${C2}, account_id = 1 WHERE id = 1`, fires: ['member_tally_update', 'member_tag_move'] },
  { sql: "INSERT INTO roster_entry (unit_id, name, id_number_hash, id_number_masked, created_at) VALUES (2, 'A', 'h1', 'm', 0)",
    fires: ['roster_state_insert', 'unit_tally_roster_insert'] },
  { q: 'SELECT depth, prefix, state, files, without_account FROM member_tally ORDER BY depth, prefix, state' },
  { q: 'SELECT unit_id, roster, reported, pending, rank_low, rank_high FROM unit_tally ORDER BY unit_id' },
  { q: 'SELECT id, unit_id, id_number_hash, state FROM roster_entry ORDER BY id' },
  { q: 'SELECT tag, member_id, community_code FROM member_tag' },
  { sql: "DELETE FROM roster_entry WHERE id_number_hash = 'h1' AND unit_id = 2", fires: ['unit_tally_roster_delete'] },
  { sql: "DELETE FROM roster_entry WHERE id_number_hash = 'h2'", fires: ['unit_tally_roster_delete'] },
  { q: 'SELECT unit_id, roster, reported, pending, rank_low, rank_high FROM unit_tally ORDER BY unit_id' },
  { sql: `INSERT INTO registration (member_id, community_code, state, channel, created_at) VALUES (2, ${C}, 'pending', 'self', 0), (1, ${C2}, 'approved', 'staff', 0)`,
    fires: ['registration_tally_insert'] },
  { q: 'SELECT depth, prefix, pending FROM registration_tally ORDER BY depth, prefix' },
  { sql: "UPDATE registration SET state = 'approved' WHERE member_id = 2", fires: ['registration_tally_update'] },
  { sql: "UPDATE registration SET state = 'left' WHERE member_id = 1", fires: [] },
  { q: 'SELECT depth, prefix, pending FROM registration_tally ORDER BY depth, prefix' },
  { sql: `INSERT INTO standing (period, member_id, community_code, street_code, district_code, city_code, points, minutes, services, updated_at)
    VALUES ('2026H2', 1, ${C2}, '440111', '4401', '44', 5, 60, 1, 0), ('2026', 1, ${C2}, '440111', '4401', '44', 0, 0, 0, 0)`,
    fires: ['unit_participation_insert'] },
  { sql: "UPDATE standing SET points = 9, services = 2 WHERE period = '2026H2'", fires: ['unit_participation_update'] },
  { sql: "UPDATE standing SET points = 3, services = 1 WHERE period = '2026'", fires: ['unit_participation_update'] },
  { q: 'SELECT period, unit_id, served, points FROM unit_participation ORDER BY period, unit_id' },
  { sql: 'UPDATE member SET unit_id = 2 WHERE id = 1', fires: ['unit_files_move'] },
  { sql: 'UPDATE member SET unit_id = 1 WHERE id = 2', fires: ['unit_files_move'] },
  { q: 'SELECT period, unit_id, served, points FROM unit_participation ORDER BY period, unit_id' },
  { q: 'SELECT unit_id, files FROM unit_files ORDER BY unit_id' },
  // The ledgers are append-only.
  { sql: `INSERT INTO ledger_account (book, kind, member_id, region_code) VALUES ('points', 'member', 1, NULL), ('points', 'issue', NULL, ${C})` },
  { sql: "INSERT INTO ledger_movement (book, source, member_id, day, created_at) VALUES ('points', 'bonus', 1, '2026-07-01', 0)" },
  { sql: 'INSERT INTO ledger_entry (movement_id, account_id, amount) VALUES (1, 1, 5), (1, 2, -5)' },
  { sql: 'UPDATE ledger_entry SET amount = 6 WHERE account_id = 1', refused: 'ledger entries are never changed', fires: ['ledger_entry_kept'] },
  { sql: 'DELETE FROM ledger_entry', refused: 'ledger entries are never deleted', fires: ['ledger_entry_stays'] },
  { sql: "UPDATE ledger_movement SET note = 'x'", refused: 'ledger movements are never changed', fires: ['ledger_movement_kept'] },
  { sql: 'DELETE FROM ledger_movement', refused: 'ledger movements are never deleted', fires: ['ledger_movement_stays'] },
  { q: 'SELECT movement_id, account_id, amount FROM ledger_entry ORDER BY account_id' },
  // Certificate numbers only go up; a certificate is revoked once and never changed otherwise; nothing is deleted.
  { sql: `INSERT INTO certificate_counter (issuer_code, year, last) VALUES (${C}, 2026, 1)` },
  { sql: 'UPDATE certificate_counter SET last = 2', fires: ['certificate_counter_up'] },
  { sql: 'UPDATE certificate_counter SET last = 2', refused: 'certificate numbers only go up', fires: ['certificate_counter_up'] },
  { sql: 'UPDATE certificate_counter SET year = 2027, last = 3', refused: 'certificate numbers only go up' },
  { sql: 'DELETE FROM certificate_counter', refused: 'certificate counters are never deleted', fires: ['certificate_counter_stays'] },
  { q: 'SELECT issuer_code, year, last FROM certificate_counter' },
  { sql: `INSERT INTO certificate_request (member_id, community_code, from_on, to_on, state, created_at) VALUES (1, ${C}, '2026-01-01', '2026-06-30', 'issued', 0)` },
  { sql: `INSERT INTO certificate (number, issuer_code, year, seq, request_id, member_id, name, id_type, id_number_masked, from_on, to_on,
    total_minutes, services, issuer_name, person_in_charge, handler, contact, issued_at, code)
    VALUES ('n-1', ${C}, 2026, 1, 1, 1, 'A', 'id', 'm', '2026-01-01', '2026-06-30', 60, 1, 'C', 'p', 'h', 'c', 0, 'code1')` },
  { sql: "UPDATE certificate SET handler = 'k'", refused: 'a certificate is never changed, only revoked once', fires: ['certificate_kept'] },
  { sql: "UPDATE certificate SET revoked_at = 100, revoke_reason = 'wrong'", fires: ['certificate_kept'] },
  { sql: "UPDATE certificate SET revoked_at = 200", refused: 'a certificate is never changed, only revoked once' },
  { sql: 'DELETE FROM certificate', refused: 'certificates are never deleted', fires: ['certificate_stays'] },
  { q: 'SELECT number, handler, revoked_at, revoke_reason FROM certificate' },
  { sql: `INSERT INTO record (member_id, community_code, item_id, source, started_at, minutes, state, created_at) VALUES (1, ${C}, 1, 'staff', 0, 60, 'confirmed', 0)` },
  { sql: "INSERT INTO certificate_line (certificate_id, position, record_id, served_on, item_name, content, minutes) VALUES (1, 1, 1, '2026-03-01', 'G01', 'x', 60)" },
  { sql: 'UPDATE certificate_line SET minutes = 61', refused: 'certificate lines are never changed', fires: ['certificate_line_kept'] },
  { sql: 'DELETE FROM certificate_line', refused: 'certificate lines are never deleted', fires: ['certificate_line_stays'] },
  { q: 'SELECT certificate_id, position, minutes FROM certificate_line' },
  // Identity ids: an explicit id inserts, as on SQLite.
  { sql: "INSERT INTO unit (id, name, party_org_name, type, region_code, created_at, updated_at) VALUES (70, 'U70', 'P', 'other', '44', 0, 0)", fires: ['unit_tally_unit'] },
  { q: 'SELECT unit_id, roster FROM unit_tally ORDER BY unit_id' },
];

function run(engine, sql) {
  try {
    return { out: engine === 'sqlite' ? sqlite(lite, `${sql};`) : psql(pg, sql) };
  } catch (e) {
    return { error: String(e.stderr || e.message) };
  }
}

test('every trigger behaves the same on both engines', () => {
  const triggers = sqliteRows(lite, "SELECT name FROM sqlite_master WHERE type = 'trigger'").map((r) => r.name);
  const fired = new Set(STEPS.flatMap((s) => s.fires ?? []));
  assert.deepEqual(triggers.filter((t) => !fired.has(t)), [], 'triggers no step exercises');
  for (const step of STEPS) {
    const sql = step.q ?? step.sql;
    const a = run('sqlite', sql); const b = run('postgres', sql);
    if (step.refused) {
      assert.ok(a.error?.includes(step.refused), `SQLite did not refuse "${sql}" with "${step.refused}": ${a.error ?? a.out}`);
      assert.ok(b.error?.includes(step.refused), `PostgreSQL did not refuse "${sql}" with "${step.refused}": ${b.error ?? b.out}`);
      continue;
    }
    assert.equal(a.error, undefined, `SQLite failed "${sql}": ${a.error}`);
    assert.equal(b.error, undefined, `PostgreSQL failed "${sql}": ${b.error}`);
    if (step.q) {
      assert.ok(a.out.trim() !== '', `"${sql}" returned nothing on SQLite`);
      assert.equal(b.out, a.out, `"${sql}" returned different rows:\nSQLite:\n${a.out}PostgreSQL:\n${b.out}`);
    }
  }
});
