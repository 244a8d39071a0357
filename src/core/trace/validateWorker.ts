/**
 * The validation worker (bundled to dist/validateWorker.js, run in a worker_thread): holds
 * the open trace documents as incremental models and validates whole files from disk, so
 * large files and lines of many MB never block the extension host's thread.
 * Edits that arrive together are applied together and validated once.
 */
import { parentPort } from 'node:worker_threads';
import * as fs from 'node:fs';
import { isUserError } from '../errors';
import { TraceDocumentModel } from './documentModel';
import { validateTraceFile } from './fileScan';
import type { FromWorker, ToWorker } from './workerProtocol';
import { DocumentValidations } from './validationService';

if (!parentPort) throw new Error('validateWorker.js must run in a worker_thread');
const port = parentPort;
const post = (m: FromWorker) => port.postMessage(m);

const docs = new DocumentValidations(post, (path) => new TraceDocumentModel(fs.readFileSync(path, 'utf8')));
const cancelled = new Set<number>();

port.on('message', (m: ToWorker) => {
  if (m.type === 'validateFile') {
    void validateTraceFile(m.path, {
      cancelled: () => cancelled.has(m.request),
      onProgress: (done, total) => post({ type: 'progress', request: m.request, done, total }),
    }).then(
      (result) => post({ type: 'fileResult', request: m.request, result }),
      (err) => post({ type: 'fileError', request: m.request, message: (err as Error).message, userError: isUserError(err) }),
    ).finally(() => cancelled.delete(m.request));
  } else if (m.type === 'cancel') cancelled.add(m.request);
  else docs.handle(m);
});
