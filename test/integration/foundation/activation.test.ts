// The extension activates in a real extension host, quickly and without loading heavy modules.
import * as assert from 'node:assert/strict';
import { activate, activationSnapshot, extension, logText, waitFor } from '../helpers';

describe('foundation: activation', () => {
  it('activates and reports its activation time', async () => {
    const api = await activate();
    assert.ok(extension().isActive, 'the extension is active');
    const { activationMs, sinceModuleLoadMs } = api.activation;
    assert.ok(Number.isFinite(activationMs) && activationMs >= 0, `activationMs is a duration (${activationMs})`);
    assert.ok(sinceModuleLoadMs >= activationMs, 'the time since the bundle loaded includes activation');
    console.log(`      activation took ${activationMs.toFixed(1)} ms (${sinceModuleLoadMs.toFixed(1)} ms since the bundle loaded)`);
  });

  it('loads no heavy module (sql.js, tfjs, workers) while activating', async () => {
    const snapshot = activationSnapshot();
    assert.ok(snapshot, 'the test runner recorded the state right after activation');
    assert.deepEqual(snapshot.heavyModulesAtActivation, [], 'heavy modules loaded during activation');
  });

  it('writes to the "Tunix RT" log channel', async () => {
    const api = await activate();
    assert.equal(api.services.log.name, 'Tunix RT');
    const text = await waitFor(() => logText(api).match(/Activated in [\d.]+ ms/), 'the activation line in the Tunix RT log');
    assert.ok(text);
  });
});
