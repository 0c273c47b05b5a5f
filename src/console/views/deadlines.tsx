import { useEffect, useState } from 'preact/hooks';
import type { ListedCase } from '../../client/staff.js';
import { deadlines } from '../../client/staff-oversight.js';
import { addCalendarDays } from '../../domain/index.js';
import { describeError } from '../errors.js';
import { formatDay, t, tOr } from '../i18n/index.js';
import { BOARD_DAYS, boardGroups, countingRules, deadlineBoard, type BoardGroup, type BoardItem } from '../oversight.js';
import type { ConsoleSession } from '../session.js';
import { listedFrom } from './case-links.js';
import { CaseView } from './case-view.js';
import { statusText } from './inbox.js';

// The head of agency's board: every running clock of the agency (GET /v1/staff/deadlines),
// grouped overdue / within a week / later, days left counted here in the rule's unit on
// the agency's calendar. Each item opens its case in place, as the inbox does.

type Board = Record<BoardGroup, BoardItem[]> & { asOf: string };

const phaseText = (i: BoardItem) => (i.kind === 'protection_request'
  ? t('deadlines.kind.protection')
  : tOr(`phase.${i.phase ?? ''}`, 'phase.unknown', { phase: i.phase ?? '' }));

function leftText(i: BoardItem): string {
  if (i.left === 0) return t('deadlines.today');
  const working = i.unit === 'working_days';
  if (i.left < 0) return t(working ? 'deadlines.over.working' : 'deadlines.over.calendar', { days: -i.left });
  return t(working ? 'deadlines.left.working' : 'deadlines.left.calendar', { days: i.left });
}

function Group({ group, items, onOpen }: { group: BoardGroup; items: BoardItem[]; onOpen: (i: BoardItem) => void }) {
  const id = `deadlines-${group}`;
  return (
    <section class={`deadline-group ${group}`} aria-labelledby={id}>
      <h3 id={id}>
        {group === 'overdue' ? '⚠ ' : ''}{t(`deadlines.group.${group}`, { days: BOARD_DAYS })}{' '}
        <span class="count">({t('deadlines.group.count', { count: items.length })})</span>
      </h3>
      {items.length === 0 ? <p>{t('deadlines.group.empty')}</p> : (
        <table class="cases deadlines">
          <thead>
            <tr>
              <th scope="col">{t('deadlines.col.case')}</th><th scope="col">{t('deadlines.col.what')}</th>
              <th scope="col">{t('deadlines.col.state')}</th><th scope="col">{t('deadlines.col.due')}</th>
              <th scope="col">{t('deadlines.col.left')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={`${i.caseId}-${i.protectionRequestId ?? i.phase ?? 'case'}`} class={i.urgent ? 'urgent' : ''}>
                <th scope="row">
                  <button type="button" class="link" aria-label={t('deadlines.open', { number: i.publicNumber })} onClick={() => onOpen(i)}>{i.publicNumber}</button>
                  {i.urgent && <span class="badge urgent-badge">⚑ {t('inbox.urgent')}</span>}
                </th>
                <td>{phaseText(i)}</td>
                <td>{i.kind === 'protection_request' ? t('deadlines.state.pending') : statusText(i.state)}</td>
                <td><time dateTime={i.due}>{formatDay(i.due)}</time></td>
                <td class={`deadline ${group === 'overdue' ? 'overdue' : group === 'week' ? 'soon' : 'later'}`}>{leftText(i)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function Deadlines({ session }: { session: ConsoleSession }) {
  const [board, setBoard] = useState<Board | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<ListedCase | null>(null);

  useEffect(() => {
    let live = true;
    (async () => {
      const reply = await deadlines(session.client.http, BOARD_DAYS);
      const rules = await countingRules(session.client, reply.asOf, addCalendarDays(reply.asOf, BOARD_DAYS));
      if (live) setBoard({ ...deadlineBoard(reply.items, reply.asOf, rules), asOf: reply.asOf });
    })().catch((err: unknown) => live && setError(describeError(err)));
    return () => { live = false; };
  }, []);

  async function openCase(i: BoardItem) {
    setError(null);
    try {
      setOpen(listedFrom(await session.client.caseDetail(i.caseId)));
    } catch (err) {
      setError(describeError(err));
    }
  }

  if (open) return <CaseView key={open.caseId} session={session} listed={open} onBack={() => setOpen(null)} onOpen={setOpen} backLabel="deadlines.back" />;
  return (
    <section class="panel board" aria-labelledby="deadlines-title">
      <h2 id="deadlines-title">{t('deadlines.title')}</h2>
      {error && <p class="error" role="alert">{error}</p>}
      {!board && !error && <p role="status">{t('deadlines.loading')}</p>}
      {board && <>
        <p class="hint">{t('deadlines.intro', { day: formatDay(board.asOf) })}</p>
        {boardGroups.map((g) => <Group key={g} group={g} items={board[g]} onOpen={(i) => void openCase(i)} />)}
      </>}
    </section>
  );
}
