import { useEffect, useState } from 'preact/hooks';
import type { CaseDetail } from '../../client/staff.js';
import { checkedWorkflow } from '../../client/staff-workflow.js';
import type { CheckedHistory } from '../../client/staff-history.js';
import {
  allowedTransitions, workflowRolesOnCase, type Action, type Jurisdiction, type JurisdictionProfile, type TransitionRule, type WorkflowRole,
} from '../../domain/index.js';
import { describeError } from '../errors.js';
import { t } from '../i18n/index.js';
import type { ConsoleSession } from '../session.js';
import { proposable } from '../proposals.js';
import { ActionForm, type Draft } from './action-form.js';
import { Proposals } from './proposals.js';
import { Publish } from './publish.js';
import { actionText, roleText } from './words.js';

// The workflow steps this staff member can take on the case, worked out here from the
// history as checked against the agency's verified bundles (never from the server's
// `allowed`): what the law lets someone do from the checked state is listed, enabled for
// the roles that may, and otherwise disabled with the reason in words. Beside them, the
// investigator proposes to the head the decisions only the head takes, and the head
// answers proposals (proposals.tsx).

const STAFF_WORKFLOW_ROLES: readonly WorkflowRole[] = ['intake', 'investigator', 'supervisor'];

/** The checked history, the rules the next step is taken under today, and the jurisdiction for older steps. */
export interface Checked { history: CheckedHistory; profile: JurisdictionProfile; jurisdiction: Jurisdiction; receivedOn: string }

interface Step { rule: TransitionRule; why: string | null }

/** The workflow roles this staff member holds on the case. */
const rolesOn = (s: ConsoleSession, detail: CaseDetail) => workflowRolesOnCase(s.client.session.roles, {
  home: detail.agencyId === s.agencyId, granted: detail.grants.some((g) => g.staffId === s.staffId),
});

function steps(s: ConsoleSession, detail: CaseDetail, c: Checked): Step[] {
  const snap = c.history.snapshot;
  const mine = rolesOn(s, detail);
  const mayTake = new Set(allowedTransitions(c.profile, snap, ...mine));
  const open = new Set(allowedTransitions(c.profile, snap, ...STAFF_WORKFLOW_ROLES));
  return c.profile.transitions.filter((r) => open.has(r.action)).map((rule) => {
    if (mayTake.has(rule.action)) return { rule, why: null };
    const onlyUnassigned = rule.roles.includes('investigator') && s.client.session.roles.includes('investigator');
    const names = rule.roles.filter((r) => r !== 'denouncer').map(roleText).join(t('words.or'));
    return { rule, why: onlyUnassigned ? t('actions.notAssigned') : t('actions.onlyRoles', { roles: names }) };
  });
}

interface Props { session: ConsoleSession; detail: CaseDetail; publicNumber: string; onChanged: () => void }

export function CaseActions({ session, detail, publicNumber, onChanged }: Props) {
  const [checked, setChecked] = useState<Checked | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<{ action: Action; mode: 'decide' | 'propose'; prefill?: Partial<Draft> } | null>(null);
  const [round, setRound] = useState(0);
  const [outcome, setOutcome] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setChecked(null);
    checkedWorkflow(session.client, detail.caseId).then(
      ({ history, profile, jurisdiction, view }) => live && setChecked({ history, profile, jurisdiction, receivedOn: view.receivedOn }),
      (err: unknown) => live && setError(describeError(err)),
    );
    return () => { live = false; };
  }, [detail.caseId, round]);

  const list = checked ? steps(session, detail, checked) : [];
  const rule = chosen && checked ? checked.profile.transitions.find((r) => r.action === chosen.action) : undefined;
  const toPropose = checked ? proposable(session, detail, checked) : [];
  const done = (said: string) => { setChosen(null); setOutcome(said); setRound((n) => n + 1); onChanged(); };
  return (
    <section aria-labelledby="actions-title" class="actions">
      <h3 id="actions-title">{t('actions.title')}</h3>
      {outcome && <p class="done" role="status">{outcome}</p>}
      {error && <p class="error" role="alert">{error}</p>}
      {!error && !checked && <p role="status">{t('actions.loading')}</p>}
      {checked && checked.history.refused > 0 && <p class="error" role="alert">{t('actions.historyRefused')}</p>}
      {checked && checked.history.refused === 0 && list.length === 0 && <p>{t('actions.none')}</p>}
      {checked && checked.history.refused === 0 && !rule && (
        <ul class="steps">
          {list.map(({ rule: r, why }) => (
            <li key={r.action}>
              <button type="button" disabled={why !== null || !detail.wrappedKey} aria-describedby={why ? `why-${r.action}` : undefined}
                onClick={() => { setOutcome(null); setChosen({ action: r.action, mode: 'decide' }); }}>{actionText(r.action)}</button>
              {why && <span class="why" id={`why-${r.action}`}> {why}</span>}
              {!why && !detail.wrappedKey && <span class="why"> {t('actions.noKey')}</span>}
            </li>
          ))}
          {toPropose.map((action) => (
            <li key={`propose-${action}`}>
              <button type="button" disabled={!detail.wrappedKey} onClick={() => { setOutcome(null); setChosen({ action, mode: 'propose' }); }}>
                {t('proposal.title', { action: actionText(action) })}
              </button>
              <span class="why"> {t('proposal.toHead')}</span>
            </li>
          ))}
        </ul>
      )}
      {checked && rule && chosen && (
        <ActionForm key={`${chosen.mode}-${chosen.action}`} session={session} caseId={detail.caseId} publicNumber={publicNumber} checked={checked} rule={rule}
          mode={chosen.mode} prefill={chosen.prefill} onCancel={() => setChosen(null)} onDone={done} />
      )}
      {checked && checked.history.refused === 0 && !rule && (
        <Proposals session={session} detail={detail} checked={checked} round={round}
          onDecide={(p, prefill) => { setOutcome(null); setChosen({ action: p.checked.action, mode: 'decide', prefill }); }} onChanged={done} />
      )}
      {checked && checked.history.refused === 0 && !rule && (
        <Publish session={session} caseId={detail.caseId} state={checked.history.snapshot.state} profile={checked.profile} roles={rolesOn(session, detail)} />
      )}
    </section>
  );
}
