import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { listAgencies, openReceipt, type ReceiptSession } from '../../client/denouncer.js';
import { ApiClientError } from '../../client/http.js';
import { TiplineCryptoError } from '../../protocol/index.js';
import { withClientOptions, type ClientOptions } from '../common/options.js';
import { CliError, emit, table } from '../common/output.js';
import { progressBar } from '../common/progress.js';
import { fileSource, readAllStdin, readReceipt, type ReceiptOptions } from './io.js';

// The commands a receipt holder runs: status, messages, reply, withdraw, attach, download. The
// receipt comes from a prompt, stdin, --receipt-file or TIPLINE_RECEIPT, never argv.

type Opts = ClientOptions & ReceiptOptions;

async function session(opts: Opts): Promise<ReceiptSession> {
  try {
    return await openReceipt(await readReceipt(opts), { server: opts.server });
  } catch (err) {
    if (err instanceof TiplineCryptoError) throw new CliError('that receipt has a typo: check it and try again');
    throw err;
  }
}

/** Runs a command, turning the server's answers into plain sentences. */
const guarded = <A extends unknown[]>(fn: (...args: A) => Promise<void>) => async (...args: A) => {
  try {
    await fn(...args);
  } catch (err) {
    if (err instanceof ApiClientError && err.status === 404) throw new CliError('no case opens with this receipt');
    // Every receipt request solves a proof of work and draws on the receipt's budgets.
    if (err instanceof ApiClientError && err.code === 'rate_limited') {
      throw new CliError(`the server limits how often one receipt may do this: try again in ${err.retryAfterSeconds ?? 60} s`);
    }
    if (err instanceof ApiClientError) throw new CliError(err.message);
    throw err;
  }
};

const receiptCommand = (program: Command, name: string, description: string) =>
  withClientOptions(program.command(name).description(description).option('--receipt-file <path>', 'read the receipt from this file'));

export function registerReceiptCommands(program: Command): void {
  withClientOptions(program.command('agencies').description('list the agencies that take reports on this server')).action(
    guarded(async (opts: ClientOptions) => {
      const agencies = await listAgencies({ server: opts.server });
      emit(opts, agencies.map((a) => ({ agencyId: a.agencyId, slug: a.slug, name: a.name, profile: a.profile, bundleSerial: a.bundle?.serial ?? null })),
        () => table(['slug', 'name', 'profile'], agencies.map((a) => [a.slug, a.name, a.profile])));
    }),
  );

  receiptCommand(program, 'status', 'show the status of your case').action(
    guarded(async (opts: Opts) => {
      const opened = await session(opts);
      const s = await opened.status();
      // Notices owed by law (Art. 9.1.c) arrive as sealed messages; show each under its step.
      const notices = new Map((await opened.messages()).map((m) => [m.messageId, m.text]));
      const notice = (id: string | null) => (id && notices.has(id) ? `\n      notice: ${notices.get(id)}` : '');
      emit(opts, { ...s, notices: Object.fromEntries(notices) }, () => [
        `Case ${s.publicNumber} (${s.kind}) at ${s.agency.name}`, `Received on ${s.receivedOn}`, `Status: ${s.status}`,
        `Current deadline: ${s.due ?? 'none running'}`,
        ...(s.timeline.length ? ['Timeline:'] : []),
        ...s.timeline.map((e) => `  ${e.on}  ${e.event}${e.deadline ? `  (deadline ${e.deadline})` : ''}${notice(e.noticeMessageId)}`)].join('\n'));
    }),
  );

  receiptCommand(program, 'messages', 'read the messages of your case').option('--after <seq>', 'only messages after this one', '0').action(
    guarded(async (opts: Opts & { after: string }) => {
      const list = await (await session(opts)).messages(opts.after);
      // Files are listed as the API names them (attachmentId); inside the sealed body they say id (PROTOCOL.md §10).
      emit(opts, list.map(({ attachments, ...m }) => ({ ...m, attachments: attachments.map(({ id, ...a }) => ({ attachmentId: id, ...a })) })), () => list.length === 0 ? 'No messages.' : list.map((m) =>
        `#${m.seq} ${m.sentOn} ${m.direction === 'to_denouncer' ? 'from the agency' : 'from you'}\n${m.text}` +
        m.attachments.map((a) => `\n  [attachment ${a.id}] ${a.name} (${a.size} bytes)`).join('')).join('\n\n'));
    }),
  );

  receiptCommand(program, 'reply', 'send a message to the agency').option('--file <path>', 'message text (default: standard input)')
    .option('--attach <file>', 'a file to attach (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .action(guarded(async (opts: Opts & { file?: string; attach: string[] }) => {
      // The receipt is read first, so stdin can carry it and then the text (or use --file).
      const s = await session(opts);
      const text = opts.file ? await readFile(opts.file, 'utf8') : await readAllStdin();
      if (!text.trim() && opts.attach.length === 0) throw new CliError('nothing to send');
      const files = await Promise.all(opts.attach.map(fileSource));
      const total = files.reduce((n, f) => n + f.size, 0);
      const bar = progressBar('uploading', total);
      let before = 0;
      const m = await s.reply(text, files, (done, fileTotal) => { bar.update(before + done); if (done === fileTotal) before += fileTotal; });
      bar.stop();
      emit(opts, { messageId: m.messageId, seq: m.seq, sentOn: m.sentOn }, () => `Message sent (#${m.seq}).`);
    }));

  receiptCommand(program, 'withdraw', 'withdraw your denunciation, all or part, in writing (Art. 33)')
    .option('--part', 'withdraw only the part your letter names (default: all of it)')
    .option('--file <path>', 'your withdrawal letter: for a part, which part; your reasons (default: standard input)')
    .action(guarded(async (opts: Opts & { part?: boolean; file?: string }) => {
      const s = await session(opts);
      const letter = opts.file ? await readFile(opts.file, 'utf8') : await readAllStdin();
      // A part is withdrawn by naming it; the whole may be withdrawn without a word.
      if (opts.part && !letter.trim()) throw new CliError('say in the letter which part you withdraw');
      try {
        const r = await s.withdraw(opts.part ? 'part' : 'all', letter);
        emit(opts, r, () => opts.part
          ? `Withdrawn in part on ${r.on}; the rest of your denunciation is still being settled. Status: ${r.status}.`
          : `Withdrawn on ${r.on}. Status: ${r.status}.`);
      } catch (err) {
        if (err instanceof ApiClientError && err.code === 'illegal_transition') throw new CliError('this case can no longer be withdrawn (after the conclusion, or already withdrawn)');
        throw err;
      }
    }));

  receiptCommand(program, 'attach', 'send a file to the agency').argument('<file>', 'the file').action(
    guarded(async (path: string, opts: Opts) => {
      const file = await fileSource(path);
      const s = await session(opts);
      const bar = progressBar(`uploading ${file.name}`, file.size);
      const ref = await s.attach(file, (done) => bar.update(done));
      bar.stop();
      emit(opts, { attachmentId: ref.id, name: ref.name, size: ref.size }, () => `Sent ${ref.name} (${ref.id}).`);
    }),
  );

  receiptCommand(program, 'download', 'download and decrypt a file of your case').argument('<attachment-id>', 'see `tipline messages`')
    .option('--out <path>', 'where to write it (default: its name, in the current directory)')
    .action(guarded(async (id: string, opts: Opts & { out?: string }) => {
      const s = await session(opts);
      const ref = (await s.attachments()).find((a) => a.id === id) ?? (() => { throw new CliError(`no attachment ${id} in this case`); })();
      const path = opts.out ?? join('.', ref.name.replace(/[/\\]/g, '_') || ref.id);
      const out = createWriteStream(path, { flags: 'wx' });
      const bar = progressBar(`downloading ${ref.name}`, ref.size);
      try {
        for await (const piece of s.download(ref, (done) => bar.update(done))) {
          if (!out.write(piece)) await new Promise<void>((r) => out.once('drain', () => r()));
        }
      } finally {
        out.end();
        bar.stop();
      }
      await finished(out);
      emit(opts, { attachmentId: ref.id, name: ref.name, size: ref.size, path }, () => `Saved ${ref.name} to ${path}.`);
    }));
}
