// activity-exports.test.mjs: the share page's data and the .ics (public), the attendance sheet as .xlsx and as a page to print
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  activityServer, createActivity, quickMembers, expectStatus, ROLES, T0, HOUR,
} from './activity-fixture.mjs';
import { assertProblem, assertCleanLog } from './helpers.mjs';
import { unzip } from '../lib/zip.mjs';

const MIN = 60;
const START = T0 + 2 * HOUR;
let srv, as, items, a, m;

before(async () => {
  ({ srv, as, items } = await activityServer());
  m = await quickMembers(srv, as.staff, 3, { prefix: '导出者' });
  a = await createActivity(as.staff, items, { starts_at: START, ends_at: START + 2 * HOUR, capacity: 2, publish: true, signup_deadline: START + HOUR,
    description: '请自带手套；垃圾袋由社区提供，集合后分组' });
  for (const x of m) await x.post(`/api/v1/activities/${a.id}/signup`);
});
after(async () => {
  await srv?.stop();
  assertCleanLog(srv.log());
});

const download = async (who, path) => {
  const r = await fetch(srv.url + path, { headers: who.cookie ? { Cookie: who.cookie } : {} });
  return { status: r.status, headers: r.headers, body: Buffer.from(await r.arrayBuffer()) };
};
// The lines of an .ics as the calendar reads them: continuation lines (a leading space) joined back.
const unfold = (text) => text.replace(/\r\n /g, '').split('\r\n');

describe('the share link (public)', () => {
  test('anyone sees the details and whether 我要报名 is still open, nothing about who signed up', async () => {
    const r = await as.anon.get(`/api/v1/activities/${a.id}/share`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.title, '石榴桥社区环境整治');
    assert.equal(r.json.organiser, '石榴桥社区');
    assert.equal(r.json.when, '2026年2月28日（星期六）11:00–13:00');
    assert.deepEqual([r.json.capacity, r.json.signed, r.json.waiting, r.json.places_left, r.json.signup_open], [2, 2, 1, 0, true]);
    assert.equal(r.json.share_url, `${srv.url}/m/activities/${a.id}`);
    assert.equal(r.json.calendar_path, `/api/v1/activities/${a.id}/calendar.ics`);
    assert.deepEqual(r.json.specialties, ['水电维修']);
    for (const x of m) assert.ok(!r.text.includes(x.member.name) && !r.text.includes(x.member.phone), 'no member in it');
    srv.setClock(START + HOUR + 1);
    assert.equal((await as.anon.get(`/api/v1/activities/${a.id}/share`)).json.signup_open, false, 'after the deadline');
    srv.setClock(T0);
  });

  test('a draft has no share page; a cancelled one says so, with its reason', async () => {
    const d = await createActivity(as.staff, items, { title: '草稿' });
    assertProblem(await as.anon.get(`/api/v1/activities/${d.id}/share`), 404, 'not_found');
    assertProblem(await as.anon.get(`/api/v1/activities/${d.id}/calendar.ics`), 404, 'not_found');
    assertProblem(await as.anon.get('/api/v1/activities/99999999/share'), 404, 'not_found');
    await as.staff.post(`/api/v1/activities/${d.id}/publish`);
    await as.staff.post(`/api/v1/activities/${d.id}/cancel`, { reason: '天气原因' });
    const r = await as.anon.get(`/api/v1/activities/${d.id}/share`);
    assert.deepEqual([r.json.state, r.json.cancel_reason, r.json.signup_open], ['cancelled', '天气原因', false]);
    assert.match((await as.anon.get(`/api/v1/activities/${d.id}/calendar.ics`)).text, /\r\nSTATUS:CANCELLED\r\n/);
  });

  for (const who of ROLES) {
    test(`GET /share and /calendar.ics as ${who} → 200`, async () => {
      expectStatus(await as[who].get(`/api/v1/activities/${a.id}/share`), 200, who);
      expectStatus(await as[who].get(`/api/v1/activities/${a.id}/calendar.ics`), 200, who);
    });
  }
});

describe('the .ics', () => {
  test('one event in UTC, the share link in it, lines of at most 75 octets ending in CRLF, text escaped', async () => {
    const r = await as.anon.get(`/api/v1/activities/${a.id}/calendar.ics`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/calendar; charset=utf-8/);
    assert.match(r.headers.get('content-disposition'), /attachment; filename="activity.ics"/);
    assert.ok(r.text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n') && r.text.endsWith('END:VEVENT\r\nEND:VCALENDAR\r\n'));
    for (const line of r.text.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, `line of ${Buffer.byteLength(line)} octets: ${line}`);
    assert.ok(!/[^\r]\n/.test(r.text), 'every line ends in CRLF');
    const lines = unfold(r.text);
    assert.ok(lines.includes('DTSTART:20260228T030000Z') && lines.includes('DTEND:20260228T050000Z'), lines.join('|'));
    assert.ok(lines.includes('SUMMARY:石榴桥社区环境整治'));
    assert.ok(lines.includes(`URL:${srv.url}/m/activities/${a.id}`));
    assert.ok(lines.includes(`UID:activity-${a.id}@${new URL(srv.url).host}`));
    const desc = lines.find((l) => l.startsWith('DESCRIPTION:'));
    assert.ok(desc.includes('请自带手套\\；垃圾袋由社区提供，集合后分组') || desc.includes('请自带手套；垃圾袋由社区提供，集合后分组'), desc);
    assert.ok(desc.includes('主办：石榴桥社区\\n'), desc);
  });

  test('a title of 60 4-byte characters with ;,\\ is folded between characters and unfolds intact', async () => {
    const title = `${'𠀀'.repeat(57)};,\\`;
    const t = await createActivity(as.staff, items, { title, publish: true, starts_at: START, ends_at: START + HOUR });
    const r = await as.anon.get(`/api/v1/activities/${t.id}/calendar.ics`);
    const folded = r.text.split('\r\n');
    for (const line of folded) {
      assert.ok(Buffer.byteLength(line) <= 75);
      assert.ok(!Buffer.from(line).toString('utf8').includes('\ufffd'), 'no character cut in two');
    }
    assert.ok(unfold(r.text).includes(`SUMMARY:${'𠀀'.repeat(57)}\\;\\,\\\\`));
  });
});

describe('the sheet as .xlsx and as a page to print', () => {
  before(async () => {
    srv.setClock(START + 5 * MIN);
    const code = (await as.staff.get(`/api/v1/activities/${a.id}/checkin-code`)).json.code;
    await m[0].post(`/api/v1/activities/${a.id}/checkin`, { code });
    srv.setClock(START + 25 * MIN);
    const s = (await as.staff.get(`/api/v1/activities/${a.id}/sheet`)).json.rows.find((r) => r.member.id === m[1].member.id);
    const t = await as.staff.post(`/api/v1/signups/${s.id}/attendance`, { action: 'checkin', at: START + 20 * MIN });
    assert.equal(t.status, 200, t.text);
  });
  after(() => srv.setClock(T0));

  test('the workbook: one row per member with a place, times in China time, words not codes, phones for who runs it', async () => {
    const r = await download(as.staff, `/api/v1/activities/${a.id}/sheet.xlsx`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.match(r.headers.get('content-disposition'), new RegExp(`activity-${a.id}-attendance.xlsx`));
    const xml = unzip(r.body)['xl/worksheets/sheet1.xml'].toString();
    for (const word of ['序号', '手机号', '签到时间', '出勤情况', m[0].member.name, m[1].member.name, m[0].member.phone, '11:05', '扫码', '11:20',
      '工作人员代签', '出勤（未签退）', '迟到（未签退）']) assert.ok(xml.includes(word), `${word} in the sheet`);
    assert.ok(!xml.includes(m[2].member.name), 'one waiting is not on the sheet');
  });

  test('the page to print: the sheet with a column to sign by hand, nothing that runs, no phone', async () => {
    const r = await as.staff.get(`/api/v1/activities/${a.id}/sheet.html`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/html; charset=utf-8/);
    assert.match(r.headers.get('content-security-policy'), /default-src 'none'/);
    assert.ok(r.text.includes('石榴桥社区环境整治 签到表') && r.text.includes('<th width="18%">签名</th>'));
    assert.ok(r.text.includes(m[0].member.name) && r.text.includes('11:05'));
    assert.ok(!r.text.includes(m[0].member.phone));
    assert.ok(!/<script|style=/.test(r.text));
    assert.match(r.text, /报名 2 人（候补 1 人）：出勤 1，迟到 1/);
  });

  test('what the page prints is escaped', async () => {
    const t = await createActivity(as.staff, items, { title: '<script>alert(1)</script>', publish: true, starts_at: START, ends_at: START + HOUR });
    const r = await as.staff.get(`/api/v1/activities/${t.id}/sheet.html`);
    assert.ok(!r.text.includes('<script>') && r.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  });

  const reads = { admin: 200, org: 200, org2: 404, staff: 200, staff2: 404, unit: 404, approved: 403, waiting: 404, resident: 404, anon: 401 };
  for (const who of ROLES) {
    test(`GET /sheet.xlsx and /sheet.html as ${who} → ${reads[who]}`, async () => {
      const x = await download(as[who], `/api/v1/activities/${a.id}/sheet.xlsx`);
      assert.equal(x.status, reads[who], who);
      expectStatus(await as[who].get(`/api/v1/activities/${a.id}/sheet.html`), reads[who], who);
    });
  }
});
