import t from 'tap';
import { ConfigError, loadConfig } from '../../src/server/config.js';

// The origin the server checks staff logins against must be the very string every
// client signs: `new URL(url).origin` of the URL it was given (PROTOCOL.md §8.2). A
// value no client can sign stops start-up, naming the variable, instead of refusing
// every login later.

const originOf = (env: Record<string, string>) => loadConfig(env).origin;

t.test('derived from HOST and PORT as a client writes it', async (t) => {
  t.equal(originOf({}), 'http://127.0.0.1:8080');
  t.equal(originOf({ HOST: '0.0.0.0', PORT: '9000' }), 'http://localhost:9000', 'all interfaces are reached as localhost');
  t.equal(originOf({ HOST: '::1', PORT: '9000' }), 'http://[::1]:9000', 'an IPv6 address in brackets');
  t.equal(originOf({ HOST: 'Tipline.Local', PORT: '80' }), 'http://tipline.local', 'the default port is not written, the host is lower case');
});

t.test('TIPLINE_ORIGIN is kept as an origin and wins over HOST and PORT', async (t) => {
  t.equal(originOf({ TIPLINE_ORIGIN: 'https://Tips.Example.gov.vn:443/', PORT: '0' }), 'https://tips.example.gov.vn');
  t.equal(originOf({ TIPLINE_ORIGIN: 'https://tips.example.gov.vn:8443' }), 'https://tips.example.gov.vn:8443');
});

/** The variables a refused configuration names. */
function refused(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => p.split(':')[0]!);
    throw e;
  }
  return [];
}

t.test('what no client signs is refused at start-up, naming the variable', async (t) => {
  for (const value of ['https://tips.example.gov.vn/staff', 'https://tips.example.gov.vn/?x=1', 'https://user:pw@tips.example.gov.vn', 'ftp://tips.example.gov.vn', 'https://tips.example.gov.vn:0', 'tips.example.gov.vn']) {
    t.same(refused({ TIPLINE_ORIGIN: value }), ['TIPLINE_ORIGIN'], value);
  }
  t.same(refused({ HOST: 'not a host' }), ['HOST'], 'a HOST that is no host');
});

t.test('notification mail: off without an SMTP URL, which must be smtp:// or smtps://', async (t) => {
  const off = loadConfig({});
  t.equal(off.smtpUrl, undefined, 'no SMTP server, no mail');
  t.equal(off.consoleLink, 'http://127.0.0.1:8080/staff/', "the link defaults to the origin's console");
  t.equal(off.notifyIntervalSeconds, 21600, 'a digest every six hours');
  t.equal(loadConfig({ TIPLINE_ORIGIN: 'https://tips.example.gov.vn' }).consoleLink, 'https://tips.example.gov.vn/staff/');
  const on = loadConfig({ TIPLINE_SMTP_URL: 'smtps://tipline:secret@mail.example.gov.vn:465', TIPLINE_CONSOLE_LINK: 'https://tips.example.gov.vn/staff/' });
  t.equal(on.smtpUrl, 'smtps://tipline:secret@mail.example.gov.vn:465');
  t.same(refused({ TIPLINE_SMTP_URL: 'https://mail.example.gov.vn' }), ['TIPLINE_SMTP_URL']);
  t.same(refused({ TIPLINE_CONSOLE_LINK: 'javascript:alert(1)' }), ['TIPLINE_CONSOLE_LINK']);
  t.same(refused({ TIPLINE_NOTIFY_INTERVAL_SECONDS: '10' }), ['TIPLINE_NOTIFY_INTERVAL_SECONDS'], 'a digest a few seconds after an event is no digest');
  t.same(refused({ TIPLINE_NOTIFY_INTERVAL_SECONDS: '600' }), ['TIPLINE_NOTIFY_INTERVAL_SECONDS'], 'nor one every ten minutes: it would date what a denouncer did to within them');
  t.same(refused({ TIPLINE_NOTIFY_INTERVAL_SECONDS: '600', TIPLINE_SMTP_URL: 'smtp://mail.example.gov.vn' }), ['TIPLINE_NOTIFY_INTERVAL_SECONDS'], 'with a mail server too');
  const drop = loadConfig({ TIPLINE_MAIL_DIR: 'data/mail', TIPLINE_NOTIFY_INTERVAL_SECONDS: '60' });
  t.same([drop.mailDir, drop.smtpUrl, drop.notifyIntervalSeconds], ['data/mail', undefined, 60], "a demo's mail drop may take a digest a minute: no mail provider sees it");
  t.same(refused({ TIPLINE_MAIL_DIR: 'data/mail', TIPLINE_NOTIFY_INTERVAL_SECONDS: '59' }), ['TIPLINE_NOTIFY_INTERVAL_SECONDS'], 'but not faster');
  t.same(refused({ TIPLINE_MAIL_DIR: 'data/mail', TIPLINE_SMTP_URL: 'smtp://mail.example.gov.vn' }), ['TIPLINE_MAIL_DIR'], 'digests go one way: mailed, or dropped');
});
