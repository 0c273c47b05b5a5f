import type { Command } from 'commander';
import type { CheckedDecision, CheckedEvent } from '../../client/staff-history.js';
import type { SignedName } from '../../client/staff-names.js';
import { checkedWorkflow, resolveCaseId } from '../../client/staff-workflow.js';
import { emit } from '../common/output.js';
import { staffClient, withStaffOptions, type StaffOptions } from '../staff/context.js';
import { run } from '../staff/run.js';

// `tipline case history`: a case's workflow as this machine checked it, each event with
// its authenticity, as `case show` marks each reply (src/client/staff-history.ts). A
// refused event is shown as REFUSED, with what the server claims but no author.

/**
 * A signer as the CLI prints them: the staff id, and the name the agency's verified
 * bundles sign for it, never the server's staff list (PROTOCOL.md §9, "Names").
 */
export function staffLabel(names: ReadonlyMap<string, SignedName>, staffId: string): string {
  const signed = names.get(staffId);
  return `${staffId} (${signed ? signed.displayName : 'name unverified'})`;
}

export function describeEvent(e: CheckedEvent, names: ReadonlyMap<string, SignedName>): string {
  const step = `#${e.seq} ${e.onDay} ${e.action} ${e.from} → ${e.to}`;
  switch (e.authenticity) {
    case 'signed': {
      // A conclusion's figures, as signed (money in đồng, land in m², persons).
      const figures = e.figures ? `\n    figures signed with it / số liệu ký cùng: ${Object.entries(e.figures).map(([k, v]) => `${k} ${v}`).join(', ')}` : '';
      return `${step}  signed by ${staffLabel(names, e.actorId!)} — ${e.legalBasis}${figures}`;
    }
    case 'denouncer': return `${step}  by the denouncer (unsigned by design)`;
    case 'legacy': return `${step}  UNVERIFIED: no signature, recorded before signatures were kept with events (said to be by ${e.actorId})`;
    case 'refused': return `#${e.seq} ${e.onDay} REFUSED: "${e.action} ${e.from} → ${e.to}" as the server lists it — ${e.problem}; not counted, no author trusted`;
  }
}

/** A protection decision as `protection list` shows it. */
export function describeDecision(status: string, decidedOn: string | null, checked: CheckedDecision, names: ReadonlyMap<string, SignedName>): string {
  switch (checked.authenticity) {
    case 'pending': return status;
    case 'signed': return `${status} ${decidedOn}, signed by ${staffLabel(names, checked.decidedBy!)}`;
    case 'refused': return `REFUSED: shown as ${status} — ${checked.problem}; no decision trusted`;
  }
}

export function registerHistory(program: Command): void {
  const kase = program.commands.find((c) => c.name() === 'case') ?? program.command('case').description('work on cases');
  withStaffOptions(kase.command('history').description("a case's workflow, every event checked against its actor's key in the agency's signed bundles"))
    .argument('<case>', 'case id or public number (TL-…)')
    .action(run(async (ref: string, o: StaffOptions) => {
      const client = await staffClient(o);
      const caseId = await resolveCaseId(client, ref);
      const { view, history, names } = await checkedWorkflow(client, caseId);
      const state = history.snapshot.state;
      emit(o, { caseId, state, serverState: view.state, refused: history.refused, legacy: history.legacy, events: history.events }, () => [
        `case ${caseId}: ${state}${view.state !== state ? ` (the server says ${view.state}: not what its verified history leads to)` : ''}`,
        ...history.events.map((e) => describeEvent(e, names)),
        ...(history.refused > 0 ? [`${history.refused} event(s) REFUSED: no transition will be signed on this case until the agency has looked into it`] : []),
      ].join('\n'));
    }));
}
