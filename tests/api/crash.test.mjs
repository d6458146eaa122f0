// crash.test.mjs: the server killed with SIGKILL while staff confirm service and correct it and members redeem points
// at the rewards shelf and give hours: after each kill every acknowledged write is there, the ledgers balance, the
// audit chain holds and the file is sound.
// BAODAO_CRASH_KILLS sets the number of kills (20 here; make bench runs 500 and records the figures).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ENGINE } from '../lib/server.mjs';
import { loginAs } from './helpers.mjs';
import { sql, items, newFile, memberClient, made } from './records-helpers.mjs';

const KILLS = Number(process.env.BAODAO_CRASH_KILLS || 20);
const WORKERS = 8;
const SPENDERS = 3; // members of the first files, on their phones: they redeem and give hours
const RESIDENT = { phone: '13800000006', name: '张阿姨' }; // the demo's resident, who receives the hours
let srv, staff, item, files, shelfItem, phones;

before(async () => {
  srv = await startServer();
  staff = await loginAs(srv, 'staff');
  item = items(srv).G07;
  files = [];
  for (let i = 0; i < WORKERS; i++) files.push(await newFile(staff));
  phones = [];
  for (let i = 0; i < SPENDERS; i++) phones.push((await memberClient(srv, staff, files[i])).cookie);
  shelfItem = (await made(staff, '/api/v1/shelf-items', { community_code: files[0].community_code, name: '抽纸',
    description: '一提', price: 1, stock: 100000, monthly_limit: 0 })).item;
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

// What the phones were told: redemptions and gifts acknowledged (ids), each of which must be there after a kill.
const redeemed = [], given = [];

// One member on their phone: a redemption of the shelf's item, then a gift of a minute to the resident, and again.
async function spend(client, stopAt) {
  for (let k = 0; ; k++) {
    let r;
    try {
      r = k % 2 ? await client.post('/api/v1/me/timebank/gifts', { ...RESIDENT, minutes: 1, note: '谢谢' })
        : await client.post('/api/v1/me/redemptions', { item_id: shelfItem.id });
    } catch {
      return;
    }
    // Not enough points or hours yet is an answer too: the staff's confirmations bring them.
    if (r.status === 409 || r.status === 422) continue;
    assert.equal(r.status, 201, r.text);
    if (k % 2) given.push(r.json.gift_id); else redeemed.push(r.json.redemption.id);
    acknowledged += 1;
    if (acknowledged >= stopAt && !killing) killing = srv.kill();
  }
}

function sound() {
  // SQLite's file is ours to check; PostgreSQL checks its own pages (and would need amcheck to show them).
  if (ENGINE !== 'postgres') assert.equal(sql(srv, 'PRAGMA integrity_check'), 'ok');
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
  // One query a table (a process a row would make the long run quadratic): every acknowledged one is there, paid.
  const paid = (table, ids) => sql(srv, `SELECT id FROM ${table} WHERE movement_id IS NOT NULL`).split('\n').filter(Boolean)
    .map(Number).filter((id) => ids.has(id)).length;
  assert.equal(paid('redemption', new Set(redeemed)), redeemed.length, 'every acknowledged redemption is there');
  assert.equal(paid('gift', new Set(given)), given.length, 'every acknowledged gift is there');
  // Hours given move from members to persons: together they hold every confirmed minute.
  const hours = Number(sql(srv, "SELECT COALESCE(sum(balance), 0) FROM ledger_account WHERE kind IN ('member', 'person') AND book = 'hours'"));
  const records = Number(sql(srv, "SELECT COALESCE(sum(minutes), 0) FROM record WHERE state = 'confirmed'"));
  const standings = Number(sql(srv, 'SELECT COALESCE(sum(minutes), 0) FROM standing WHERE length(period) = 4'));
  assert.equal(hours, records, 'hours in the ledger = confirmed minutes');
  assert.equal(standings, records, 'standings = confirmed minutes');
}

test(`${KILLS} kills while confirming, correcting, redeeming and giving hours: nothing acknowledged is lost, the books stay sound`, async () => {
  for (let k = 0; k < KILLS; k++) {
    const stopAt = acknowledged + 3 + rand(25);
    const clients = files.map(() => Object.assign(new Client(srv.url), { cookie: staff.cookie }));
    const spenders = phones.map((cookie) => Object.assign(new Client(srv.url), { cookie }));
    killing = null;
    await Promise.all([...clients.map((c, w) => work(c, w, stopAt)), ...spenders.map((c) => spend(c, stopAt))]);
    await killing;
    sound();
    srv = await startServer({ again: srv });
  }
  assert.ok(acknowledged >= KILLS * 3);
  assert.ok(redeemed.length > 0 && given.length > 0, 'members redeemed and gave hours');
  console.log(`crash: ${KILLS} kills, ${acknowledged} acknowledged writes (${confirmed.size} services, ${redeemed.length} redemptions, ${given.length} gifts), all there`);
});
