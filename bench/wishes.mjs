// wishes.mjs BASE WORK COMMAND: the load of bench/wishes.sh (Jianghan's 1,189 micro-wishes in one day, seed 003).
//   enter N CONNS   the admin enters N wishes (the console's bulk entry: one POST each) over CONNS connections,
//                   spread over the communities of WORK/venues; ids into WORK/wishes
//   approve         bulk approval and publication, 500 ids a request; prints "requests seconds"
//   claim CONNS     every member of WORK/tasks claims the wish of their line at once (two members a wish: a race
//                   each); winners into WORK/winners
//   fulfil CONNS    each winner reports their wish fulfilled
//   confirm CONNS   the admin confirms each: the member's record and the wish bonus
// A step prints "requests rps p50 p99 non2xx expected_409" (milliseconds); WORK/tasks: "cookie wish_index" a member.
// With WISH_RATE=R in the environment, a step offers R requests a second whatever the answers (open loop: request i
// leaves at i/R seconds, waiting for a free connection if all CONNS are busy) and each latency counts from the moment
// its request was due, so time spent queued behind a slow server counts too. Without it, each connection sends its
// next request as soon as the last is answered (closed loop: the server's top speed, where p99 is about
// CONNS / (requests per second) because every request waits for the others ahead of it).
import http from 'node:http';
import { request as send, load as run, quantile } from './loadgen.mjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [base, work, command, ...args] = process.argv.slice(2);
const url = new URL(base);
const request = (...a) => send(url, ...a);
const read = (f) => readFileSync(join(work, f), 'utf8').trim().split('\n');

const one = new http.Agent({ keepAlive: true, maxSockets: 1 });
async function admin() {
  try { return readFileSync(join(work, 'admin'), 'utf8').trim(); } catch { /* first step: log in */ }
  const r = await request(one, 'POST', '/api/v1/session', undefined, { login: 'admin', password: 'Bench-admin-password-1' });
  if (r.status !== 200 || !r.cookie) throw new Error(`admin login: ${r.status}`);
  writeFileSync(join(work, 'admin'), r.cookie);
  return r.cookie;
}

const rate = Number(process.env.WISH_RATE || 0);

// Runs jobs over conns connections (loadgen.mjs); prints "requests rps p50 p99 non2xx expected_409".
async function load(name, jobs, conns, expected409 = 0) {
  const r = await run(url, jobs, conns, rate);
  if (r.sample) process.stderr.write(`wishes ${name}: ${r.bad} failed, e.g. ${r.sample}\n`);
  console.log(`${r.n} ${(r.n / r.secs).toFixed(0)} ${quantile(r.ms, 0.5)} ${quantile(r.ms, 0.99)} ${r.bad} ${expected409}`);
}

async function enter(n, conns) {
  const cookie = await admin();
  const codes = read('venues');
  const ids = new Array(n);
  const jobs = Array.from({ length: n }, (_, i) => ({
    method: 'POST', path: '/api/v1/wishes', cookie,
    body: { community_code: codes[i % codes.length], beneficiary_name: `困难群众${i + 1}`, title: `微心愿第${i + 1}号：一袋米和一桶油`,
      description: '家里老人行动不便，希望有人送上门', value_cap: 300, consent: true },
    ok: (s, text) => { if (s === 201) ids[i] = JSON.parse(text).id; return s === 201; },
  }));
  await load('enter', jobs, conns);
  writeFileSync(join(work, 'wishes'), ids.join('\n') + '\n');
}

async function approve() {
  const cookie = await admin();
  const ids = read('wishes').map(Number);
  const t0 = process.hrtime.bigint();
  let n = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const r = await request(one, 'POST', '/api/v1/wishes/bulk-approve', cookie, { ids: ids.slice(i, i + 500) });
    if (r.status !== 200) throw new Error(`bulk-approve: ${r.status} ${r.text}`);
    n++;
  }
  console.log(`${n} ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(2)}`);
}

async function claim(conns) {
  const ids = read('wishes').map(Number);
  const tasks = read('tasks').map((l) => { const [cookie, k] = l.split(' '); return { cookie, id: ids[Number(k) % ids.length] }; });
  const winners = [];
  const jobs = tasks.map((t) => ({
    method: 'POST', path: `/api/v1/wishes/${t.id}/claim`, cookie: t.cookie, body: { as: 'member' },
    ok: (s) => { if (s === 200) winners.push(`${t.cookie} ${t.id}`); return s === 200 || s === 409; },
  }));
  await load('claim', jobs, conns, tasks.length - ids.length);
  writeFileSync(join(work, 'winners'), winners.join('\n') + '\n');
}

async function fulfil(conns) {
  const jobs = read('winners').map((l) => {
    const [cookie, id] = l.split(' ');
    return { method: 'POST', path: `/api/v1/wishes/${id}/fulfil`, cookie, body: { note: '米和油已送到家', value_spent: 120, minutes: 60 } };
  });
  await load('fulfil', jobs, conns);
}

async function confirm(conns) {
  const cookie = await admin();
  const jobs = read('wishes').map((id) => ({ method: 'POST', path: `/api/v1/wishes/${id}/confirm`, cookie, body: {} }));
  await load('confirm', jobs, conns);
}

if (command === 'enter') await enter(Number(args[0]), Number(args[1]));
else if (command === 'approve') await approve();
else if (command === 'claim') await claim(Number(args[0]));
else if (command === 'fulfil') await fulfil(Number(args[0]));
else if (command === 'confirm') await confirm(Number(args[0]));
else throw new Error(`wishes.mjs: unknown command ${command}`);
one.destroy();
