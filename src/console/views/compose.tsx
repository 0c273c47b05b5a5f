import { useState } from 'preact/hooks';
import type { CaseDetail } from '../../client/staff.js';
import { requestIdentity } from '../../client/staff-identity.js';
import { reply } from '../../client/staff-messages.js';
import { describeError } from '../errors.js';
import { t, type MessageKey } from '../i18n/index.js';
import type { ConsoleSession } from '../session.js';

// Writing from the case: a reply to the denouncer, sealed under the case key and signed
// here; and an investigator's request to reveal the denouncer's identity, its reason
// encrypted to the custodians, who decide (m of n). Neither leaves the page in clear.

type Send = (text: string) => Promise<unknown>;

interface WriteProps {
  title: MessageKey; label: MessageKey; submit: MessageKey; working: MessageKey; sent: MessageKey;
  /** A step between writing and sending, for what cannot be taken back. */
  confirm?: string; hint?: string; send: Send; onSent: () => void; idPrefix: string;
}

function Write({ title, label, submit, working, sent, confirm, hint, send, onSent, idPrefix }: WriteProps) {
  const [text, setText] = useState('');
  const [stage, setStage] = useState<'write' | 'confirm' | 'working'>('write');
  const [said, setSaid] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function go() {
    setStage('working');
    setError(null);
    try {
      await send(text.trim());
      setText('');
      setSaid(t(sent));
      onSent();
    } catch (err) {
      setError(t('action.failed', { why: describeError(err) }));
    } finally {
      setStage('write');
    }
  }
  function submitted(e: Event) {
    e.preventDefault();
    setSaid(null);
    if (!text.trim()) { setError(t('compose.empty')); return; }
    setError(null);
    if (confirm) setStage('confirm'); else void go();
  }
  return (
    <form class="compose" onSubmit={submitted} aria-labelledby={`${idPrefix}-title`} noValidate>
      <h3 id={`${idPrefix}-title`}>{t(title)}</h3>
      {hint && <p class="hint">{hint}</p>}
      <div class="field">
        <label for={`${idPrefix}-text`}>{t(label)}</label>
        <textarea id={`${idPrefix}-text`} rows={4} value={text} disabled={stage !== 'write'}
          onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)} />
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      {said && <p class="done" role="status">{said}</p>}
      <p role="status">{stage === 'working' ? t(working) : ''}</p>
      {stage === 'write' && <button type="submit">{t(submit)}</button>}
      {stage !== 'write' && confirm && (
        <div class="dialog" role="group" aria-label={t(submit)}>
          <p>{confirm}</p>
          <button type="button" class="primary" disabled={stage === 'working'} onClick={() => void go()}>{t('compose.confirm')}</button>{' '}
          <button type="button" disabled={stage === 'working'} onClick={() => setStage('write')}>{t('action.cancel')}</button>
        </div>
      )}
    </form>
  );
}

/** Intake officers and investigators holding the case key write to the denouncer. */
export function ReplyBox({ session, detail, onSent }: { session: ConsoleSession; detail: CaseDetail; onSent: () => void }) {
  const roles = session.client.session.roles;
  if (!detail.wrappedKey || !(roles.includes('intake') || roles.includes('investigator'))) return <p class="hint">{t('reply.notAllowed')}</p>;
  return (
    <Write idPrefix="reply" title="reply.title" label="reply.text" submit="reply.send" working="reply.working" sent="reply.sent"
      send={(text) => reply(session.client, detail.caseId, text, session.keys)} onSent={onSent} />
  );
}

/** An investigator assigned the case asks the custodians for the identity, with a reason. */
export function RevealRequest({ session, detail, publicNumber }: { session: ConsoleSession; detail: CaseDetail; publicNumber: string }) {
  if (!detail.hasIdentity) return null;
  const assigned = session.client.session.roles.includes('investigator') && detail.grants.some((g) => g.staffId === session.staffId);
  if (!assigned) return <p class="hint">{t('reveal.onlyInvestigator')}</p>;
  return (
    <Write idPrefix="reveal" title="reveal.title" label="reveal.reason" submit="reveal.submit" working="reveal.working" sent="reveal.sent"
      hint={t('reveal.hint', { m: detail.identityThreshold ?? '?' })} confirm={t('reveal.confirm', { number: publicNumber })}
      send={(reason) => requestIdentity(session.client, detail.caseId, reason, session.keys)} onSent={() => undefined} />
  );
}
