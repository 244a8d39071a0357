// The features of the extension, each registering its own commands, views and listeners.
// One folder or file per feature (the DVC extension's layout); they share only services.
import type { ExtensionContextServices } from '../services';
import { foundationFeature } from './foundation';
import { diagnosticsFeature } from '../diagnostics';
import { tracesFeature } from '../traces/feature';
import { datasetsFeature } from '../datasets/feature';
import { evalFeature } from '../eval/feature';
import { runsFeature } from '../runs/feature';
import { modelsFeature } from '../models/feature';

export interface Feature {
  name: string;
  register(services: ExtensionContextServices): void;
}

export const FEATURES: Feature[] = [foundationFeature, diagnosticsFeature, tracesFeature, datasetsFeature, evalFeature, runsFeature, modelsFeature];
