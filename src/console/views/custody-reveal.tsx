import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { IdentityRequest } from '../../client/staff-identity.js';
import { readReleased, type Released } from '../custody.js';
import { describeError } from '../errors.js';
import { t, tOr } from '../i18n/index.js';
import type { ConsoleSession } from '../session.js';

// The requester reads what m custodians released: a warning first, then the shares are
// combined and the block opened in this page. What opens lives only in this component's
// state: it is never sent anywhere, and closing the panel (or the view) drops it.

export function RevealPanel({ s, r, onClose }: { s: ConsoleSession; r: IdentityRequest; onClose: () => void }) {
  const [opened, setOpened] = useState<Released | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [working, setWorking] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const protection = r.subject === 'protection';
  useEffect(() => { heading.current?.focus(); }, []);

  async function read() {
    setWorking(true);
    setError(null);
    try {
      setOpened(await readReleased(s, r.identityRequestId));
    } catch (err) {
      setError(describeError(err));
    } finally {
      setWorking(false);
    }
  }
  const close = () => { setOpened(null); onClose(); };
  const label = (field: string) => (field === '' ? t('custody.revealed.text') : tOr(`custody.field.${field}`, 'custody.field.other', { field }));
  const value = (v: string | boolean) => (typeof v === 'boolean' ? t(v ? 'custody.yes' : 'custody.no') : v);
  return (
    <section class="confirm reveal" aria-labelledby={`reveal-${r.identityRequestId}`}>
      <h4 id={`reveal-${r.identityRequestId}`} tabIndex={-1} ref={heading}>{t(protection ? 'custody.read.details' : 'custody.read.identity')}</h4>
      <p class="warning">⚠ {t(protection ? 'custody.reveal.warningDetails' : 'custody.reveal.warning')}</p>
      {!opened && (
        <div class="actions">
          <button type="button" class="danger" disabled={working} onClick={() => void read()}>{working ? t('custody.working') : t('custody.reveal.confirm')}</button>{' '}
          <button type="button" disabled={working} onClick={close}>{t('custody.cancel')}</button>
        </div>
      )}
      {error && <p class="error" role="alert">{error}</p>}
      {opened && <>
        <p role="status">{t('custody.revealed', { number: r.publicNumber })}</p>
        <dl class="body revealed">
          {opened.map(([k, v]) => <Fragment key={k}><dt>{label(k)}</dt><dd class="plaintext">{value(v)}</dd></Fragment>)}
        </dl>
        <button type="button" onClick={close}>{t('custody.reveal.close')}</button>
      </>}
    </section>
  );
}
