// bench/cases.mjs: the case queue at a district's scale (issue #14: 50,000 cases over 300 communities): the demo, then
// 50,000 cases written straight into its database over 300 communities of 白云区 (石榴桥 among them), states and due
// dates spread; then the queue's first page and its filters timed as staff of 石榴桥, the street (org) and the admin see
// them, sequentially. Prints a Markdown section. Run: BAODAO_BIN=build/baodao node bench/cases.mjs
import { execFileSync } from 'node:child_process';
import { startServer, Client } from '../tests/lib/server.mjs';

const N = Number(process.env.BENCH_CASES || 50000);
const COMMUNITIES = Number(process.env.BENCH_CASE_COMMUNITIES || 300);
const RUNS = Number(process.env.BENCH_CASE_RUNS || 200);
const srv = await startServer({ demo: 'full', engine: 'sqlite' });
try {
  const t0 = Date.now();
  execFileSync('python3', ['-', srv.db, String(N), String(COMMUNITIES)], { input: `
import random, sqlite3, sys, time
path, n, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
db = sqlite3.connect(path)
codes = [r[0] for r in db.execute("SELECT code FROM region WHERE level = 'community' AND code LIKE '440111%' ORDER BY code LIMIT ?", (k,))]
if '440111002011' not in codes: codes[0] = '440111002011'
cats = [r[0] for r in db.execute("SELECT code FROM case_category")]
states = ['reported', 'accepted', 'assigned', 'in_progress', 'resolved', 'follow_up', 'closed', 'closed', 'closed', 'refused']
now = int(time.time())
random.seed(14)
rows = []
for i in range(n):
    s = random.choice(states)
    created = now - random.randint(0, 30 * 86400)
    rows.append((random.choice(codes), random.choice(cats), '问题%d' % i, '描述', 'normal', 'self', s, created + 3 * 86400, created, created))
db.executemany("INSERT INTO cases (community_code, category_code, title, description, priority, channel, state, due_at, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
db.commit()
print(len(codes))
` });
  const loaded = (Date.now() - t0) / 1000;
  const who = {};
  for (const login of ['staff', 'org', 'admin']) {
    who[login] = new Client(srv.url);
    await who[login].login(login, login === 'admin' ? process.env.ADMIN_PASSWORD || 'Admin-test-password-1' : undefined);
  }
  const cases = [
    ['staff', '石榴桥: open, first page', '/api/v1/cases?community=440111002011&open=1'],
    ['staff', '石榴桥: overdue', '/api/v1/cases?overdue=1'],
    ['org', '三元里街道: open, first page', '/api/v1/cases?open=1'],
    ['org', '三元里街道: overdue', '/api/v1/cases?overdue=1'],
    ['admin', '白云区 (admin): open, first page', '/api/v1/cases?open=1'],
    ['admin', '白云区 (admin): overdue, drain', '/api/v1/cases?overdue=1&category=drain'],
    ['admin', 'one community (admin): due soon', '/api/v1/cases?community=440111002011&due_soon=1'],
  ];
  const lines = [];
  for (const [login, what, url] of cases) {
    const ms = [];
    let items = 0;
    for (let i = 0; i < RUNS; i++) {
      const a = performance.now();
      const r = await who[login].get(url);
      ms.push(performance.now() - a);
      if (r.status !== 200) throw new Error(`${url}: ${r.status} ${r.text}`);
      items = r.json.items.length;
    }
    ms.sort((x, y) => x - y);
    const p = (q) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))].toFixed(1);
    lines.push(`| ${what} | ${items} | ${p(0.5)} | ${p(0.99)} |`);
  }
  console.log(`## The case queue: ${N} cases over ${COMMUNITIES} communities\n`);
  console.log(`\`bench/cases.mjs\` (SQLite, ${RUNS} sequential requests each, loaded in ${loaded.toFixed(1)} s):\n`);
  console.log('| queue | items | p50 ms | p99 ms |\n|---|---|---|---|');
  for (const l of lines) console.log(l);
} finally {
  await srv.stop();
}
