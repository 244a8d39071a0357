// The features of the extension in the order they register, each registering its own
// commands, views and listeners. One folder per feature (the DVC extension's layout); they
// stand on src/extension/platform and never import each other.
import type { Feature } from './platform/feature';
import { foundationFeature } from './foundation/feature';
import { diagnosticsFeature } from './diagnostics';
import { tracesFeature } from './traces/feature';
import { datasetsFeature } from './datasets/feature';
import { evalFeature } from './eval/feature';
import { runsFeature } from './runs/feature';
import { modelsFeature } from './models/feature';

export const FEATURES: Feature[] = [foundationFeature, diagnosticsFeature, tracesFeature, datasetsFeature, evalFeature, runsFeature, modelsFeature];
