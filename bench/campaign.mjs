// campaign.mjs BASE WORK COMMAND: the load of bench/campaign.sh (a street-wide door-to-door campaign, 一户不落).
//   setup N       the admin lays out N buildings of 50 households (2 单元 × 5 floors × 5) in the street's communities,
//                 building i in the community of walker i (WORK/walkers: "cookie member_id community"), starts a
//                 campaign over them with a two-question form, and gives building i to walker i; WORK/walks gets
//                 "cookie campaign stretch household…" a walker
//   mark CONNS    every walker marks every door of their building (visited, the form answered), the walkers
//                 interleaved over CONNS connections, while the admin reads the coverage page over its own connection
//                 every CAMPAIGN_READ_EVERY ms (default 100); prints "marks rps p50 p99 failed coverage_reads coverage_p50 coverage_p99"
// With CAMPAIGN_RATE=R the marks are offered at R a second (open loop, latency from the moment each was due).
import http from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request as send, load, quantile } from './loadgen.mjs';

const [base, work, command, ...args] = process.argv.slice(2);
const url = new URL(base);
const request = (...a) => send(url, ...a);
const read = (f) => readFileSync(join(work, f), 'utf8').trim().split('\n');
const one = new http.Agent({ keepAlive: true, maxSockets: 1 });

async function must(method, path, cookie, body, want = 200) {
  const r = await request(one, method, path, cookie, body);
  if (r.status !== want) throw new Error(`${method} ${path}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.text ? JSON.parse(r.text) : null;
}

async function admin() {
  try { return readFileSync(join(work, 'admin'), 'utf8').trim(); } catch { /* first step: log in */ }
  const r = await request(one, 'POST', '/api/v1/session', undefined, { login: 'admin', password: 'Bench-admin-password-1' });
  if (r.status !== 200 || !r.cookie) throw new Error(`admin login: ${r.status}`);
  writeFileSync(join(work, 'admin'), r.cookie);
  return r.cookie;
}

async function setup(n) {
  const cookie = await admin();
  const walkers = read('walkers').map((l) => { const [c, id, community] = l.split(' '); return { cookie: c, id: Number(id), community }; });
  const street = readFileSync(join(work, 'street'), 'utf8').trim();
  const grids = new Map();
  const buildings = [];
  for (let i = 0; i < n; i++) {
    const w = walkers[i % walkers.length];
    if (!grids.has(w.community)) grids.set(w.community, (await must('POST', `/api/v1/regions/${w.community}/children`, cookie, { name: '走访网格' }, 201)).code);
    const b = await must('POST', `/api/v1/regions/${grids.get(w.community)}/children`, cookie, { name: `第${i + 1}栋` }, 201);
    await must('POST', `/api/v1/buildings/${b.code}/households/generate`, cookie, { units: 2, floor_from: 1, floor_to: 5, per_floor: 5 });
    buildings.push(b.code);
  }
  const items = (await must('GET', `/api/v1/catalog?region=${street}&per_page=100`, cookie)).items;
  const item = items.find((x) => x.code === 'A03');
  const c = await must('POST', '/api/v1/campaigns', cookie, { region_code: street, title: '防汛排查入户走访', item_id: item.id,
    starts_on: '2026-01-01', ends_on: '2026-12-31',
    fields: [{ name: '常住人数', type: 'number', required: true }, { name: '是否有独居老人', type: 'choice', choices: ['有', '没有'] }] }, 201);
  await must('POST', `/api/v1/campaigns/${c.id}/buildings`, cookie, { building_codes: buildings });
  await must('POST', `/api/v1/campaigns/${c.id}/publish`, cookie);
  const stretches = (await must('GET', `/api/v1/campaigns/${c.id}/coverage`, cookie)).stretches;
  const byBuilding = new Map(stretches.map((s) => [s.building_code, s.id]));
  const lines = [];
  for (let i = 0; i < n; i++) {
    const w = walkers[i % walkers.length];
    const sid = byBuilding.get(buildings[i]);
    await must('PUT', `/api/v1/campaign-stretches/${sid}/member`, cookie, { member_id: w.id });
    const doors = (await must('GET', `/api/v1/campaign-stretches/${sid}/doors`, w.cookie)).doors;
    lines.push([w.cookie, c.id, sid, ...doors.map((d) => d.household_id)].join(' '));
  }
  writeFileSync(join(work, 'walks'), lines.join('\n') + '\n');
  writeFileSync(join(work, 'campaign'), `${c.id}\n`);
}

async function mark(conns) {
  const cookie = await admin();
  const walks = read('walks').map((l) => { const [c, campaign, sid, ...hs] = l.split(' '); return { cookie: c, campaign, sid, hs }; });
  const jobs = [];
  // Door k of every walker before door k + 1 of any: all of them walking at once.
  for (let k = 0; walks.some((w) => k < w.hs.length); k++)
    for (const w of walks)
      if (k < w.hs.length)
        jobs.push({ method: 'POST', path: `/api/v1/campaigns/${w.campaign}/households/${w.hs[k]}/marks`, cookie: w.cookie,
          body: { mark: 'visited', fields: { 常住人数: 1 + (k % 5), 是否有独居老人: k % 7 ? '没有' : '有' } }, ok: (s) => s === 201 });
  const campaign = walks[0].campaign;
  const reads = [];
  let done = false;
  const reader = (async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    // One read every READ_EVERY ms while the marks last (100: the 15-second refresh of 150 open console pages).
    const every = Number(process.env.CAMPAIGN_READ_EVERY || 100);
    while (!done) {
      const t = Date.now();
      const r = await request(agent, 'GET', `/api/v1/campaigns/${campaign}/coverage`, cookie);
      if (r.status !== 200) throw new Error(`coverage: ${r.status}`);
      reads.push(r.ms);
      await new Promise((go) => setTimeout(go, Math.max(0, every - (Date.now() - t))));
    }
    agent.destroy();
  })();
  const r = await load(url, jobs, conns, Number(process.env.CAMPAIGN_RATE || 0));
  done = true;
  await reader;
  reads.sort((a, b) => a - b);
  if (r.sample) process.stderr.write(`campaign mark: ${r.bad} failed, e.g. ${r.sample}\n`);
  console.log(`${r.n} ${(r.n / r.secs).toFixed(0)} ${quantile(r.ms, 0.5)} ${quantile(r.ms, 0.99)} ${r.bad} ${reads.length} ` +
    `${quantile(reads, 0.5)} ${quantile(reads, 0.99)}`);
}

if (command === 'setup') await setup(Number(args[0]));
else if (command === 'mark') await mark(Number(args[0]));
else throw new Error(`campaign.mjs: unknown command ${command}`);
one.destroy();
