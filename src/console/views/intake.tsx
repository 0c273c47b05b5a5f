import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n/index.js';
import type { ConsoleSession } from '../session.js';
import { IntakeCase } from './intake-case.js';
import { IntakeProtection } from './intake-protection.js';

// The intake desk (intake officers): a denunciation received in person or by letter,
// sealed in this page as the denouncer's page seals one and ending with the person's
// printed slip; and an urgent protection request received by phone or in person (Law
// Art. 50(3)). Switching part unmounts the one left, so a slip still on screen — the only
// place its receipt code exists — is gone with it.

const PARTS = ['case', 'protection'] as const;
type Part = (typeof PARTS)[number];
const VIEWS: Record<Part, (p: { session: ConsoleSession }) => preact.JSX.Element> = { case: IntakeCase, protection: IntakeProtection };

export function Intake({ session }: { session: ConsoleSession }) {
  const [part, setPart] = useState<Part>('case');
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => { heading.current?.focus(); }, []);
  const View = VIEWS[part];
  return (
    <section class="panel intake" aria-labelledby="intake-title">
      <h2 id="intake-title" tabIndex={-1} ref={heading}>{t('intake.title')}</h2>
      <nav class="parts" aria-label={t('intake.title')}>
        {PARTS.map((p) => (
          <button key={p} type="button" aria-current={p === part ? 'page' : undefined} onClick={() => setPart(p)}>{t(`intake.part.${p}`)}</button>
        ))}
      </nav>
      <View key={part} session={session} />
    </section>
  );
}
