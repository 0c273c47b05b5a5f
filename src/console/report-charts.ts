import { openAgeBuckets, type ReportFigures, type ReportSeries } from '../client/staff-oversight.js';
import { channels, type Day } from '../domain/index.js';
import { t, type MessageKey } from './i18n/index.js';
import { kindText } from './views/inbox.js';
import type { ChartSeries } from './views/chart.js';

// What the report view draws, from the server's figures and series: the charts'
// categories and series. The form's lines, in both languages, are src/client/report-form.ts.

export interface Chart { id: string; title: string; categoryLabel: string; categories: string[]; series: ChartSeries[] }

const KINDS = ['denunciation', 'petition', 'retaliation'] as const;

/** Every month the period touches, as YYYY-MM, so a month with no arrival still shows. */
export function monthsOf(from: Day, to: Day): string[] {
  const months: string[] = [];
  let [y, m] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  const last = to.slice(0, 7);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > last) return months;
    months.push(month);
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
}

const monthLabel = (month: string) => `${month.slice(5, 7)}/${month.slice(0, 4)}`;

function perMonth(s: ReportSeries, months: string[], pick: (a: ReportSeries['arrivals'][number]) => boolean): number[] {
  return months.map((month) => s.arrivals.filter((a) => a.month === month && pick(a)).reduce((sum, a) => sum + a.count, 0));
}

export function reportCharts(r: ReportFigures, s: ReportSeries): Chart[] {
  const months = monthsOf(s.from, s.to);
  const byMonth = { categoryLabel: t('reports.chart.month'), categories: months.map(monthLabel) };
  const one = (key: MessageKey, values: number[]): ChartSeries => ({ key, label: t(key), values });
  const petitions = r.petitions ?? { onTime: 0, late: 0 };
  return [
    { id: 'chart-kind', title: t('reports.chart.arrivalsKind'), ...byMonth,
      series: KINDS.map((kind) => ({ key: kind, label: kindText(kind), values: perMonth(s, months, (a) => a.kind === kind) })) },
    { id: 'chart-channel', title: t('reports.chart.arrivalsChannel'), ...byMonth,
      series: channels.map((channel) => one(`reports.series.${channel}`, perMonth(s, months, (a) => a.channel === channel))) },
    { id: 'chart-named', title: t('reports.chart.arrivalsNamed'), ...byMonth,
      series: [one('reports.series.named', perMonth(s, months, (a) => a.named)), one('reports.series.anonymous', perMonth(s, months, (a) => !a.named))] },
    { id: 'chart-timeliness', title: t('reports.chart.timeliness'), categoryLabel: t('reports.col.figure'),
      categories: [t('reports.series.resolved'), t('reports.series.answered')],
      series: [one('reports.series.onTime', [r.cases.resolved.onTime, petitions.onTime]), one('reports.series.late', [r.cases.resolved.late, petitions.late])] },
    { id: 'chart-age', title: t('reports.chart.openAge'), categoryLabel: t('deadlines.col.left'),
      categories: openAgeBuckets.map((b) => t(`reports.age.${b}`)),
      series: [one('reports.series.cases', openAgeBuckets.map((b) => s.openByAge.find((o) => o.bucket === b)?.count ?? 0))] },
    { id: 'chart-protection', title: t('reports.chart.protection'), categoryLabel: t('reports.col.figure'),
      categories: [t('reports.series.granted'), t('reports.series.refused'), t('reports.series.pending')],
      series: [one('reports.series.cases', [s.protectionOutcomes.granted, s.protectionOutcomes.refused, s.protectionOutcomes.pending])] },
  ];
}
