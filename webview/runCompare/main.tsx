// The run comparison webview: runs side by side (scorecards with deltas, config differences,
// training curves overlaid) and the item table (fixed, broken, both right, both wrong).
// Hosted by src/extension/eval/runComparePanel.ts; contract: src/shared/runCompareContract.ts.
import type { RunCompareFromWebview, RunCompareState, RunCompareToWebview } from '../../src/shared/runCompareContract';
import { bridge } from '../shared/bridge';
import { mountApp } from '../shared/mount';
import uplotCss from 'uplot/dist/uPlot.min.css';
import pageCss from '../shared/page.css';
import css from './runCompare.css';
import { App } from './App';

const host = bridge<RunCompareToWebview, RunCompareFromWebview, RunCompareState>();
mountApp(<App host={host} />, { css: [uplotCss, pageCss, css] });
