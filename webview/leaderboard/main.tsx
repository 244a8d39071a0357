// The leaderboard webview: evaluated runs ranked by primary score, with filters, selection
// for comparison and regression-baseline actions. Hosted by
// src/extension/eval/leaderboardPanel.ts; contract: src/shared/leaderboardContract.ts.
import type { LeaderboardFromWebview, LeaderboardState, LeaderboardToWebview } from '../../src/shared/leaderboardContract';
import { bridge } from '../shared/bridge';
import { mountApp } from '../shared/mount';
import pageCss from '../shared/page.css';
import css from './leaderboard.css';
import { App } from './App';

const host = bridge<LeaderboardToWebview, LeaderboardFromWebview, LeaderboardState>();
mountApp(<App host={host} />, { css: [pageCss, css] });
