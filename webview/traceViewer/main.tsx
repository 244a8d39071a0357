// The trace viewer webview: one stored trace (prompt, numbered steps, final answer, score,
// meta), hosted by src/extension/traces/traceViewerPanel.ts. Contract: src/shared/traceViewerContract.ts.
import type { TraceViewerFromWebview, TraceViewerState, TraceViewerToWebview } from '../../src/shared/traceViewerContract';
import { bridge } from '../shared/bridge';
import { mountApp } from '../shared/mount';
import traceCss from '../shared/trace/trace.css';
import viewerCss from './viewer.css';
import { App } from './App';

const host = bridge<TraceViewerToWebview, TraceViewerFromWebview, TraceViewerState>();
mountApp(<App host={host} />, { css: traceCss + viewerCss });
