// crash.test.mjs: the server killed with SIGKILL while staff confirm service and correct it: after each kill every
// acknowledged movement is there, the ledgers balance, the audit chain holds and the file is sound.
// BAODAO_CRASH_KILLS sets the number of kills (20 here; make bench runs 500 and records the figures).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { loginAs } from './helpers.mjs';
import { sql, items, newFile } from './records-helpers.mjs';

const KILLS = Number(process.env.BAODAO_CRASH_KILLS || 20);
const WORKERS = 8;
let srv, staff, item, files;

before(async () => {
  srv = await startServer();
  staff = await loginAs(srv, 'staff');
  item = items(srv).G07;
  files = [];
  for (let i = 0; i < WORKERS; i++) files.push(await newFile(staff));
});
after(async () => { await srv?.stop(); });

// Each worker's member serves in slots of an hour going back from yesterday: no two services overlap.
const slots = new Array(WORKERS).fill(0);
const start = Math.floor(Date.now() / 1000) - 86400;
const slot = (w) => start - (slots[w]++) * 3600;

// A pseudo-random sequence, the same on every run: where each kill falls.
let seed = 20261202;
const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return Math.floor(seed / 65536) % n; };

// What the clients were told happened: each confirmed service's minutes as last corrected, and whose it is.
const confirmed = new Map(); // record id → { minutes, w, asked: a correction on its way when the server died }
let acknowledged = 0, killing = null;

// One worker: staff of the community confirming services of member w and correcting them, until the server dies.
// The worker whose acknowledgment is the stopAt-th kills it, with the other workers' requests on their way.
async function work(client, w, stopAt) {
  for (;;) {
    const mine = [...confirmed].filter(([, v]) => v.w === w).map(([id]) => id);
    let r;
    try {
      if (mine.length && rand(4) === 0) {
        const id = mine[rand(mine.length)];
        const total = (confirmed.get(id).minutes % 50) + 1; // a new total, never the same
        confirmed.get(id).asked = total;
        r = await client.post(`/api/v1/records/${id}/corrections`, { minutes: total, reason: '核对' });
        if (r.status === 201) confirmed.set(id, { minutes: total, w });
      } else {
        r = await client.post('/api/v1/records', { member_id: files[w].id, item_id: item, started_at: slot(w),
          minutes: 10 + rand(50), place: '社区', content: '理发', confirm: true });
        if (r.status === 201) confirmed.set(r.json.id, { minutes: r.json.minutes, w });
      }
    } catch {
      return; // the server is gone: what was not acknowledged is not counted
    }
    assert.equal(r.status, 201, r.text);
    acknowledged += 1;
    if (acknowledged >= stopAt && !killing) killing = srv.kill();
  }
}

function sound() {
  assert.equal(sql(srv, 'PRAGMA integrity_check'), 'ok');
  assert.match(srv.cli(['ledger', 'verify']), /^ok: /);
  assert.match(srv.cli(['audit', 'verify']), /^ok: /);
  // Every acknowledged record is confirmed with the minutes it was last told, in the ledger and the standings.
  const rows = new Map(sql(srv, 'SELECT g.id, g.minutes + COALESCE((SELECT sum(c.minutes) FROM record c WHERE c.corrects_id = g.id ' +
    "AND c.state = 'confirmed'), 0), g.state FROM record g WHERE g.corrects_id IS NULL").split('\n').filter(Boolean)
    .map((l) => l.split('|')).map(([id, total, state]) => [Number(id), { total: Number(total), state }]));
  // A correction sent but not answered may have landed or not; either way the service now counts what the file says.
  for (const [id, c] of confirmed) {
    assert.equal(rows.get(id)?.state, 'confirmed', `record ${id}`);
    assert.ok([c.minutes, c.asked].includes(rows.get(id).total), `record ${id}: ${rows.get(id).total} minutes, told ${c.minutes}`);
    confirmed.set(id, { minutes: rows.get(id).total, w: c.w });
  }
  const hours = Number(sql(srv, "SELECT COALESCE(sum(balance), 0) FROM ledger_account WHERE kind = 'member' AND book = 'hours'"));
  const records = Number(sql(srv, "SELECT COALESCE(sum(minutes), 0) FROM record WHERE state = 'confirmed'"));
  const standings = Number(sql(srv, 'SELECT COALESCE(sum(minutes), 0) FROM standing WHERE length(period) = 4'));
  assert.equal(hours, records, 'hours in the ledger = confirmed minutes');
  assert.equal(standings, records, 'standings = confirmed minutes');
}

test(`${KILLS} kills while confirming and correcting: nothing acknowledged is lost, the books stay sound`, async () => {
  for (let k = 0; k < KILLS; k++) {
    const stopAt = acknowledged + 3 + rand(25);
    const clients = files.map(() => Object.assign(new Client(srv.url), { cookie: staff.cookie }));
    killing = null;
    await Promise.all(clients.map((c, w) => work(c, w, stopAt)));
    await killing;
    sound();
    srv = await startServer({ again: srv });
  }
  assert.ok(acknowledged >= KILLS * 3);
  console.log(`crash: ${KILLS} kills, ${acknowledged} acknowledged writes, ${confirmed.size} services, all there`);
});
