import { t } from '../i18n/index.js';

// A bar chart drawn in the page as SVG (nothing fetched, no library, no inline style: the
// CSP allows none). Bars stack one series on another; each series has its own fill and
// its name in the legend, and the figures come as a table under the chart, which is the
// chart's text alternative — colour never carries a figure alone.

export interface ChartSeries { key: string; label: string; values: number[] }
interface Props { id: string; title: string; categoryLabel: string; categories: string[]; series: ChartSeries[] }

const W = 640;
const H = 240;
const LEFT = 44;
const BOTTOM = 36;
const TOP = 12;

/** A round step for the value axis: 1, 2 or 5 times a power of ten, about four ticks. */
function tickStep(max: number): number {
  const rough = Math.max(1, max / 4);
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? rough;
}

export function BarChart({ id, title, categoryLabel, categories, series }: Props) {
  const totals = categories.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const grand = totals.reduce((a, b) => a + b, 0);
  const step = tickStep(Math.max(0, ...totals));
  const top = Math.max(step, Math.ceil(Math.max(0, ...totals) / step) * step);
  const plotH = H - TOP - BOTTOM;
  const slot = (W - LEFT) / Math.max(1, categories.length);
  const barW = Math.min(48, slot * 0.7);
  const y = (v: number) => TOP + plotH - (v / top) * plotH;
  const ticks = Array.from({ length: Math.floor(top / step) + 1 }, (_, i) => i * step);
  const summary = `${title}: ${t('reports.chart.total')} ${grand}. ` +
    series.map((s) => `${s.label} ${s.values.reduce((a, b) => a + b, 0)}`).join(', ');
  return (
    <figure class="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      {grand === 0 ? <p>{t('reports.chart.empty')}</p> : <>
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} preserveAspectRatio="xMinYMin meet">
          {ticks.map((v) => (
            <g key={v} class="tick">
              <line x1={LEFT} x2={W} y1={y(v)} y2={y(v)} />
              <text x={LEFT - 6} y={y(v) + 4} text-anchor="end">{v}</text>
            </g>
          ))}
          {categories.map((c, i) => {
            let base = 0;
            const x = LEFT + i * slot + (slot - barW) / 2;
            return (
              <g key={c}>
                {series.map((s, k) => {
                  const v = s.values[i] ?? 0;
                  const rect = v > 0 ? <rect class={`bar s${k}`} x={x} y={y(base + v)} width={barW} height={y(base) - y(base + v)}><title>{`${c} — ${s.label}: ${v}`}</title></rect> : null;
                  base += v;
                  return rect;
                })}
                <text class="category" x={x + barW / 2} y={H - BOTTOM + 16} text-anchor="middle">{c}</text>
              </g>
            );
          })}
        </svg>
        {series.length > 1 && (
          <ul class="legend">
            {series.map((s, k) => <li key={s.key}><svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect class={`bar s${k}`} width="10" height="10" /></svg>{s.label}</li>)}
          </ul>
        )}
        <details>
          <summary>{t('reports.chart.table')}</summary>
          <table class="figures">
            <caption>{title}</caption>
            <thead>
              <tr><th scope="col">{categoryLabel}</th>{series.map((s) => <th scope="col" key={s.key}>{s.label}</th>)}<th scope="col">{t('reports.chart.total')}</th></tr>
            </thead>
            <tbody>
              {categories.map((c, i) => (
                <tr key={c}><th scope="row">{c}</th>{series.map((s) => <td key={s.key}>{s.values[i] ?? 0}</td>)}<td>{totals[i]}</td></tr>
              ))}
            </tbody>
          </table>
        </details>
      </>}
    </figure>
  );
}
