import { useEffect, useState } from 'preact/hooks';
import type { ListedCase } from '../../client/staff.js';
import { describeError } from '../errors.js';
import { formatDay, t } from '../i18n/index.js';
import { personName, type ConsoleSession } from '../session.js';

// For intake: the cases whose only holder by a grant has left (GET /v1/staff/reassignments,
// docs/STAFF.md "Departure"). Each opens in the case view, where the ordinary grant
// assigns it again and clears the flag. Shown only when there is one.

type Flagged = Awaited<ReturnType<ConsoleSession['client']['reassignments']>>['cases'][number];

export function Reassignments({ session, onOpen }: { session: ConsoleSession; onOpen: (c: ListedCase) => void }) {
  const [cases, setCases] = useState<Flagged[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    session.client.reassignments().then((r) => live && setCases(r.cases), (err: unknown) => live && setError(describeError(err)));
    return () => { live = false; };
  }, []);
  async function open(c: Flagged) {
    try {
      const detail = await session.client.caseDetail(c.caseId);
      onOpen({ ...detail, assignees: [], unread: false });
    } catch (err) {
      setError(describeError(err));
    }
  }
  if (error) return <p class="error" role="alert">{error}</p>;
  if (cases.length === 0) return null;
  return (
    <section class="notice reassignments" aria-labelledby="reassign-title">
      <h3 id="reassign-title">{t('reassign.title', { count: cases.length })}</h3>
      <p class="hint">{t('reassign.intro')}</p>
      <ul>
        {cases.map((c) => (
          <li key={c.caseId}>
            <button type="button" class="link" onClick={() => void open(c)}>{c.publicNumber}</button>{' '}
            {t('reassign.item', { name: personName(session, c.departedId), day: formatDay(c.flaggedOn) })}
          </li>
        ))}
      </ul>
    </section>
  );
}
