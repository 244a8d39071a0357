// The metrics panel's data model: appending (with resumed steps replacing old ones),
// incremental smoothing, chart grouping, axes and decimated output; and series alignment.
import * as assert from 'node:assert/strict';
import { buildCharts, chartSpecs, RunSeries } from '../../../src/core/run/metricsView';
import { alignSeries } from '../../../src/core/run/align';
import { emaSmooth } from '../../../src/core/run/smoothing';
import type { MetricPoint } from '../../../src/core/run/metricsReader';

const t0 = Date.UTC(2026, 0, 1);
const pt = (step: number, values: Record<string, number>, secs = step): MetricPoint => ({ step, time: t0 + secs * 1000, values });

describe('metrics view model', () => {
  it('groups loss with eval loss, then learning rate, throughput, grad norm, then the rest', () => {
    const specs = chartSpecs(new Set(['grad_norm', 'loss', 'eval_loss', 'learning_rate', 'tokens_per_second', 'memory.rss', 'elapsed', 'custom_metric']));
    assert.deepEqual(specs.map((s) => s.id), ['loss', 'learning_rate', 'tokens_per_second', 'grad_norm', 'custom_metric', 'memory.rss']);
    assert.deepEqual(specs[0].metrics, ['loss', 'eval_loss']);
  });

  it('a resumed run replaces the steps it repeats, keeping x sorted', () => {
    const s = new RunSeries();
    s.append([10, 20, 30, 40].map((st) => pt(st, { loss: st })));
    s.append([30, 40, 50].map((st) => pt(st, { loss: -st }, st + 100)));
    const col = s.metrics.get('loss')!;
    assert.deepEqual([...col.steps.view()], [10, 20, 30, 40, 50]);
    assert.deepEqual([...col.values.view()], [10, 20, -30, -40, -50]);
  });

  it('smooths incrementally exactly as a full recomputation does', () => {
    const s = new RunSeries();
    const ys = Array.from({ length: 1000 }, (_, i) => Math.sin(i) + i / 100);
    s.append(ys.slice(0, 400).map((y, i) => pt(i, { loss: y })));
    s.metrics.get('loss')!.smooth(0.8);
    s.append(ys.slice(400).map((y, i) => pt(400 + i, { loss: y })));
    const inc = s.metrics.get('loss')!.smooth(0.8);
    const full = emaSmooth(ys, 0.8);
    for (let i = 0; i < ys.length; i++) assert.ok(Math.abs(inc[i] - full[i]) < 1e-12, `at ${i}`);
  });

  it('builds decimated charts by step, relative and wall time; eval series dashed and unsmoothed', () => {
    const s = new RunSeries();
    const points: MetricPoint[] = [];
    for (let i = 1; i <= 100_000; i++) points.push(pt(i, { loss: 5 / Math.sqrt(i) + ((i * 37) % 11) / 100, learning_rate: 0.001 }, 1000 + i));
    for (let i = 1000; i <= 100_000; i += 1000) points.push(pt(i, { eval_loss: 4 / Math.sqrt(i) }, 1000 + i));
    s.append(points);
    const charts = buildCharts([{ id: 'r1', series: s }], { xAxis: 'step', smoothing: 0.9, buckets: 500 });
    const loss = charts.find((c) => c.id === 'loss')!;
    assert.equal(loss.sourcePoints, 100_100);
    assert.ok(loss.sentPoints < 5000, String(loss.sentPoints));
    const train = loss.series.find((x) => x.metric === 'loss')!;
    const ev = loss.series.find((x) => x.metric === 'eval_loss')!;
    assert.ok(train.raw && train.raw.x.length > 0, 'raw values come along when smoothing');
    assert.equal(ev.dashed, true);
    assert.equal(ev.raw, undefined);
    assert.equal(ev.x.length, 100);
    const rel = buildCharts([{ id: 'r1', series: s }], { xAxis: 'relative', smoothing: 0, buckets: 500 }).find((c) => c.id === 'loss')!;
    assert.equal(rel.series[0].x[0], 0, 'relative time starts at the first point');
    assert.equal(rel.series[0].x.at(-1), 99_999);
    const wall = buildCharts([{ id: 'r1', series: s }], { xAxis: 'wall', smoothing: 0, buckets: 500 }).find((c) => c.id === 'loss')!;
    assert.equal(wall.series[0].x[0], (t0 + 1001 * 1000) / 1000);
  });

  it('a zoomed range comes back at full resolution with its neighbours', () => {
    const s = new RunSeries();
    s.append(Array.from({ length: 50_000 }, (_, i) => pt(i, { loss: i % 7 })));
    const [loss] = buildCharts([{ id: 'r', series: s }], { xAxis: 'step', smoothing: 0, buckets: 400, range: { min: 1000, max: 1200 } });
    assert.equal(loss.series[0].x[0], 999);
    assert.equal(loss.series[0].x.at(-1), 1201);
    assert.equal(loss.series[0].x.length, 203);
  });

  it('runs without timestamps (Hugging Face log_history) draw by step and are left out of time axes', () => {
    const s = new RunSeries();
    s.append([{ step: 1, values: { loss: 1 } }, { step: 2, values: { loss: 0.5 } }]);
    assert.equal(buildCharts([{ id: 'r', series: s }], { xAxis: 'step', smoothing: 0, buckets: 100 }).length, 1);
    assert.equal(buildCharts([{ id: 'r', series: s }], { xAxis: 'relative', smoothing: 0, buckets: 100 }).length, 0);
  });

  it('aligns several series on the union of their x values, with gaps as null', () => {
    const [x, a, b] = alignSeries([
      { x: [1, 3, 5], y: [10, 30, 50] },
      { x: [2, 3, 6], y: [20, 33, 60] },
    ]);
    assert.deepEqual(x, [1, 2, 3, 5, 6]);
    assert.deepEqual(a, [10, null, 30, 50, null]);
    assert.deepEqual(b, [null, 20, 33, null, 60]);
  });
});
