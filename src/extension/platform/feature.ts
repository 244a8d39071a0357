// What a feature is: a name and a register function that adds its commands, views and
// listeners through the services. Every feature folder (traces, diagnostics, datasets, runs,
// eval, models, foundation) exports one; src/extension/features.ts lists them in order.
import type { ExtensionContextServices } from './services';

export interface Feature {
  name: string;
  register(services: ExtensionContextServices): void;
}
