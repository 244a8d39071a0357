// Training curves of the compared runs overlaid with uPlot (the metrics panel's library).
// The host sends each run's series already min/max-decimated; here they are aligned on the
// union of their steps (gaps spanned) so one chart holds them all.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { MetricCurve } from '../../src/core/eval/runComparison';
import { cssVar, runColor } from './colors';

export function alignCurves(curves: MetricCurve[], runs: number): uPlot.AlignedData {
  const xs = [...new Set(curves.flatMap((c) => c.x))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const series: Array<Array<number | null>> = [];
  for (let r = 0; r < runs; r++) {
    const ys: Array<number | null> = new Array(xs.length).fill(null);
    const c = curves.find((k) => k.run === r);
    if (c) c.x.forEach((x, i) => (ys[index.get(x)!] = c.y[i]));
    series.push(ys);
  }
  return [xs, ...series] as uPlot.AlignedData;
}

export function MetricChart(props: { curves: MetricCurve[]; labels: string[]; metric: string; logScale: boolean }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const target = el.current;
    if (!target) return;
    const data = alignCurves(props.curves, props.labels.length);
    const fg = cssVar('--vscode-foreground', '#888');
    const grid = cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.25)');
    const opts: uPlot.Options = {
      width: Math.max(300, target.clientWidth),
      height: 260,
      scales: { x: { time: false }, y: { distr: props.logScale ? 3 : 1 } },
      axes: [
        { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, label: 'step' },
        { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, label: props.metric, size: 60 },
      ],
      series: [{ label: 'step' }, ...props.labels.map((label, i) => ({ label, stroke: runColor(i), width: 1.5, spanGaps: true, points: { show: false } }))],
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
    };
    const plot = new uPlot(opts, data, target);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(300, target.clientWidth), height: 260 }));
    resize.observe(target);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [props.curves, props.labels.join('\u0000'), props.metric, props.logScale]);
  return <div class="chart" ref={el} role="img" aria-label={`${props.metric} by step for ${props.labels.join(', ')}`} />;
}
