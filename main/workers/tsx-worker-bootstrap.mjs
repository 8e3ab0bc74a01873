// Starts a TypeScript worker entry from sources (see worker-entry.ts): registers tsx's loader inside
// this worker thread, then imports the entry. Unused in a built app.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
