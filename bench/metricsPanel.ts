// The metrics panel benchmark, at 10k, 100k and 1M metric points of one run (the built-in
// trainer's metrics.jsonl shape: loss, learning rate, grad norm, throughput, memory; eval
// loss every 100 steps). One JSON line per figure, with the peer's figure from the same run.
//
// Extension host side (Node):
//   read_ms           metrics.jsonl parsed into the series model (MetricsFollower + RunSeries)
//   build_ms          chart data for the panel: EMA smoothing 0.6 + min/max decimation for a
//                     1000 px wide chart; peer: the same charts without decimation
//   live_build_ms     one live update (10 new points appended, charts rebuilt), median of 20
//   payload_MB        the `show` message as JSON; peer: undecimated
// Webview side (headless Chromium loading dist/webview/metrics.js, the real app):
//   first_render_ms   `show` posted -> every chart drawn (two animation frames later);
//                     peer: the same with undecimated data
//   live_render_ms    one live `show` with 10 more points -> drawn, median of 10; peer: undecimated
//
// Usage: node out/bench/metricsPanel.js [--sizes 10000,100000,1000000] [--no-browser]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { MetricsFollower, readRunMetrics } from '../src/core/run/metricsSource';
import { buildCharts, RunSeries } from '../src/core/run/metricsView';
import type { MetricPoint } from '../src/core/run/metricsReader';
import type { ChartData, MetricsToWebview } from '../src/shared/metricsContract';
import { figureEmitter, median, round } from './lib/figures';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const SIZES = (flag('sizes') ?? '10000,100000,1000000').split(',').map(Number);
const BROWSER = !args.includes('--no-browser');
const WIDTH_BUCKETS = 1000;
const SMOOTHING = 0.6;

const repoRoot = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
})();

const emit = figureEmitter('metricsPanel');

/** A realistic training curve: noisy decaying loss, warmup + cosine learning rate, throughput jitter. */
function metricLine(step: number, total: number, t0: number): string {
  const noise = Math.sin(step * 12.9898) * 43758.5453;
  const r = noise - Math.floor(noise);
  const warm = Math.min(1, step / 60);
  const lr = 3e-3 * warm * (0.1 + 0.45 * (1 + Math.cos((Math.PI * step) / total)));
  const line: Record<string, unknown> = {
    step,
    epoch: step / 500,
    loss: 2.5 * Math.exp(-step / (total / 5)) + 0.3 + 0.15 * (r - 0.5),
    learning_rate: lr,
    grad_norm: 1 + r,
    tokens_per_second: 9400 + 800 * (r - 0.5),
    examples_per_second: 47 + 4 * (r - 0.5),
    elapsed: step * 0.25,
    memory: { rss: 2e8 + step * 10, tensors: 120, bytes: 5e6 },
    timestamp: new Date(t0 + step * 250).toISOString(),
  };
  return JSON.stringify(line);
}

function writeMetrics(dir: string, n: number): void {
  const t0 = Date.UTC(2026, 0, 1);
  const fd = fs.openSync(path.join(dir, 'metrics.jsonl'), 'w');
  let buf: string[] = [];
  for (let step = 1; step <= n; step++) {
    buf.push(metricLine(step, n, t0));
    if (step % 100 === 0) buf.push(JSON.stringify({ step, epoch: step / 500, eval_loss: 2.4 * Math.exp(-step / (n / 5)) + 0.35, timestamp: new Date(t0 + step * 250).toISOString() }));
    if (buf.length >= 10_000) {
      fs.writeSync(fd, buf.join('\n') + '\n');
      buf = [];
    }
  }
  if (buf.length) fs.writeSync(fd, buf.join('\n') + '\n');
  fs.closeSync(fd);
}

function showMessage(charts: ChartData[], seq: number, points: number): Extract<MetricsToWebview, { type: 'show' }> {
  return {
    type: 'show',
    runs: [{ id: 'run-bench', name: 'bench run', status: 'running', description: `${points} points`, colorIndex: 0, points, skipped: [] }],
    charts,
    view: { xAxis: 'step', smoothing: SMOOTHING },
    seq,
    buildMs: 0,
  };
}

/** Whether a message this big (JSON characters) can go through page.evaluate. */
function fitsDriver(jsonChars: number): boolean {
  return jsonChars < 64 * 2 ** 20;
}

function build(series: RunSeries, decimated: boolean): { charts: ChartData[]; ms: number } {
  const t = performance.now();
  const charts = buildCharts([{ id: 'run-bench', series }], { xAxis: 'step', smoothing: SMOOTHING, buckets: decimated ? WIDTH_BUCKETS : Number.MAX_SAFE_INTEGER });
  return { charts, ms: performance.now() - t };
}

function livePoints(series: RunSeries, from: number, count: number): MetricPoint[] {
  const t0 = Date.UTC(2026, 0, 1);
  const out: MetricPoint[] = [];
  for (let s = from; s < from + count; s++) {
    const o = JSON.parse(metricLine(s, from, t0)) as Record<string, number>;
    out.push({ step: s, time: t0 + s * 250, values: { loss: o.loss, learning_rate: o.learning_rate, grad_norm: o.grad_norm, tokens_per_second: o.tokens_per_second } });
  }
  void series;
  return out;
}

// ------------------------------------------------------------------ the webview in Chromium

async function openPage(browser: Browser, dir: string): Promise<Page> {
  const html = path.join(dir, 'metrics.html');
  const script = pathToFileURL(path.join(repoRoot, 'dist', 'webview', 'metrics.js')).href;
  // VS Code's Dark Modern values for the variables the page reads (VS Code injects them).
  fs.writeFileSync(
    html,
    `<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{--vscode-foreground:#cccccc;--vscode-descriptionForeground:#9d9d9d;--vscode-editor-background:#1f1f1f;--vscode-charts-blue:#3794ff;--vscode-charts-orange:#d18616;--vscode-font-family:sans-serif;--vscode-font-size:13px;width:1280px}</style></head>` +
      `<body class="vscode-dark"><div id="root"></div><script src="${script}"></script></body></html>`,
  );
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pathToFileURL(html).href);
  await page.waitForFunction(() => document.querySelector('main.metrics') !== null, undefined, { timeout: 30_000 });
  if (errors.length) throw new Error(`the metrics page failed: ${errors.join('; ')}`);
  return page;
}

/**
 * Builds, inside the page, an undecimated `show` shaped like `like` (same charts and series,
 * `n` points each, raw + EMA-smoothed where `like` has raw): the peer's data at sizes whose
 * JSON (hundreds of MB) cannot pass through the test driver. Only the posting is timed.
 */
async function generatePeerInPage(page: Page, like: Extract<MetricsToWebview, { type: 'show' }>, n: number): Promise<void> {
  const shape = like.charts.map((c) => ({ id: c.id, title: c.title, series: c.series.map((s) => ({ runId: s.runId, metric: s.metric, label: s.label, dashed: s.dashed, raw: !!s.raw, sparse: s.metric.startsWith('eval_') })) }));
  await page.evaluate(
    ({ shape, n, base, smoothing }) => {
      const charts = shape.map((c) => {
        let points = 0;
        let sent = 0;
        const series = c.series.map((s, k) => {
          const count = s.sparse ? Math.floor(n / 100) : n;
          const stride = s.sparse ? 100 : 1;
          const x = new Array<number>(count);
          const y = new Array<number>(count);
          for (let i = 0; i < count; i++) {
            const step = (i + 1) * stride;
            x[i] = step;
            y[i] = 2.5 * Math.exp(-step / (n / 5)) + 0.3 + 0.15 * (((Math.sin(step * 12.9898 + k) * 43758.5453) % 1) - 0.5);
          }
          points += count;
          sent += count;
          if (!s.raw) return { runId: s.runId, metric: s.metric, label: s.label, dashed: s.dashed, x, y };
          const sm = new Array<number>(count);
          let last = 0;
          let wPow = 1;
          for (let i = 0; i < count; i++) {
            last = last * smoothing + (1 - smoothing) * y[i];
            wPow *= smoothing;
            sm[i] = last / (1 - wPow);
          }
          sent += count;
          return { runId: s.runId, metric: s.metric, label: s.label, dashed: s.dashed, x, y: sm, raw: { x, y } };
        });
        return { id: c.id, title: c.title, series, sourcePoints: points, sentPoints: sent };
      });
      (window as unknown as { __msg: unknown }).__msg = { ...base, charts };
    },
    { shape, n, base: { ...like, charts: [] }, smoothing: SMOOTHING },
  );
}

/** Posts a show message already held by the page and times it until every chart is drawn. */
async function timeShow(page: Page, message: unknown, charts: number, points: number): Promise<number> {
  if (message !== undefined) await page.evaluate((m) => ((window as unknown as { __msg: unknown }).__msg = m), message);
  return page.evaluate(
    ({ charts, points }) =>
      new Promise<number>((resolve, reject) => {
        const w = window as unknown as { __msg: unknown };
        const started = performance.now();
        window.postMessage(w.__msg, '*');
        const deadline = started + 120_000;
        const check = () => {
          const drawn = document.querySelectorAll('.chart canvas').length >= charts;
          const text = document.querySelector('.toolbar')?.textContent ?? '';
          const shown = Number((/([\d,]+) points/.exec(text)?.[1] ?? '0').replace(/,/g, ''));
          if (drawn && shown === points) {
            requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - started)));
          } else if (performance.now() > deadline) reject(new Error(`not drawn: ${text}`));
          else setTimeout(check, 0);
        };
        check();
      }),
    { charts, points },
  );
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tunix-bench-metrics-'));
  let browser: Browser | undefined;
  try {
    if (BROWSER) {
      if (!fs.existsSync(path.join(repoRoot, 'dist', 'webview', 'metrics.js'))) throw new Error('dist/webview/metrics.js is missing: build first (node esbuild.mjs)');
      const cs = (await import(pathToFileURL(path.join(repoRoot, 'scripts', 'code-server.mjs')).href)) as { launchBrowser(): Promise<Browser> };
      browser = await cs.launchBrowser();
    }
    // Warm-up (JIT, the browser's script cache) so the first size measured is not penalised.
    {
      const dir = path.join(tmp, 'warmup');
      fs.mkdirSync(dir);
      writeMetrics(dir, 2000);
      const warm = new RunSeries();
      warm.append((await readRunMetrics(dir)).points);
      for (let i = 0; i < 5; i++) build(warm, true);
      if (browser) {
        const page = await openPage(browser, dir);
        const b = build(warm, true);
        const total = b.charts.reduce((s, c) => s + c.sourcePoints, 0);
        for (let i = 1; i <= 3; i++) await timeShow(page, showMessage(b.charts, i, total), b.charts.length, total);
        await page.close();
      }
    }
    for (const n of SIZES) {
      const dir = path.join(tmp, String(n));
      fs.mkdirSync(dir);
      writeMetrics(dir, n);
      // The panel's own path: the follower's slices appended as they are parsed, so no list
      // of every point is ever held.
      const t = performance.now();
      const series = new RunSeries();
      await new MetricsFollower(dir, (batch) => series.append(batch.points)).poll();
      const readMs = performance.now() - t;
      emit({ figure: 'read_ms', points: n, rows_read: series.points, value: round(readMs), what: 'metrics.jsonl into the panel model as the panel reads it (the follower, slice by slice)', file_MB: round(fs.statSync(path.join(dir, 'metrics.jsonl')).size / 2 ** 20) });

      const ours = build(series, true);
      const peer = build(series, false);
      const sent = ours.charts.reduce((s, c) => s + c.sentPoints, 0);
      const source = ours.charts.reduce((s, c) => s + c.sourcePoints, 0);
      emit({ figure: 'build_ms', points: n, value: round(ours.ms), peer: 'undecimated', peer_value: round(peer.ms), series_points: source, sent_points: sent });
      const oursMsg = showMessage(ours.charts, 1, source);
      const peerMsg = showMessage(peer.charts, 1, source);
      const oursJson = JSON.stringify(oursMsg).length;
      const peerJson = JSON.stringify(peerMsg).length;
      emit({ figure: 'payload_MB', points: n, value: round(oursJson / 2 ** 20, 3), peer: 'undecimated', peer_value: round(peerJson / 2 ** 20, 3) });

      const live: number[] = [];
      let next = n + 1;
      for (let i = 0; i < 20; i++) {
        series.append(livePoints(series, next, 10));
        next += 10;
        live.push(build(series, true).ms);
      }
      emit({ figure: 'live_build_ms', points: n, value: round(median(live)), note: 'median of 20 updates of 10 points each' });

      if (browser) {
        const charts = ours.charts.length;
        // Above this the undecimated message is built in the page (see generatePeerInPage).
        const inPage = !fitsDriver(peerJson);
        const measure = async (decimated: boolean, lives: number): Promise<{ first: number; live: number } | { error: string }> => {
          const page = await openPage(browser!, dir);
          try {
            let first: number;
            if (!decimated && inPage) {
              await generatePeerInPage(page, peerMsg, n);
              first = await timeShow(page, undefined, charts, source);
              return { first, live: NaN };
            }
            first = await timeShow(page, decimated ? oursMsg : peerMsg, charts, source);
            const times: number[] = [];
            for (let i = 0; i < lives; i++) {
              series.append(livePoints(series, next, 10));
              next += 10;
              const b = build(series, decimated);
              const total = b.charts.reduce((s, c) => s + c.sourcePoints, 0);
              times.push(await timeShow(page, showMessage(b.charts, i + 2, total), charts, total));
            }
            return { first, live: median(times) };
          } catch (err) {
            // The undecimated peer can exhaust the renderer (it crashes): that is its figure.
            return { error: (err as Error).message.split('\n')[0] };
          } finally {
            await page.close().catch(() => undefined);
          }
        };
        const a = await measure(true, 10);
        const b = await measure(false, n >= 100_000 ? 3 : 10);
        const fig = (r: typeof a, k: 'first' | 'live') => ('error' in r || Number.isNaN(r[k]) ? null : round(r[k]));
        const err = (r: typeof a) => ('error' in r ? { peer_error: r.error } : inPage ? { peer_note: `undecimated data (${round(peerJson / 2 ** 20)} MB as JSON) generated in the page: too big to pass through the test driver; live updates not measured` } : {});
        emit({ figure: 'first_render_ms', points: n, value: fig(a, 'first'), peer: 'undecimated', peer_value: fig(b, 'first'), ...err(b), charts, note: 'show posted -> all charts drawn, in headless Chromium (software rendering)' });
        emit({ figure: 'live_render_ms', points: n, value: fig(a, 'live'), peer: 'undecimated', peer_value: fig(b, 'live'), ...err(b), note: 'median of live shows of 10 more points each' });
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    await browser?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
