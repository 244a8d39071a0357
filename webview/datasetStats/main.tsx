// The dataset stats webview: counts per split and per category, step-count and length
// histograms, hosted by src/extension/datasets/datasetStatsPanel.ts.
// Contract: src/shared/datasetStatsContract.ts.
import type { DatasetStatsFromWebview, DatasetStatsState, DatasetStatsToWebview } from '../../src/shared/datasetStatsContract';
import { bridge } from '../shared/bridge';
import { mountApp } from '../shared/mount';
import pageCss from '../shared/page.css';
import statsCss from './stats.css';
import { App } from './App';

const host = bridge<DatasetStatsToWebview, DatasetStatsFromWebview, DatasetStatsState>();
mountApp(<App host={host} />, { css: [pageCss, statsCss] });
