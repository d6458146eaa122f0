// keepalive.mjs PORT PATH N [COOKIE]: N GET requests one after another on one keep-alive connection
import http from 'node:http';

const [port, path, n, cookie] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const headers = cookie ? { Cookie: cookie } : {};
for (let i = 0; i < Number(n); i++) {
  await new Promise((resolve, reject) => {
    const rq = http.get({ host: '127.0.0.1', port, path, agent, headers }, (r) => {
      if (r.statusCode !== 200) reject(new Error(`${path}: ${r.statusCode}`));
      r.resume();
      r.on('end', resolve);
    });
    rq.on('error', reject);
  });
}
agent.destroy();
