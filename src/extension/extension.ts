// Entry point of the extension host bundle. Kept thin: it wires features together and
// measures its own activation time. Heavy modules (sql.js, the trainer) load lazily,
// inside the features, the first time a user action needs them.
const moduleLoadedAt = performance.now();

import * as vscode from 'vscode';
import { createLog } from './platform/log';
import { FEATURES } from './features';
import type { ExtensionContextServices, TunixApi } from './platform/services';
import { createServices } from './platform/services';

let services: ExtensionContextServices | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<TunixApi> {
  const started = performance.now();
  const log = createLog(context);
  services = createServices(context, log);
  for (const feature of FEATURES) {
    try {
      feature.register(services);
    } catch (err) {
      // One broken feature must not take the others down; the log says which and why.
      log.error(`Feature "${feature.name}" failed to register: ${(err as Error).stack ?? err}`);
    }
  }
  const activationMs = performance.now() - started;
  const sinceModuleLoadMs = performance.now() - moduleLoadedAt;
  log.info(`Activated in ${activationMs.toFixed(1)} ms (${sinceModuleLoadMs.toFixed(1)} ms since the bundle loaded).`);
  return services.api({ activationMs, sinceModuleLoadMs });
}

export async function deactivate(): Promise<void> {
  await services?.dispose();
  services = undefined;
}
