import type { Command } from 'commander';
import { decodeJson, type AttachmentRef, type CaseBody } from '../../client/plaintext.js';
import { readMessages, reply } from '../../client/staff-messages.js';
import { emit, table } from '../common/output.js';
import { staffClient, unlockKeys, withStaffOptions, type StaffOptions } from './context.js';
import { run } from './run.js';
import { caseAttachments, saveAttachments } from './save-attachments.js';
import { checkedWorkflow, resolveCaseId } from '../../client/staff-workflow.js';
import { describeEvent, staffLabel } from '../workflow/history.js';

// Cases: list, open locally (and save the attachments), assign / revoke, reply to the denouncer.
// `case show` marks every reply and workflow event with its authenticity, as checked here.

interface ShowOptions extends StaffOptions { saveAttachments?: string; out?: string }
interface ListOptions extends StaffOptions { status?: string; kind?: string; from?: string; to?: string; dueBy?: string; cursor?: string; limit: string; scope?: string }

function showCase(body: CaseBody): string {
  const s = body.summary ?? {};
  const lines = [`kind: ${body.kind}`];
  for (const [label, value] of [['who', s.who], ['what', s.what], ['when', s.when], ['where', s.where], ['evidence', s.evidence]] as const) {
    if (value) lines.push(`${label}: ${value}`);
  }
  return lines.join('\n') + showAttachments(body.attachments ?? []);
}

function showAttachments(refs: AttachmentRef[]): string {
  return refs.map((a) => `\nattachment: ${JSON.stringify(a.name)} (${a.type}, ${a.size} bytes)`).join('');
}

export function registerCases(program: Command): void {
  withStaffOptions(program.command('cases').description('list the cases you may see, newest first'))
    .option('--status <status>', 'only this workflow status')
    .option('--kind <kind>', 'only this kind')
    .option('--from <day>', 'received on or after (YYYY-MM-DD)')
    .option('--to <day>', 'received on or before (YYYY-MM-DD)')
    .option('--due-by <day>', 'only cases whose running deadline is on or before this day (YYYY-MM-DD)')
    .option('--scope <scope>', 'agency (all of your agency) or granted (given to you)')
    .option('--cursor <cursor>', 'continue from a previous page')
    .option('--limit <n>', 'page size', '50')
    .action(run(async (opts: ListOptions) => {
      const page = await (await staffClient(opts)).cases({
        status: opts.status, kind: opts.kind, receivedFrom: opts.from, receivedTo: opts.to, dueBy: opts.dueBy, scope: opts.scope, cursor: opts.cursor, limit: opts.limit,
      });
      emit(opts, page, () =>
        table(['case id', 'number', 'kind', 'status', 'received', 'due', 'identity'], page.cases.map((c) => [c.caseId, c.publicNumber, c.kind, c.status, c.receivedOn, c.dueOn, c.hasIdentity ? 'yes' : ''])) +
        (page.nextCursor ? `\nmore: --cursor ${page.nextCursor}` : ''));
    }));

  const kase = program.command('case').description('one case');
  withStaffOptions(kase.command('show').description('fetch a case and decrypt it on this machine, with its messages'))
    .argument('<case>', 'case id or public number (TL-…)')
    .option('--save-attachments <dir>', 'also download, decrypt and save every attachment into this directory')
    .option('--out <dir>', 'the same as --save-attachments')
    .action(run(async (caseRef: string, opts: ShowOptions) => {
      const client = await staffClient(opts);
      const caseId = await resolveCaseId(client, caseRef);
      const { keys } = await unlockKeys(opts);
      const { detail, contentKey, body } = await client.openCase(caseId, keys);
      const caseBody = decodeJson<CaseBody>(body);
      const messages = await readMessages(client, caseId, detail.agencyId, contentKey);
      contentKey.fill(0);
      const { history, names } = await checkedWorkflow(client, caseId);
      const dir = opts.saveAttachments ?? opts.out;
      const saved = dir ? await saveAttachments(client, { agencyId: detail.agencyId, caseId }, caseAttachments(caseBody, messages), dir) : undefined;
      const { envelope: _e, wrappedKey: _w, ...meta } = detail;
      // The state shown is where the checked history leads, not the server's status column.
      const state = history.snapshot.state;
      emit(opts, { ...meta, state, body: caseBody, workflow: history.events, messages, ...(saved ? { saved } : {}) }, () =>
        [`${detail.publicNumber}  ${state}  received ${detail.receivedOn}${detail.hasIdentity ? '  (identity sealed)' : ''}`, showCase(caseBody),
          ...history.events.map((e) => `--- ${describeEvent(e, names)}`),
          ...messages.map((m) => m.authenticity === 'refused'
            ? `--- ${m.sentOn} REFUSED: message ${m.messageId} is altered or not signed by a staff member of the agency's verified bundle; not shown`
            : `--- ${m.sentOn} ${m.direction === 'to_denouncer' ? `to denouncer, signed by ${staffLabel(names, m.authorId!)}` : 'from denouncer'}\n${m.text}${showAttachments(m.attachments)}`),
          ...(saved ?? []).map((f) => `saved: ${f.path} (${f.size} bytes)`)].join('\n'));
    }));

  withStaffOptions(kase.command('assign').description("grant the case to a colleague (or another agency's staff) by re-sealing its key to their key in their agency's pinned, verified bundle"))
    .argument('<case>', 'case id or public number (TL-…)')
    .requiredOption('--to <staffId>', 'the assignee')
    .option('--agency <agencyId>', "the assignee's agency, for a transfer (pin it first: tipline agency pin)")
    .action(run(async (caseRef: string, opts: StaffOptions & { to: string; agency?: string }) => {
      const client = await staffClient(opts);
      const caseId = await resolveCaseId(client, caseRef);
      const { keys } = await unlockKeys(opts);
      await client.grant(caseId, { staffId: opts.to, ...(opts.agency ? { agencyId: opts.agency } : {}) }, keys);
      emit(opts, { caseId, grantedTo: opts.to }, () => `case ${caseId} granted to ${opts.to}`);
    }));

  withStaffOptions(kase.command('revoke').description("remove a colleague's grant (their wrapped key is deleted)"))
    .argument('<case>', 'case id or public number (TL-…)')
    .requiredOption('--from <staffId>', 'whose grant to remove')
    .action(run(async (caseRef: string, opts: StaffOptions & { from: string }) => {
      const client = await staffClient(opts);
      const caseId = await resolveCaseId(client, caseRef);
      await client.revoke(caseId, opts.from);
      emit(opts, { caseId, revoked: opts.from }, () => `grant of ${opts.from} on ${caseId} revoked`);
    }));

  withStaffOptions(kase.command('reply').description('write to the denouncer (encrypted and signed here)'))
    .argument('<case>', 'case id or public number (TL-…)')
    .requiredOption('--message <text>', 'the message')
    .action(run(async (caseRef: string, opts: StaffOptions & { message: string }) => {
      const client = await staffClient(opts);
      const caseId = await resolveCaseId(client, caseRef);
      const { keys } = await unlockKeys(opts);
      const messageId = await reply(client, caseId, opts.message, keys);
      emit(opts, { caseId, messageId }, () => `message ${messageId} sent`);
    }));
}
