import { useEffect, useState } from 'preact/hooks';
import { agencyPublications, publishConclusion, withdrawConclusion, type Publication as Published } from '../../client/staff-publication.js';
import { checkPublication, type CaseState, type JurisdictionProfile, type PublicationForm, type PublicationFormRule, type WorkflowRole } from '../../domain/index.js';
import { describeError } from '../errors.js';
import { formatDay, t, tOr } from '../i18n/index.js';
import type { ConsoleSession } from '../session.js';

// Publishing a concluded case's summary (Law Art. 40; Decree 31 Art. 6(2)), for the head:
// the form, its length in the rule set's words (days on display, runs, or none for a
// meeting), the runs ordered where the form counts them, and the summary — PUBLIC plain
// text, acknowledged as such. The case's publications are listed with their form, and
// one whose display has ended may be taken down.

interface Props { session: ConsoleSession; caseId: string; state: CaseState; profile: JurisdictionProfile; roles: readonly WorkflowRole[] }

const formText = (form: string) => tOr(`publication.form.${form}`, 'kind.unknown', { kind: form });

function lengthText(f: PublicationFormRule): string {
  if (f.minimumDays) return t('publication.length.days', { days: f.minimumDays });
  if (f.minimumRuns) return t('publication.length.runs', { runs: f.minimumRuns });
  return t('publication.length.none');
}

export function Publish({ session, caseId, state, profile, roles }: Props) {
  const rule = profile.publication;
  const [form, setForm] = useState<PublicationForm>(rule?.forms[0].form ?? 'portal');
  const [runs, setRuns] = useState('');
  const [summary, setSummary] = useState('');
  const [acknowledged, setAcknowledged] = useState(false);
  const [mine, setMine] = useState<Array<Published & { mayTakeDown: boolean }>>([]);
  const [said, setSaid] = useState<{ ok: boolean; text: string } | null>(null);
  const [round, setRound] = useState(0);
  const refusal = checkPublication(profile, state, roles);

  useEffect(() => {
    if (refusal) return;
    let live = true;
    agencyPublications(session.client.http).then((r) => live && setMine(r.publications.filter((p) => p.caseId === caseId)), () => undefined);
    return () => { live = false; };
  }, [caseId, round, refusal === null]);
  if (!rule || refusal) return null;

  const chosen = rule.forms.find((f) => f.form === form) ?? rule.forms[0];
  const runsProblem = chosen.minimumRuns && !(Number.isInteger(Number(runs)) && Number(runs) >= chosen.minimumRuns)
    ? t('publication.runs.invalid', { min: chosen.minimumRuns }) : null;
  const problem = summary.trim().length < 20 ? t('publication.summary.short') : runsProblem ?? (acknowledged ? null : t('publication.acknowledge.required'));
  const act = (work: Promise<Published>, text: (p: Published) => string) => work.then(
    (p) => { setSaid({ ok: true, text: text(p) }); setSummary(''); setAcknowledged(false); setRound((n) => n + 1); },
    (err: unknown) => setSaid({ ok: false, text: describeError(err) }),
  );
  const submit = (e: Event) => {
    e.preventDefault();
    if (problem) return setSaid({ ok: false, text: problem });
    void act(publishConclusion(session.client.http, caseId, summary.trim(), { form, runs: chosen.minimumRuns ? Number(runs) : undefined }),
      (p) => t('publication.done', { form: formText(p.form), day: formatDay(p.publishedOn) }));
  };
  return (
    <section aria-labelledby="publication-title" class="publication">
      <h4 id="publication-title">{t('publication.title')}</h4>
      <p class="hint">{t('action.legalBasis', { basis: rule.legalBasis })}</p>
      {mine.length > 0 && (
        <ul>
          {mine.map((p) => (
            <li key={p.publicationId}>
              {t(p.state === 'published' ? 'publication.item' : 'publication.item.withdrawn', {
                form: formText(p.form), day: formatDay(p.publishedOn), until: formatDay(p.earliestTakeDown), withdrawn: p.withdrawnOn ? formatDay(p.withdrawnOn) : '',
              })}
              {p.mayTakeDown && <> <button type="button" onClick={() => void act(withdrawConclusion(session.client.http, caseId, p.form as PublicationForm),
                (w) => t('publication.withdrawn', { form: formText(w.form), day: formatDay(w.withdrawnOn ?? w.publishedOn) }))}>{t('publication.withdraw')}</button></>}
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit}>
        <div class="field">
          <label for="publication-form">{t('publication.form')}</label>
          <select id="publication-form" value={form} onChange={(e) => setForm((e.target as HTMLSelectElement).value as PublicationForm)}>
            {rule.forms.map((f) => <option key={f.form} value={f.form}>{formText(f.form)} — {lengthText(f)}</option>)}
          </select>
        </div>
        {chosen.minimumRuns && (
          <div class="field">
            <label for="publication-runs">{t('publication.runs', { min: chosen.minimumRuns })}</label>
            <input id="publication-runs" type="number" value={runs} onInput={(e) => setRuns((e.target as HTMLInputElement).value)} required />
          </div>
        )}
        <div class="field">
          <label for="publication-summary">{t('publication.summary')}</label>
          <textarea id="publication-summary" rows={4} value={summary} onInput={(e) => setSummary((e.target as HTMLTextAreaElement).value)} required />
        </div>
        <p class="warning">{t('publication.warning')}</p>
        <label><input type="checkbox" checked={acknowledged} onChange={(e) => setAcknowledged((e.target as HTMLInputElement).checked)} /> {t('publication.acknowledge')}</label>
        {said && <p class={said.ok ? 'done' : 'error'} role={said.ok ? 'status' : 'alert'}>{said.text}</p>}
        <button type="submit">{t('publication.submit')}</button>
      </form>
    </section>
  );
}
