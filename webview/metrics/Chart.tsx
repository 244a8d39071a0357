// One uPlot chart: the (already decimated) series of a chart on a shared x axis, runs in
// their colours (eval series dashed), raw values drawn faint behind smoothed lines, hover
// values in the legend, drag to zoom (the host re-decimates the range), double-click to reset,
// optional log y axis. The uPlot instance is rebuilt only when the set of series, the axis
// or the theme changes; new data otherwise goes through setData.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { ChartData, XAxisKind, XRange } from '../../src/shared/metricsContract';
import { alignSeries } from '../../src/core/run/align';
import { themeColor, withAlpha } from './colors';
import { formatValue, formatX } from './format';

export interface ChartProps {
  chart: ChartData;
  xAxis: XAxisKind;
  logScale: boolean;
  /** Run id -> colour. */
  colors: Map<string, string>;
  hidden: ReadonlySet<string>;
  range?: XRange;
  /** Bumped when the theme changes (colours are read at build time). */
  themeVersion: number;
  onZoom(range: XRange | undefined): void;
  /** Called after each draw with the time it took (ms), for the benchmark. */
  onDrawn?(ms: number): void;
}

const HEIGHT = 240;

function visibleSeries(chart: ChartData, hidden: ReadonlySet<string>) {
  return chart.series.filter((s) => !hidden.has(s.runId));
}

/** Log axes cannot show zero or negative values: those become gaps. */
function positive(ys: Array<number | null>): Array<number | null> {
  return ys.map((v) => (v !== null && v > 0 ? v : null));
}

export function Chart(props: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  const shape = useRef('');
  const latest = useRef(props);
  latest.current = props;

  const series = visibleSeries(props.chart, props.hidden);
  const key = [series.map((s) => `${s.runId}|${s.metric}|${props.colors.get(s.runId)}`).join(','), props.xAxis, props.logScale, props.themeVersion].join('#');

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const started = performance.now();
    const aligned = alignSeries(series);
    const data = (props.logScale ? [aligned[0], ...aligned.slice(1).map((ys) => positive(ys as Array<number | null>))] : aligned) as uPlot.AlignedData;
    if (plot.current && shape.current === key) {
      plot.current.setData(data, !props.range);
      if (props.range) plot.current.setScale('x', props.range);
    } else {
      plot.current?.destroy();
      shape.current = key;
      plot.current = new uPlot(options(el.clientWidth || 600), data, el);
      if (props.range) plot.current.setScale('x', props.range);
    }
    props.onDrawn?.(performance.now() - started);
  });

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => plot.current?.setSize({ width: el.clientWidth || 600, height: HEIGHT }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.current?.destroy();
      plot.current = undefined;
    };
  }, []);

  function options(width: number): uPlot.Options {
    const p = latest.current;
    const fg = themeColor('--vscode-descriptionForeground', '#888');
    const grid = withAlpha(themeColor('--vscode-foreground', '#888888'), 0.12);
    const vis = visibleSeries(p.chart, p.hidden);
    return {
      width,
      height: HEIGHT,
      scales: {
        x: { time: p.xAxis === 'wall' },
        // The raw values behind smoothed lines are not series: widen the y range to hold them.
        y: {
          distr: p.logScale ? 3 : 1,
          range: (_u, dataMin, dataMax) => {
            let lo = dataMin;
            let hi = dataMax;
            for (const s of visibleSeries(latest.current.chart, latest.current.hidden)) {
              for (const v of s.raw?.y ?? []) {
                if (latest.current.logScale && !(v > 0)) continue;
                if (v < lo || lo === null) lo = v;
                if (v > hi || hi === null) hi = v;
              }
            }
            if (lo === null || hi === null) return [0, 1];
            return latest.current.logScale ? uPlot.rangeLog(lo, hi, 10, false) : uPlot.rangeNum(lo, hi, 0.1, true);
          },
        },
      },
      axes: [
        { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, ...(p.xAxis !== 'wall' ? { values: (_u, ticks) => ticks.map((t) => formatX(t, p.xAxis)) } : {}) },
        { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, size: 72, values: (_u, ticks) => ticks.map((t) => formatValue(t)) },
      ],
      series: [
        { label: p.xAxis === 'step' ? 'step' : 'time', value: (_u, v) => (v === null ? '–' : formatX(v, p.xAxis)) },
        ...vis.map((s) => ({
          label: s.label,
          stroke: p.colors.get(s.runId) ?? '#888',
          width: 1.5,
          dash: s.dashed ? [6, 4] : undefined,
          spanGaps: true,
          points: { show: false },
          value: (_u: uPlot, v: number | null) => formatValue(v),
        })),
      ],
      // Dragging selects a range; the host re-decimates it at full resolution and the new
      // data arrives with the range, so uPlot does not zoom by itself (setScale: false).
      cursor: { sync: { key: 'tunix-metrics', setSeries: false }, drag: { x: true, y: false, setScale: false }, points: { size: 6 } },
      legend: { live: true },
      hooks: {
        // Raw values, faint, under the smoothed lines (not series: they would crowd the legend).
        drawAxes: [
          (u) => {
            const cur = latest.current;
            const ctx = u.ctx;
            for (const s of visibleSeries(cur.chart, cur.hidden)) {
              if (!s.raw || s.raw.x.length < 2) continue;
              ctx.save();
              ctx.beginPath();
              ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
              ctx.clip();
              ctx.strokeStyle = withAlpha(cur.colors.get(s.runId) ?? '#888888', 0.25);
              ctx.lineWidth = 1;
              ctx.beginPath();
              let started = false;
              for (let i = 0; i < s.raw.x.length; i++) {
                const yv = s.raw.y[i];
                if (cur.logScale && !(yv > 0)) continue;
                const px = u.valToPos(s.raw.x[i], 'x', true);
                const py = u.valToPos(yv, 'y', true);
                if (started) ctx.lineTo(px, py);
                else ctx.moveTo(px, py);
                started = true;
              }
              ctx.stroke();
              ctx.restore();
            }
          },
        ],
        setSelect: [
          (u) => {
            if (u.select.width < 4) return;
            const min = u.posToVal(u.select.left, 'x');
            const max = u.posToVal(u.select.left + u.select.width, 'x');
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            if (Number.isFinite(min) && Number.isFinite(max) && max > min) latest.current.onZoom({ min, max });
          },
        ],
        ready: [
          (u) => {
            // Double-click resets the zoom: ask the host for the whole range again.
            u.over.addEventListener('dblclick', () => latest.current.onZoom(undefined));
          },
        ],
      },
    };
  }

  return <div class="chart-canvas" ref={box} />;
}
