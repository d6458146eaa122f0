// loadgen.mjs: the HTTP load the scenario scripts share (bench/wishes.mjs, bench/campaign.mjs): one request timed,
// and a list of jobs run over some connections, closed loop (top speed) or open loop at a rate.
import http from 'node:http';

// One request to base (a URL); resolves {status, text, ms (from due), cookie (a sid= set, if any)}.
export function request(base, agent, method, path, cookie, body, due = process.hrtime.bigint()) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers = { 'X-Requested-With': 'baodao' };
  if (cookie) headers.Cookie = cookie;
  if (payload) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) });
  return new Promise((resolve, reject) => {
    const rq = http.request({ host: base.hostname, port: base.port, method, path, agent, headers }, (r) => {
      const parts = [];
      r.on('data', (d) => parts.push(d));
      r.on('end', () => resolve({ status: r.statusCode, text: Buffer.concat(parts).toString(), ms: Number(process.hrtime.bigint() - due) / 1e6,
        cookie: (r.headers['set-cookie'] || []).map((c) => c.split(';')[0]).find((c) => c.startsWith('sid=')) }));
    });
    rq.on('error', reject);
    rq.end(payload);
  });
}

// The q-quantile of sorted milliseconds, as text.
export const quantile = (ms, q) => (ms.length ? ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)].toFixed(2) : 'n/a');

/*
 * Runs jobs (each {method, path, cookie, body, ok(status, text)}) over conns keep-alive connections to base.
 * rate 0: each connection sends its next job as soon as the last is answered (closed loop: the server's top speed,
 * where p99 is about conns / (requests per second) because every request waits for those ahead of it). rate R: job i
 * leaves at i/R seconds whatever the answers (open loop), its latency counted from then, so time queued counts too.
 * Resolves {n, secs, ms (sorted), bad, sample (the first failure)}.
 */
export async function load(base, jobs, conns, rate = 0) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: conns });
  const ms = [];
  let bad = 0;
  let sample = '';
  const t0 = process.hrtime.bigint();
  const send = async (j, due) => {
    const r = await request(base, agent, j.method, j.path, j.cookie, j.body, due);
    ms.push(r.ms);
    const fine = j.ok ? j.ok(r.status, r.text) : r.status < 300;
    if (!fine) { bad++; sample = sample || `${r.status} ${r.text.slice(0, 200)}`; }
  };
  if (rate) {
    await Promise.all(jobs.map((j, i) => {
      const due = t0 + BigInt(Math.round(i * 1e9 / rate));
      const wait = Number(due - process.hrtime.bigint()) / 1e6;
      return new Promise((go) => setTimeout(go, Math.max(0, wait))).then(() => send(j, due));
    }));
  } else {
    let next = 0;
    await Promise.all(Array.from({ length: conns }, async () => {
      while (next < jobs.length) await send(jobs[next++]);
    }));
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  agent.destroy();
  ms.sort((a, b) => a - b);
  return { n: ms.length, secs, ms, bad, sample };
}
