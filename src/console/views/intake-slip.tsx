import { useEffect, useRef } from 'preact/hooks';
import { intakeSlip, type Bilingual, type SlipFields } from '../../client/intake-slip.js';
import { t } from '../i18n/index.js';

// The person's receipt slip, Vietnamese first with English beside, whatever language the
// console is in (src/client/intake-slip.ts: the same lines the CLI prints). The receipt
// code exists only in this component's props: closing the slip, leaving the section or
// signing out drops it, and nothing fetches it again. Printing prints the slip alone.

const Both = ({ b }: { b: Bilingual }) => <><span lang="vi">{b.vi}</span> · <span lang="en">{b.en}</span></>;

export function IntakeSlip({ fields, onClose }: { fields: SlipFields; onClose: () => void }) {
  const slip = intakeSlip(fields);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => { heading.current?.focus(); }, [fields.receipt]);
  return (
    <section class="confirm slip-panel" aria-labelledby="slip-heading">
      <h3 id="slip-heading" tabIndex={-1} ref={heading}>{t('intake.slip.heading')}</h3>
      <p class="warning">{t('intake.slip.once')}</p>
      <div class="slip" translate={false}>
        <h4><Both b={slip.title} /></h4>
        <dl>
          {slip.rows.map((r) => [
            <dt key={`${r.field}-t`}><Both b={r.label} /></dt>,
            <dd key={`${r.field}-d`} class={`slip-${r.field}`}>{r.value}</dd>,
          ])}
        </dl>
        <p lang="vi">{slip.follow.vi}</p>
        <p lang="en">{slip.follow.en}</p>
        <p lang="vi" class="slip-secret">{slip.secret.vi}</p>
        <p lang="en" class="slip-secret">{slip.secret.en}</p>
      </div>
      <div class="actions">
        <button type="button" class="primary" onClick={() => window.print()}>{t('intake.slip.print')}</button>{' '}
        <button type="button" onClick={onClose}>{t('intake.slip.close')}</button>
      </div>
    </section>
  );
}
