import { useEffect, useState } from 'preact/hooks';
import type { CaseDetail, ListedCase } from '../../client/staff.js';
import { t } from '../i18n/index.js';
import type { ConsoleSession } from '../session.js';

// What the case is tied to: the case a retaliation report is about, opened in place when
// this person may see it. The protection requests made on the case: protection-list.tsx.

/** A case fetched by id, as a list row would show it (a case opened from elsewhere than the inbox). */
export const listedFrom = (c: CaseDetail): ListedCase => ({ ...c, assignees: c.grants.map((g) => g.staffId), unread: false });

/** The original case of a retaliation report, by its public number, or why it cannot be shown. */
export function LinkedCase({ session, parentCaseId, onOpen }: { session: ConsoleSession; parentCaseId: string; onOpen: (c: ListedCase) => void }) {
  const [parent, setParent] = useState<CaseDetail | null | 'hidden'>(null);
  useEffect(() => {
    session.client.caseDetail(parentCaseId).then(setParent, () => setParent('hidden'));
  }, [parentCaseId]);
  if (parent === null) return <>{t('case.related.loading')}</>;
  if (parent === 'hidden') return <>{t('case.related.hidden')}</>;
  return <button type="button" class="link" onClick={() => onOpen(listedFrom(parent))}>{t('case.related.open', { number: parent.publicNumber })}</button>;
}
