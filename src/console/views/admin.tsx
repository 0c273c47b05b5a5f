import { useEffect, useRef, useState } from 'preact/hooks';
import { adminParts, type AdminPart } from '../admin.js';
import { t } from '../i18n/index.js';
import type { ConsoleSession } from '../session.js';
import { AdminBundle } from './admin-bundle.js';
import { AdminCustodians } from './admin-custodians.js';
import { AdminHolidays } from './admin-holidays.js';
import { AdminRetention } from './admin-retention.js';
import { AdminStaff } from './admin-staff.js';

// Administration: the agency's people, its holiday calendar, retention, its key
// bundle and its custodians (turnover, recovery), each a part of this one section. Switching part unmounts the one left, so
// what it held (an invitation's one-time code) is gone with it.

const VIEWS: Record<AdminPart, (p: { session: ConsoleSession }) => preact.JSX.Element> = {
  staff: AdminStaff, holidays: AdminHolidays, retention: AdminRetention, bundle: AdminBundle, custodians: AdminCustodians,
};

export function Administration({ session }: { session: ConsoleSession }) {
  const parts = adminParts(session);
  const [part, setPart] = useState<AdminPart>(parts[0]!);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => { heading.current?.focus(); }, []);
  const View = VIEWS[part];
  return (
    <section class="panel admin" aria-labelledby="admin-title">
      <h2 id="admin-title" tabIndex={-1} ref={heading}>{t('admin.title')}</h2>
      <nav class="parts" aria-label={t('admin.parts')}>
        {parts.map((p) => (
          <button key={p} type="button" aria-current={p === part ? 'page' : undefined} onClick={() => setPart(p)}>{t(`admin.part.${p}`)}</button>
        ))}
      </nav>
      <View key={part} session={session} />
    </section>
  );
}
