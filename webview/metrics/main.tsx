// The training metrics webview: loss, eval loss, learning rate, throughput and the other
// series of one or more runs, live while they train, hosted by
// src/extension/runs/metricsPanel.ts. Contract: src/shared/metricsContract.ts.
import type { MetricsFromWebview, MetricsState, MetricsToWebview } from '../../src/shared/metricsContract';
import { bridge } from '../shared/bridge';
import { mountApp } from '../shared/mount';
import uplotCss from 'uplot/dist/uPlot.min.css';
import metricsCss from './metrics.css';
import { App } from './App';

const host = bridge<MetricsToWebview, MetricsFromWebview, MetricsState>();
mountApp(<App host={host} />, { css: uplotCss + '\n' + metricsCss });
