// ledger-property.test.mjs: a long random sequence of what moves the ledgers, through the API — confirmations,
// corrections (reversals among them), gifts of hours, redemptions and their cancellations — then the ledger check and
// every balance replayed: a member's hours are what was confirmed less what was given, the resident's what was given,
// a member's points what was earned less what was spent, the shelf's what was spent, the community's issue the opposite.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { loginAs, assertCleanLog } from './helpers.mjs';
import { sql, items, newFile, memberClient, made } from './records-helpers.mjs';

const STEPS = Number(process.env.BAODAO_PROPERTY_STEPS || 1500);
const MEMBERS = 4;
const RESIDENT = { phone: '13800000006', name: '张阿姨' }; // the demo's resident
let srv, staff, item, files, phones, shelfItem;

before(async () => {
  srv = await startServer();
  staff = await loginAs(srv, 'staff');
  item = items(srv).G07;
  files = [];
  phones = [];
  for (let i = 0; i < MEMBERS; i++) {
    files.push(await newFile(staff));
    phones.push(await memberClient(srv, staff, files[i]));
  }
  shelfItem = (await made(staff, '/api/v1/shelf-items', { community_code: files[0].community_code, name: '洗衣液',
    description: '一瓶', price: 3, stock: 100000, monthly_limit: 0 })).item;
});
after(async () => {
  await srv?.stop();
  assertCleanLog(srv.log());
});

let seed = 4401;
const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return Math.floor(seed / 65536) % n; };

test(`${STEPS} random confirmations, corrections, gifts, redemptions and cancellations keep every balance its replayed sum`, async () => {
  const start = Math.floor(Date.now() / 1000) - 86400;
  const services = []; // { id, w, minutes }
  const waiting = []; // redemption ids not yet handed over or cancelled, with their member
  const model = files.map(() => ({ confirmed: 0, given: 0 }));
  const counts = { confirm: 0, correct: 0, gift: 0, redeem: 0, cancel: 0, refused: 0 };
  for (let step = 0; step < STEPS; step++) {
    const w = rand(MEMBERS), op = rand(10);
    if (op < 4 || !services.length) {
      const minutes = 10 + rand(120);
      const r = await made(staff, '/api/v1/records', { member_id: files[w].id, item_id: item,
        started_at: start - step * 3 * 3600, minutes, place: '社区', content: '理发', confirm: true });
      services.push({ id: r.id, w, minutes });
      model[w].confirmed += minutes;
      counts.confirm++;
    } else if (op < 6) {
      // A correction to a new total: a reversal (0) one time in four.
      const s = services[rand(services.length)];
      const total = rand(4) ? (s.minutes + 1 + rand(100)) % 150 : 0;
      if (total === s.minutes) continue;
      const r = await staff.post(`/api/v1/records/${s.id}/corrections`, { minutes: total, reason: '核对' });
      assert.equal(r.status, 201, r.text);
      model[s.w].confirmed += total - s.minutes;
      s.minutes = total;
      counts.correct++;
    } else if (op < 8) {
      const minutes = 1 + rand(20);
      const r = await phones[w].post('/api/v1/me/timebank/gifts', { ...RESIDENT, minutes, note: '' });
      if (r.status === 201) { model[w].given += minutes; counts.gift++; } else { assert.equal(r.status, 422, r.text); counts.refused++; }
    } else if (op < 9 || !waiting.length) {
      const r = await phones[w].post('/api/v1/me/redemptions', { item_id: shelfItem.id });
      if (r.status === 201) { waiting.push({ id: r.json.redemption.id, w }); counts.redeem++; } else { assert.equal(r.status, 409, r.text); counts.refused++; }
    } else {
      const x = waiting.splice(rand(waiting.length), 1)[0];
      const r = await phones[x.w].post(`/api/v1/me/redemptions/${x.id}/cancel`);
      assert.equal(r.status, 200, r.text);
      counts.cancel++;
    }
  }
  // The ledgers: every movement balanced, every balance the sum of its entries.
  const v = await (await loginAs(srv, 'admin')).get('/api/v1/admin/ledger/verify');
  assert.equal(v.json.ok, true, v.text);
  // Each member's hours: what was confirmed less what was given; the resident holds every minute given.
  for (let w = 0; w < MEMBERS; w++) {
    const mine = (await phones[w].get('/api/v1/me/points')).json;
    assert.equal(mine.minutes, model[w].confirmed - model[w].given, `member ${w}'s hours`);
    assert.equal(Number(sql(srv, `SELECT sum(minutes) FROM standing WHERE length(period) = 4 AND member_id = ${files[w].id}`)),
      model[w].confirmed, `member ${w}'s standings count what was confirmed`);
  }
  const given = model.reduce((a, m) => a + m.given, 0);
  assert.equal(Number(sql(srv, "SELECT COALESCE(sum(balance), 0) FROM ledger_account WHERE kind = 'person' AND book = 'hours'")), given);
  // Points: what members hold and what the shelf holds together are what the community issued.
  const [members, shelf, issued] = ['member', 'shelf', 'issue'].map((k) => Number(sql(srv,
    `SELECT COALESCE(sum(balance), 0) FROM ledger_account WHERE kind = '${k}' AND book = 'points'`)));
  assert.equal(members + shelf, -issued);
  assert.equal(shelf, Number(sql(srv, "SELECT COALESCE(sum(points), 0) FROM redemption WHERE state <> 'cancelled'")));
  assert.ok(counts.correct > 0 && counts.gift > 0 && counts.redeem > 0 && counts.cancel > 0, JSON.stringify(counts));
});
