// connections.test.mjs: per-address and global connection limits, and the deadline for a request's head and body (real sockets)
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from '../lib/server.mjs';

// A kept-alive connection from localAddress that has had one answer: the server has surely counted it.
// Resolves with the socket, or with null when the server closed it without an answer (refused).
function openIdle(url, localAddress) {
  const u = new URL(url);
  return new Promise((resolve) => {
    const sock = net.connect({ host: u.hostname, port: Number(u.port), localAddress });
    let text = '';
    const done = (v) => { sock.removeAllListeners('data'); resolve(v); };
    sock.on('error', () => done(null));
    sock.on('close', () => done(null));
    sock.on('data', (d) => { text += d.toString('latin1'); if (/\r\n\r\n\{"status":"ok"\}/.test(text)) done(sock); });
    sock.on('connect', () => sock.write(`GET /healthz HTTP/1.1\r\nHost: ${u.host}\r\n\r\n`));
  });
}

// Sends a head line by line, one every `every` ms, until the server closes the connection (the event awaited).
function dribble(url, lines, every) {
  const u = new URL(url);
  return new Promise((resolve) => {
    const sock = net.connect({ host: u.hostname, port: Number(u.port) });
    let text = ''; let i = 0; let timer = null;
    const started = Date.now();
    const safety = setTimeout(() => finish('still open'), 15000); // only against a server that never closes
    function finish(why) { clearInterval(timer); clearTimeout(safety); sock.destroy(); resolve({ why, text, sent: i, ms: Date.now() - started }); }
    sock.on('data', (d) => { text += d.toString('latin1'); });
    sock.on('close', () => finish('closed'));
    sock.on('error', () => finish('closed'));
    sock.on('connect', () => { timer = setInterval(() => { if (i < lines.length) sock.write(lines[i++]); }, every); });
  });
}

// One request and its answer on a kept-alive socket.
function roundTrip(sock, host) {
  return new Promise((resolve) => {
    let text = '';
    const on = (d) => { text += d.toString('latin1'); if (/\{"status":"ok"\}/.test(text)) { sock.off('data', on); resolve(); } };
    sock.on('data', on);
    sock.write(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
  });
}

describe('connection limits (--per-ip-limit 8 --max-connections 64 --threads 1)', () => {
  let srv; const held = [];
  before(async () => {
    srv = await startServer({ demo: false, extra: ['--per-ip-limit', '8', '--max-connections', '64', '--threads', '1', '--request-timeout', '300'] });
  });
  after(async () => { for (const s of held) s?.destroy(); await srv?.stop(); });

  test('an address may hold 8 connections; its 9th is refused', async () => {
    for (let i = 0; i < 8; i++) {
      const s = await openIdle(srv.url, '127.0.0.2');
      assert.ok(s, `connection ${i + 1} answered`);
      held.push(s);
    }
    assert.equal(await openIdle(srv.url, '127.0.0.2'), null, 'the 9th is closed without an answer');
  });

  test('a flood of idle connections from five addresses leaves room for everybody else', async () => {
    for (const addr of ['127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6']) {
      for (let i = 0; i < 8; i++) held.push(await openIdle(srv.url, addr));
    }
    assert.equal(held.filter(Boolean).length, 40, '5 addresses × 8 idle connections are open');
    for (const addr of ['127.0.0.1', '127.0.0.7', '127.0.0.8']) {
      const s = await openIdle(srv.url, addr);
      assert.ok(s, `a client at ${addr} is answered`);
      held.push(s);
    }
  });

  test('the global limit holds too: past 64 open connections a new one waits until one of them ends', async () => {
    let n = held.filter(Boolean).length;
    for (let a = 10; n < 64; a++) {
      for (let i = 0; i < 8 && n < 64; i++) { const s = await openIdle(srv.url, `127.0.0.${a}`); assert.ok(s); held.push(s); n++; }
    }
    let answered = false;
    const waiting = openIdle(srv.url, '127.0.0.99').then((s) => { answered = true; return s; });
    // Three answers on a held connection pass through the server's one worker: a server without
    // the limit would have taken and answered the new connection on the way.
    const host = new URL(srv.url).host;
    const busy = held.find(Boolean);
    for (let i = 0; i < 3; i++) await roundTrip(busy, host);
    assert.equal(answered, false, 'not answered while 64 connections are open');
    held.pop().destroy();
    const s = await waiting;
    assert.ok(s, 'answered once a connection has ended');
    s.destroy();
    for (const x of held.splice(0)) x?.destroy();
  });
});

describe('the request deadline (--request-timeout 1, --timeout 30)', () => {
  let srv;
  before(async () => { srv = await startServer({ demo: false, extra: ['--request-timeout', '1', '--timeout', '30'] }); });
  after(async () => { await srv?.stop(); });

  test('a head sent one line every 300 ms is cut: the idle timeout alone (30 s) would never end it', async () => {
    const lines = ['GET /healthz HTTP/1.1\r\n', ...Array.from({ length: 100 }, (_, i) => `X-Slow-${i}: ${i}\r\n`)];
    const r = await dribble(srv.url, lines, 300);
    assert.equal(r.why, 'closed', `the server closed the connection (${r.sent} lines sent in ${r.ms} ms)`);
    assert.equal(r.text, '', 'and answered nothing');
    assert.ok(r.sent < lines.length, 'before the head was complete');
  });

  test('a body sent a byte every 300 ms is cut too', async () => {
    const head = 'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nX-Requested-With: baodao\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n';
    const r = await dribble(srv.url, [head, ...'{"login":"a","password":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}'], 300);
    assert.equal(r.why, 'closed', `closed after ${r.sent} writes`);
    assert.equal(r.text, '');
  });

  test('a connection that sends nothing at all is closed as well', async () => {
    const r = await dribble(srv.url, [], 300);
    assert.equal(r.why, 'closed');
  });

  test('requests that arrive in time are answered, one after the other on a kept-alive connection', async () => {
    const u = new URL(srv.url);
    const req = `GET /healthz HTTP/1.1\r\nHost: ${u.host}\r\n\r\n`;
    const r = await dribble(srv.url, [req, req, req, `GET /healthz HTTP/1.1\r\nHost: ${u.host}\r\nConnection: close\r\n\r\n`], 200);
    assert.equal((r.text.match(/HTTP\/1\.1 200 /g) || []).length, 4, r.text.slice(0, 300));
  });
});
