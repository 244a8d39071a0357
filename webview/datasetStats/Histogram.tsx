// A stacked bar histogram (one colour per split) drawn as SVG. Each bar has a native tooltip
// (<title>) with its range and counts; a visually hidden table carries the same numbers for
// screen readers.
import type { StatsHistogram } from '../../src/shared/datasetStatsContract';
import { splitColor } from './colors';

const W = 640;
const H = 220;
const PAD = { left: 44, right: 8, top: 10, bottom: 34 };

function label(bin: { lo: number; hi: number }): string {
  return bin.lo === bin.hi ? String(bin.lo) : `${bin.lo}–${bin.hi}`;
}

/** 0 and up to four round ticks at or below max. */
function ticks(max: number): number[] {
  if (max <= 0) return [0];
  const raw = max / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = 0; v <= max; v += step) out.push(v);
  return out;
}

export function Histogram(props: { histogram: StatsHistogram; splits: string[]; unit: string; caption: string }) {
  const { histogram, splits } = props;
  const { bins } = histogram;
  if (!bins.length) return <p class="muted">No traces.</p>;
  const totals = bins.map((_b, i) => splits.reduce((s, name) => s + (histogram.counts[name]?.[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const barW = plotW / bins.length;
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const labelEvery = Math.ceil(bins.length / 10);
  return (
    <figure class="histogram" data-testid="histogram" data-unit={props.unit}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.caption}>
        {ticks(max).map((t) => (
          <g key={t} class="tick">
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} />
            <text x={PAD.left - 6} y={y(t) + 4} text-anchor="end">
              {t}
            </text>
          </g>
        ))}
        {bins.map((bin, i) => {
          let base = 0;
          const x = PAD.left + i * barW;
          return (
            <g key={i} class="bar">
              <title>{`${label(bin)} ${props.unit}: ${totals[i]} trace${totals[i] === 1 ? '' : 's'}${splits.map((s) => `\n${s}: ${histogram.counts[s]?.[i] ?? 0}`).join('')}`}</title>
              <rect class="hover-target" x={x} y={PAD.top} width={barW} height={plotH} />
              {splits.map((s, k) => {
                const v = histogram.counts[s]?.[i] ?? 0;
                if (!v) return null;
                const top = y(base + v);
                const h = y(base) - top;
                base += v;
                return <rect key={s} x={x + 1} y={top} width={Math.max(1, barW - 2)} height={h} style={{ fill: splitColor(k) }} />;
              })}
              {i % labelEvery === 0 && (
                <text class="x-label" x={x + barW / 2} y={H - PAD.bottom + 16} text-anchor="middle">
                  {label(bin)}
                </text>
              )}
            </g>
          );
        })}
        <line class="axis" x1={PAD.left} x2={W - PAD.right} y1={PAD.top + plotH} y2={PAD.top + plotH} />
        <text class="axis-title" x={PAD.left + plotW / 2} y={H - 2} text-anchor="middle">
          {props.unit}
        </text>
      </svg>
      <table class="visually-hidden">
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.unit}</th>
            {splits.map((s) => (
              <th scope="col" key={s}>
                {s}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {bins.map((bin, i) => (
            <tr key={i}>
              <th scope="row">{label(bin)}</th>
              {splits.map((s) => (
                <td key={s}>{histogram.counts[s]?.[i] ?? 0}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
