// nginx.mjs: Debian's nginx (/usr/sbin/nginx) in front of baodao servers, for tests: a temporary prefix with its own
// configuration, pid file, logs and temporary files, listening on 127.0.0.1 on a free port (no root needed), an
// upstream of the given servers taken in turn (round-robin) over kept-alive connections; stopped on exit.
import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NGINX = '/usr/sbin/nginx';

// The nginx program, or an error saying how to install it.
export function nginxBin() {
  if (!existsSync(NGINX)) throw new Error('nginx is not installed (sh scripts/deps.sh check)');
  return NGINX;
}

// A port nobody listens on at this moment (nginx may still lose it to someone else: start() then tries again).
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// What nginx writes under a prefix of its own: every temporary folder, so nothing goes to /var/lib/nginx.
export function tempPaths(dir) {
  return ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((t) => `${t}_temp_path ${join(dir, t)};`).join('\n  ');
}

// The configuration: one worker in the foreground, the upstream of urls ("http://127.0.0.1:PORT"), the client's
// address in X-Forwarded-For and the Host it asked for (the check-in codes' links are made from it).
function config(dir, port, urls, bodyLimit) {
  const servers = urls.map((u) => `server ${new URL(u).host} max_fails=1 fail_timeout=10s;`).join('\n    ');
  return `daemon off;
master_process on;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 512; }
http {
  access_log ${join(dir, 'access.log')};
  ${tempPaths(dir)}
  upstream baodao {
    ${servers}
    keepalive 16;
  }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size ${bodyLimit};
    location / {
      proxy_pass http://baodao;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_next_upstream error timeout;
    }
  }
}
`;
}

// Whether something answers HTTP at url/healthz (any status: nginx is up once it answers).
async function answers(url) {
  try {
    await (await fetch(`${url}/healthz`)).arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

// Starts nginx in front of urls. Returns {url, dir, child, log() (its error log), access() (its access log),
// stop()}. bodyLimit: client_max_body_size (nginx's own default is 1m; baodao takes photos of 5 MiB).
export async function startNginx(urls, { bodyLimit = '20m' } = {}) {
  const bin = nginxBin();
  const dir = mkdtempSync(join(tmpdir(), 'baodao-nginx-'));
  // Run as root, nginx's workers are 'nobody': they must reach the temporary folders inside.
  chmodSync(dir, 0o755);
  let child = null;
  const running = () => child && child.exitCode === null && child.signalCode === null;
  // If the test ends without stop(): nginx goes with it, and so does its folder.
  const cleanup = () => {
    if (running()) child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', cleanup);
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const conf = join(dir, 'nginx.conf');
    writeFileSync(conf, config(dir, port, urls, bodyLimit));
    child = spawn(bin, ['-p', dir, '-e', join(dir, 'error.log'), '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 10_000;
    while (child.exitCode === null && !(await answers(url))) {
      if (Date.now() > deadline) {
        child.kill('SIGTERM');
        throw new Error(`nginx did not answer on ${url}: ${out}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    if (child.exitCode !== null) {
      const log = existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '';
      if (/Address already in use/.test(out + log)) continue; // the port was taken meanwhile: another one
      throw new Error(`nginx exited ${child.exitCode}: ${out}${log}`);
    }
    const read = (f) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : '');
    const me = child;
    return {
      url, dir, child: me,
      log: () => read('error.log'),
      access: () => read('access.log'),
      async stop() {
        process.off('exit', cleanup);
        if (running()) {
          me.kill('SIGQUIT'); // graceful: finishes the requests in flight
          await once(me, 'exit');
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  throw new Error('nginx found no free port in 5 tries');
}

// Runs `nginx -t` on a main configuration file conf (with prefix dir for what it opens); returns its output, or
// throws with it when the configuration does not parse.
export function nginxTest(conf, dir) {
  try {
    return execFileSync(nginxBin(), ['-t', '-q', '-p', dir, '-e', join(dir, 'error.log'), '-c', conf],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`nginx -t -c ${conf} failed: ${e.stderr || e.message}`);
  }
}
