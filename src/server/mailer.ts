import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';

// Where notification digests go: the agency's SMTP server, or, for a demo, a directory
// that receives each message as an .eml file, the same bytes an SMTP server would get
// (nodemailer writes both). A demo can then be read to the last mail without setting up
// a mail server. The drop holds staff addresses, so it is private to the server's user.

export interface DigestMessage { from: string; to: string; subject: string; text: string }

export interface Mailer {
  send(message: DigestMessage): Promise<void>;
  close(): void;
}

/** The agency's mail server. The greeting names the console's host, not this machine's. */
export function smtpMailer(url: string, greetingName: string): Mailer {
  // Bounded waits, so a mail server that hangs holds neither a run nor shutdown for long.
  const transport = createTransport({ url, name: greetingName, connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 30_000 });
  return {
    send: async (message) => { await transport.sendMail(message); },
    close: () => transport.close(),
  };
}

/** A demo's mail drop: one file per message, named so a listing sorts them in the order sent. */
export function dropMailer(dir: string, greetingName: string): Mailer {
  const transport = createTransport({ streamTransport: true, buffer: true, newline: 'windows', name: greetingName });
  let sent = 0;
  return {
    async send(message) {
      const info = await transport.sendMail(message);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      sent += 1;
      const name = `digest-${Date.now()}-${String(sent).padStart(4, '0')}-${randomBytes(3).toString('hex')}.eml`;
      await writeFile(join(dir, name), info.message as Buffer, { mode: 0o600, flag: 'wx' });
    },
    close: () => transport.close(),
  };
}
