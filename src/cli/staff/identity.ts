import type { Command } from 'commander';
import { approvalsOf } from '../../domain/index.js';
import {
  approveIdentity, identityRequest, identityRequests, refuseIdentity, requestIdentity, revealIdentity,
  type IdentityRequest, type RequestReview,
} from '../../client/staff-identity.js';
import { confirmed } from '../common/confirm.js';
import { emit, table } from '../common/output.js';
import { staffClient, unlockKeys, withStaffOptions, type StaffOptions } from './context.js';
import { run } from './run.js';

// Identity custody. Custodians decide here on both kinds of
// request: a case's identity (asked by an investigator) and a protection request's
// details (asked by a supervisor with `tipline protection details`).

const subjectLabel = (r: IdentityRequest) =>
  (r.subject === 'protection' ? `protection details ${r.protectionRequestId}${r.urgent ? ' (URGENT)' : ''}` : 'identity');

/** What a custodian reads before releasing a share: every line checked against the pinned bundle, or decrypted here. */
function describeReview({ request: r, requester, reason }: RequestReview): string {
  return [
    `release:    your share of the ${subjectLabel(r)}`,
    `case:       ${r.publicNumber} (${r.caseId})`,
    `asked by:   ${requester.staffId} (${requester.roles.join(', ')}; signature checked against the agency's pinned key bundle)`,
    `reason:     ${reason}`,
  ].join('\n');
}

export function registerIdentity(program: Command): void {
  const identity = program.command('identity').description("the denouncer's identity, or a protection request's details: m of n custodians must agree");
  withStaffOptions(identity.command('request').description('ask the custodians to reveal the identity of a case you hold (investigator)'))
    .argument('<caseId>')
    .requiredOption('--reason <text>', 'why (encrypted to the custodians)')
    .action(run(async (caseId: string, opts: StaffOptions & { reason: string }) => {
      const client = await staffClient(opts);
      const { keys } = await unlockKeys(opts);
      const requestId = await requestIdentity(client, caseId, opts.reason, keys);
      emit(opts, { identityRequestId: requestId }, () => `request ${requestId} sent to the custodians`);
    }));

  withStaffOptions(identity.command('list').description('requests you made or must decide on; urgent protection asks first')).action(run(async (opts: StaffOptions) => {
    const { requests } = await identityRequests(await staffClient(opts));
    emit(opts, requests.map(({ reason: _r, requestKey: _k, myShare: _s, identityBlock: _b, sealedDetails: _d, ...r }) => r), () =>
      table(['request id', 'for', 'case id', 'asked by', 'state', 'approvals'], requests.map((r) => [
        r.identityRequestId, subjectLabel(r), r.caseId, r.requesterId, r.state, `${approvalsOf(r.decisions)}/${r.threshold}`,
      ])));
  }));

  withStaffOptions(identity.command('approve').description('approve: re-seal your share (of the identity or of the protection details) to the requester (custodian); shows who asks, for which case and why, and asks you to confirm'))
    .argument('<identityRequestId>')
    .option('--yes', 'release without asking (scripts); the request is still verified and shown')
    .action(run(async (requestId: string, opts: StaffOptions & { yes?: boolean }) => {
      const client = await staffClient(opts);
      const { keys } = await unlockKeys(opts);
      const state = await approveIdentity(client, requestId, keys, async (review) => {
        process.stderr.write(`${describeReview(review)}\n`);
        return confirmed('release your share to this requester?', opts);
      });
      emit(opts, { identityRequestId: requestId, state }, () => `approved; the request is now ${state}`);
    }));

  withStaffOptions(identity.command('refuse').description('refuse with a reason (custodian)'))
    .argument('<identityRequestId>')
    .requiredOption('--reason <text>', 'why (encrypted)')
    .action(run(async (requestId: string, opts: StaffOptions & { reason: string }) => {
      const client = await staffClient(opts);
      const { keys } = await unlockKeys(opts);
      const state = await refuseIdentity(client, requestId, opts.reason, keys);
      emit(opts, { identityRequestId: requestId, state }, () => `refused; the request is now ${state}`);
    }));

  withStaffOptions(identity.command('show').description('combine the approved shares and read the identity (requester)'))
    .argument('<identityRequestId>')
    .action(run(async (requestId: string, opts: StaffOptions) => {
      const client = await staffClient(opts);
      const { keys } = await unlockKeys(opts);
      const r = await identityRequest(client, requestId);
      const text = await revealIdentity(r, keys);
      let parsed: unknown = text;
      try { parsed = JSON.parse(text); } catch { /* a plain-text identity block */ }
      emit(opts, { identityRequestId: requestId, identity: parsed }, () =>
        typeof parsed === 'object' && parsed ? Object.entries(parsed).map(([k, v]) => `${k}: ${String(v)}`).join('\n') : text);
    }));
}
