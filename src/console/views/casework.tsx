import { useState } from 'preact/hooks';
import type { ListedCase } from '../../client/staff.js';
import type { ConsoleSession } from '../session.js';
import { CaseView } from './case-view.js';
import { Inbox } from './inbox.js';

/** The inbox and the case opened from it: one case at a time, back to the inbox after. */
export function Casework({ session }: { session: ConsoleSession }) {
  const [open, setOpen] = useState<ListedCase | null>(null);
  return open
    ? <CaseView key={open.caseId} session={session} listed={open} onBack={() => setOpen(null)} onOpen={setOpen} />
    : <Inbox session={session} onOpen={setOpen} />;
}
