// jianghan.mjs BASE WORK COMMAND: the load of bench/jianghan.sh, one command at a time (the script moves the clock between them).
//   prepare VENUES CAPACITY START ITEM  log admin in, create and publish one activity per venue (WORK/venues: community codes)
//   signup | checkin | checkout CONNS  every member of WORK/tasks does it over CONNS keep-alive connections;
//                                 prints "requests rps p50 p99 non2xx" (milliseconds)
//   finish                        close every activity, then confirm each one's records in bulk; prints "close_s confirm_s records"
//   codes                         the screens' codes now, into WORK/codes (for ir)
//   ir FROM N                     N check-ins one after another on one connection (members FROM…), for callgrind
// WORK/tasks: one line per member, "cookie activity_index"; WORK/admin: the admin's cookie; WORK/activities: ids.
import http from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [base, work, command, ...args] = process.argv.slice(2);
const url = new URL(base);
const read = (f) => readFileSync(join(work, f), 'utf8').trim().split('\n');

// One request; resolves {status, text, ms}.
function request(agent, method, path, cookie, body) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers = { Cookie: cookie, 'X-Requested-With': 'baodao' };
  if (payload) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) });
  const t = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const rq = http.request({ host: url.hostname, port: url.port, method, path, agent, headers }, (r) => {
      const parts = [];
      r.on('data', (d) => parts.push(d));
      r.on('end', () => resolve({ status: r.statusCode, text: Buffer.concat(parts).toString(), ms: Number(process.hrtime.bigint() - t) / 1e6 }));
    });
    rq.on('error', reject);
    rq.end(payload);
  });
}

const one = new http.Agent({ keepAlive: true, maxSockets: 1 });
const admin = () => readFileSync(join(work, 'admin'), 'utf8').trim();
const activities = () => read('activities').map(Number);

// Logs admin in: the session's cookie.
function login() {
  const body = JSON.stringify({ login: 'admin', password: 'Bench-admin-password-1' });
  return new Promise((resolve, reject) => {
    const rq = http.request({ host: url.hostname, port: url.port, method: 'POST', path: '/api/v1/session', agent: one,
      headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'baodao', 'Content-Length': Buffer.byteLength(body) } }, (r) => {
      r.resume();
      const sid = (r.headers['set-cookie'] || []).map((c) => c.split(';')[0]).find((c) => c.startsWith('sid='));
      r.on('end', () => (r.statusCode === 200 && sid ? resolve(sid) : reject(new Error(`admin login: ${r.statusCode}`))));
    });
    rq.on('error', reject);
    rq.end(body);
  });
}

async function prepare(venues, capacity, start, item) {
  const cookie = await login();
  writeFileSync(join(work, 'admin'), cookie);
  const codes = read('venues');
  const ids = [];
  for (let i = 0; i < venues; i++) {
    const r = await request(one, 'POST', '/api/v1/activities', cookie, {
      community_code: codes[i % codes.length], organiser: 'community', item_id: item, title: `党员义务奉献日 第${i + 1}服务点`,
      place: `第${i + 1}服务点`, starts_at: start, ends_at: start + 2 * 3600, capacity, audience: 'city', publish: true,
    });
    if (r.status !== 201) throw new Error(`activity ${i}: ${r.status} ${r.text}`);
    ids.push(JSON.parse(r.text).id);
  }
  writeFileSync(join(work, 'activities'), ids.join('\n') + '\n');
}

// The screen's code of each activity now (the organisers' screens).
async function screenCodes() {
  const codes = [];
  for (const id of activities()) codes.push(JSON.parse((await request(one, 'GET', `/api/v1/activities/${id}/checkin-code`, admin())).text).code);
  return codes;
}

async function step(name, conns) {
  const ids = activities();
  const tasks = read('tasks').map((l) => { const [cookie, k] = l.split(' '); return { cookie, id: ids[Number(k)], k: Number(k) }; });
  const codes = name === 'signup' ? [] : await screenCodes();
  const agent = new http.Agent({ keepAlive: true, maxSockets: conns });
  const ms = [];
  let next = 0;
  let bad = 0;
  let sample = '';
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: conns }, async () => {
    while (next < tasks.length) {
      const t = tasks[next++];
      const r = name === 'signup'
        ? await request(agent, 'POST', `/api/v1/activities/${t.id}/signup`, t.cookie)
        : await request(agent, 'POST', `/api/v1/activities/${t.id}/${name}`, t.cookie, { code: codes[t.k] });
      ms.push(r.ms);
      if (r.status >= 300) { bad++; sample = sample || `${r.status} ${r.text.slice(0, 200)}`; }
    }
  }));
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  agent.destroy();
  ms.sort((a, b) => a - b);
  const at = (q) => ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)].toFixed(2);
  if (sample) process.stderr.write(`jianghan ${name}: ${bad} failed, e.g. ${sample}\n`);
  console.log(`${ms.length} ${(ms.length / secs).toFixed(0)} ${at(0.5)} ${at(0.99)} ${bad}`);
}

async function finish() {
  const cookie = admin();
  let t = process.hrtime.bigint();
  for (const id of activities()) {
    const r = await request(one, 'POST', `/api/v1/activities/${id}/close`, cookie);
    if (r.status !== 200) throw new Error(`close ${id}: ${r.status} ${r.text}`);
  }
  const close = Number(process.hrtime.bigint() - t) / 1e9;
  let confirmed = 0;
  t = process.hrtime.bigint();
  for (const id of activities()) {
    const r = await request(one, 'POST', '/api/v1/records/confirm', cookie, { activity_id: id });
    if (r.status !== 200) throw new Error(`confirm ${id}: ${r.status} ${r.text}`);
    confirmed += JSON.parse(r.text).confirmed;
  }
  const confirm = Number(process.hrtime.bigint() - t) / 1e9;
  console.log(`${close.toFixed(2)} ${confirm.toFixed(2)} ${confirmed}`);
}

async function ir(from, n) {
  const ids = activities();
  const codes = read('codes');
  const tasks = read('tasks').slice(from, from + n);
  for (const l of tasks) {
    const [cookie, k] = l.split(' ');
    const r = await request(one, 'POST', `/api/v1/activities/${ids[Number(k)]}/checkin`, cookie, { code: codes[Number(k)] });
    if (r.status !== 200) throw new Error(`check-in: ${r.status} ${r.text}`);
  }
}

if (command === 'prepare') await prepare(...args.map(Number));
else if (command === 'finish') await finish();
else if (command === 'ir') await ir(Number(args[0]), Number(args[1]));
else if (command === 'codes') writeFileSync(join(work, 'codes'), (await screenCodes()).join('\n') + '\n');
else await step(command, Number(args[0]));
one.destroy();
