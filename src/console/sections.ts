import type { FunctionComponent } from 'preact';
import { CASEWORK_ROLES } from '../domain/index.js';
import { hasAdministration } from './admin.js';
import { isAuditor } from './audit.js';
import { hasCustodyView } from './custody.js';
import type { MessageKey } from './i18n/index.js';
import type { ConsoleSession } from './session.js';
import { Audit } from './views/audit.js';
import { Casework } from './views/casework.js';
import { Custody } from './views/custody.js';
import { Administration } from './views/admin.js';
import { Deadlines } from './views/deadlines.js';
import { Intake } from './views/intake.js';
import { OwnKey } from './views/own-key.js';
import { NotificationBadge, Notifications, type SectionLink } from './views/notifications.js';
import { Reports } from './views/reports.js';

// The console's sections, one entry each: what the top bar offers, to whom, and the view
// it opens. A role's day is the sections its roles are offered; the first offered one is
// where a member lands after signing in. A new section is one entry here and its view.

export interface Section {
  id: string;
  /** The top bar's button for it. */
  label: MessageKey;
  /** Whether this member is offered it (the server still authorises every request). */
  offered(session: ConsoleSession): boolean | Promise<boolean>;
  /** `sections` and `open`: the member's other sections, for a view that links into them. */
  View: FunctionComponent<{ session: ConsoleSession; sections?: readonly SectionLink[]; open?: (id: string) => void }>;
  /** Drawn inside the top bar's button; `generation` grows with each click of the bar. */
  Badge?: FunctionComponent<{ session: ConsoleSession; generation: number }>;
}

const hasRole = (s: ConsoleSession, roles: readonly string[]) => roles.some((r) => s.client.session.roles.includes(r as never));

export const SECTIONS: readonly Section[] = [
  { id: 'inbox', label: 'top.inbox', offered: (s) => hasRole(s, CASEWORK_ROLES), View: Casework },
  // The intake desk: what came in person, by letter or (an urgent protection request) by phone.
  { id: 'intake', label: 'intake.nav', offered: (s) => hasRole(s, ['intake']), View: Intake },
  // Custodians, and those who asked for a reveal, see the identity requests.
  { id: 'custody', label: 'custody.nav', offered: hasCustodyView, View: Custody },
  // Admins (accounts, the key bundle) and the head of agency (calendar, retention).
  { id: 'admin', label: 'admin.nav', offered: hasAdministration, View: Administration },
  // GET /v1/staff/audit admits auditors only.
  { id: 'audit', label: 'audit.nav', offered: isAuditor, View: Audit },
  // The head of agency watches every running clock and files the periodic reports; an auditor reads the reports too.
  { id: 'deadlines', label: 'deadlines.nav', offered: (s) => hasRole(s, ['supervisor']), View: Deadlines },
  { id: 'reports', label: 'reports.nav', offered: (s) => hasRole(s, ['supervisor', 'auditor']), View: Reports },
  // Everyone: their own key and its rotation (PROTOCOL.md §7.1).
  { id: 'keys', label: 'keys.nav', offered: () => true, View: OwnKey },
  // Everyone: what waits for them, as counts (the badge), and their e-mail digest. Last, so no one lands here.
  { id: 'notifications', label: 'notify.nav', offered: () => true, View: Notifications, Badge: NotificationBadge },
];

/** The sections this member is offered, in the order above; one that cannot tell is left out. */
export async function offeredSections(session: ConsoleSession): Promise<Section[]> {
  const offered = await Promise.all(SECTIONS.map(async (s) => {
    try {
      return (await s.offered(session)) ? s : undefined;
    } catch {
      return undefined;
    }
  }));
  return offered.filter((s): s is Section => s !== undefined);
}
