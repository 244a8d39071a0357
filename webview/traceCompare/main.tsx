// The trace comparison webview: two traces side by side, steps aligned, differences
// highlighted, both scores. Hosted by src/extension/traces/traceComparePanel.ts; the diff is
// computed by core (src/core/trace/diff.ts). Contract: src/shared/traceCompareContract.ts.
import type { TraceCompareFromWebview, TraceCompareState, TraceCompareToWebview } from '../../src/shared/traceCompareContract';
import { bridge } from '../shared/bridge';
import { mountApp } from '../shared/mount';
import traceCss from '../shared/trace/trace.css';
import compareCss from './compare.css';
import { App } from './App';

const host = bridge<TraceCompareToWebview, TraceCompareFromWebview, TraceCompareState>();
mountApp(<App host={host} />, { css: traceCss + compareCss });
