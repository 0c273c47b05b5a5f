import { useEffect, useRef, useState } from 'preact/hooks';
import type { BreakReason } from '../../protocol/audit-verify.js';
import { t } from '../i18n/index.js';
import type { ConsoleSession } from '../session.js';
import { AuditLog } from './audit-log.js';
import { VerifyPanel } from './audit-verify.js';

/** The auditor's section: verify the chain and anchor it, then read the log with what the verification refused marked. */
export function Audit({ session }: { session: ConsoleSession }) {
  const [refused, setRefused] = useState<ReadonlyMap<string, BreakReason>>(new Map());
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => { heading.current?.focus(); }, []);
  return (
    <section class="panel audit" aria-labelledby="audit-title">
      <h2 id="audit-title" tabIndex={-1} ref={heading}>{t('audit.title')}</h2>
      <p class="hint">{t('audit.intro')}</p>
      <VerifyPanel s={session} onReport={(r) => setRefused(new Map(r?.refused.map((b) => [b.seq, b.reason]) ?? []))} />
      <AuditLog s={session} refused={refused} />
    </section>
  );
}
