import { useState } from 'preact/hooks';
import { NOT_KEPT, reportCsv, reportForm, sectionTitles } from '../../client/report-form.js';
import { report, reportSeries, type ReportFigures, type ReportSeries } from '../../client/staff-oversight.js';
import { reportPresets } from '../../domain/index.js';
import { offerDownload } from '../attachments.js';
import { today } from '../deadline.js';
import { describeError } from '../errors.js';
import { formatDay, formatFigure, t } from '../i18n/index.js';
import { choosePeriod, type PeriodChoice } from '../oversight.js';
import { reportCharts } from '../report-charts.js';
import type { ConsoleSession } from '../session.js';
import { reportWorkbook } from '../xlsx.js';
import { BarChart } from './chart.js';

// The periodic report (Circular 01/2024, the columns of form 03/KQGQ): a period picked
// here, the form's figures from GET /v1/staff/reports with the Vietnamese labels and the
// English beside, the charts from GET /v1/staff/reports/series drawn in the page, and the
// form exported as CSV or .xlsx made in the page (no file ever comes from the server; the
// .xlsx builder is a chunk index.html pins, checked before it runs: ../xlsx.ts).

interface Shown { figures: ReportFigures; series: ReportSeries; agency: string }

function FormTable({ figures }: { figures: ReportFigures }) {
  const lines = reportForm(figures);
  const sections = [...new Set(lines.map((l) => l.section))];
  return (
    <table class="cases form">
      <caption>{t('reports.figures')}</caption>
      <thead>
        <tr><th scope="col">{t('reports.col.figure')}</th><th scope="col">{t('reports.col.figureEn')}</th><th scope="col">{t('reports.col.value')}</th></tr>
      </thead>
      {sections.map((section) => (
        <tbody key={section}>
          <tr class="section"><th scope="rowgroup" colSpan={3}><span lang="vi">{sectionTitles[section].vi}</span> / <span lang="en">{sectionTitles[section].en}</span></th></tr>
          {lines.filter((l) => l.section === section).map((l) => (
            <tr key={l.id}><th scope="row" lang="vi">{l.vi}</th><td lang="en">{l.en}</td>
              {l.value === null ? <td class="value not-kept"><span lang="vi">{NOT_KEPT.vi}</span> / <span lang="en">{NOT_KEPT.en}</span></td> : <td class="value">{formatFigure(l.value)}</td>}</tr>
          ))}
        </tbody>
      ))}
    </table>
  );
}

export function Reports({ session }: { session: ConsoleSession }) {
  const thisYear = Number(today().slice(0, 4));
  const [choice, setChoice] = useState<PeriodChoice>('Y');
  const [year, setYear] = useState(thisYear);
  const [range, setRange] = useState({ from: `${thisYear}-01-01`, to: today() });
  const [shown, setShown] = useState<Shown | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);

  async function show(e: Event) {
    e.preventDefault();
    const period = choosePeriod(choice, year, range.from, range.to);
    setExported(null);
    if (!period) { setError(t('reports.badRange')); return; }
    setBusy(true);
    setError(null);
    try {
      const [figures, series, bundles] = await Promise.all([
        report(session.client.http, period), reportSeries(session.client.http, period), session.client.verifiedBundles(),
      ]);
      // The agency as its verified bundle names it, never as the server says.
      const agency = bundles.reduce((a, b) => (a.serial > b.serial ? a : b)).agencySlug;
      setShown({ figures, series, agency });
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  function downloadCsv() {
    if (!shown) return;
    const name = `bao-cao-${shown.figures.from}-${shown.figures.to}.csv`;
    offerDownload(new Blob([reportCsv(shown.figures, shown.agency)], { type: 'text/csv;charset=utf-8' }), name);
    setExported(name);
  }

  async function downloadXlsx() {
    if (!shown) return;
    const name = `bao-cao-${shown.figures.from}-${shown.figures.to}.xlsx`;
    setExporting(true);
    setError(null);
    try {
      offerDownload(await reportWorkbook(shown.figures, shown.agency), name);
      setExported(name);
    } catch (err) {
      setExported(null);
      setError(err instanceof Error && err.name === 'UnverifiedChunkError' ? t('reports.xlsxRefused') : describeError(err));
    } finally {
      setExporting(false);
    }
  }

  const value = (e: Event) => (e.currentTarget as HTMLInputElement).value;
  return (
    <section class="panel reports" aria-labelledby="reports-title">
      <h2 id="reports-title">{t('reports.title')}</h2>
      <form class="filters period" onSubmit={(e) => void show(e)}>
        <label>{t('reports.period')}{' '}
          <select value={choice} onChange={(e) => setChoice(value(e) as PeriodChoice)}>
            {reportPresets.map((p) => <option key={p} value={p}>{t(`reports.preset.${p}`)}</option>)}
            <option value="range">{t('reports.preset.range')}</option>
          </select>
        </label>
        {choice === 'range' ? <>
          <label>{t('reports.from')} <input type="date" value={range.from} required onChange={(e) => setRange({ ...range, from: value(e) })} /></label>
          <label>{t('reports.to')} <input type="date" value={range.to} required onChange={(e) => setRange({ ...range, to: value(e) })} /></label>
        </> : (
          <label>{t('reports.year')} <input type="number" inputMode="numeric" min={2000} max={2100} value={year} required onChange={(e) => setYear(Number(value(e)))} /></label>
        )}
        <button type="submit" disabled={busy}>{t('reports.show')}</button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      <p role="status">{busy ? t('reports.loading') : exporting ? t('reports.xlsxMaking') : exported ? t('reports.exported', { name: exported }) : ''}</p>
      {shown && <>
        <h3>{t('reports.heading', { from: formatDay(shown.figures.from), to: formatDay(shown.figures.to) })}</h3>
        <p class="actions">
          <button type="button" onClick={downloadCsv}>{t('reports.csv')}</button>{' '}
          <button type="button" onClick={() => void downloadXlsx()} disabled={exporting}>{t('reports.xlsx')}</button>
        </p>
        <FormTable figures={shown.figures} />
        <h3>{t('reports.charts')}</h3>
        <div class="charts">
          {reportCharts(shown.figures, shown.series).map((c) => <BarChart key={c.id} {...c} />)}
        </div>
      </>}
    </section>
  );
}
