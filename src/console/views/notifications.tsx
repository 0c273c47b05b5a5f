import { useEffect, useState } from 'preact/hooks';
import {
  NOTIFICATION_KINDS, notifications, optOutOfNotifications, setNotificationPreferences, waitingTotal,
  type NotificationKind, type NotificationOverview,
} from '../../client/staff-notifications.js';
import { describeError } from '../errors.js';
import { t, type MessageKey, type Params } from '../i18n/index.js';
import type { ConsoleSession } from '../session.js';

// What waits for the member, as the counts the e-mail digest carries (GET
// /v1/staff/notifications), each with a way into the section where it waits; and their
// own choice of that digest. Counts only: nothing here names a case.

export interface SectionLink { id: string; label: MessageKey }

/** Where each count waits: the first of these sections the member is offered. */
const WHERE: Record<NotificationKind, readonly string[]> = {
  inbox: ['inbox'], replies: ['inbox'], deadlines: ['deadlines', 'inbox'], identity: ['custody'],
};

/** The top bar's count: the total of what waits, fetched when the bar is drawn. */
export function NotificationBadge({ session, generation }: { session: ConsoleSession; generation: number }) {
  const [total, setTotal] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    notifications(session.client.http).then((o) => live && setTotal(waitingTotal(o.counts)), () => live && setTotal(null));
    return () => { live = false; };
  }, [generation]);
  if (!total) return null;
  return <> <span class="badge unread-badge">{t('notify.badge', { count: total })}</span></>;
}

function Counts({ o, sections, open }: { o: NotificationOverview; sections: readonly SectionLink[]; open: (id: string) => void }) {
  return (
    <table class="cases counts" aria-labelledby="notify-title">
      <tbody>
        {NOTIFICATION_KINDS.map((k) => {
          const target = WHERE[k].map((id) => sections.find((s) => s.id === id)).find((s) => s !== undefined);
          return (
            <tr key={k}>
              <th scope="row">{t(`notify.kind.${k}`, { days: o.withinDays })}</th>
              <td>{o.counts[k]}</td>
              <td>{target && o.counts[k] > 0 && (
                <button type="button" aria-label={t('notify.openSection', { section: t(target.label) })} onClick={() => open(target.id)}>{t('notify.open')}</button>
              )}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function Notifications({ session, sections = [], open = () => undefined }: { session: ConsoleSession; sections?: readonly SectionLink[]; open?: (id: string) => void }) {
  const [overview, setOverview] = useState<NotificationOverview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let live = true;
    notifications(session.client.http).then((o) => live && setOverview(o), (err: unknown) => live && setError(describeError(err)));
    return () => { live = false; };
  }, [generation]);
  return (
    <section class="panel" aria-labelledby="notify-title">
      <h2 id="notify-title">{t('notify.title')}</h2>
      <p class="hint">{t('notify.intro')}</p>
      {error && <p class="error" role="alert">{error}</p>}
      {!overview && !error && <p role="status">{t('notify.loading')}</p>}
      {overview && <>
        <Counts o={overview} sections={sections} open={open} />
        <MailChoice session={session} o={overview} onChanged={() => setGeneration((g) => g + 1)} />
      </>}
    </section>
  );
}

function MailChoice({ session, o, onChanged }: { session: ConsoleSession; o: NotificationOverview; onChanged: () => void }) {
  const [address, setAddress] = useState(o.preferences?.address ?? '');
  const [kinds, setKinds] = useState<NotificationKind[]>(o.preferences?.kinds ?? [...NOTIFICATION_KINDS]);
  const [within, setWithin] = useState(String(o.preferences?.withinDays ?? o.withinDays));
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Kept as a key, so a switch of language re-words it.
  const [notice, setNotice] = useState<{ key: MessageKey; params: Params } | null>(null);
  const toggle = (k: NotificationKind, on: boolean) => setKinds(NOTIFICATION_KINDS.filter((x) => (x === k ? on : kinds.includes(x))));

  async function act(what: () => Promise<{ key: MessageKey; params: Params }>) {
    setWorking(true);
    setError(null);
    try {
      setNotice(await what());
      onChanged();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setWorking(false);
    }
  }
  function save(e: Event) {
    e.preventDefault();
    const days = Number(within);
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address.trim())) { setError(t('notify.mail.badAddress')); return; }
    if (kinds.length === 0) { setError(t('notify.mail.noKind')); return; }
    if (!Number.isInteger(days) || days < 0 || days > 30) { setError(t('notify.mail.badWithin')); return; }
    void act(async () => {
      const p = await setNotificationPreferences(session.client.http, { address: address.trim(), kinds, withinDays: days });
      return { key: 'notify.mail.saved' as const, params: { address: p.address } };
    });
  }
  const stop = () => act(async () => {
    await optOutOfNotifications(session.client.http);
    setAddress('');
    return { key: 'notify.mail.stopped' as const, params: {} };
  });

  return (
    <form onSubmit={save} noValidate aria-labelledby="notify-mail-title">
      <h3 id="notify-mail-title">{t('notify.mail.title')}</h3>
      <p class="hint">{t('notify.mail.intro')}</p>
      {!o.mail && <p class="hint">{t('notify.mail.off')}</p>}
      {!o.preferences && <p>{t('notify.mail.isOff')}</p>}
      <div class="field">
        <label for="notify-address">{t('notify.mail.address')}</label>
        <input id="notify-address" type="email" autoComplete="email" maxLength={254} value={address} onInput={(e) => setAddress((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <fieldset class="roles">
        <legend>{t('notify.mail.kinds')}</legend>
        {NOTIFICATION_KINDS.map((k) => (
          <label key={k}><input type="checkbox" checked={kinds.includes(k)} onChange={(e) => toggle(k, (e.currentTarget as HTMLInputElement).checked)} /> {t(`notify.kind.${k}`, { days: within })}</label>
        ))}
      </fieldset>
      <div class="field">
        <label for="notify-within">{t('notify.mail.within')}</label>
        <input id="notify-within" type="number" min={0} max={30} value={within} onInput={(e) => setWithin((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <p class={notice ? 'notice' : undefined} role="status">{notice && t(notice.key, notice.params)}</p>
      {error && <p class="error" role="alert">{error}</p>}
      <div class="actions">
        <button type="submit" disabled={working}>{working ? t('notify.working') : t('notify.mail.save')}</button>{' '}
        {o.preferences && <button type="button" class="danger" disabled={working} onClick={() => void stop()}>{t('notify.mail.stop')}</button>}
      </div>
    </form>
  );
}
