#!/usr/bin/env node
// The CLI runs the TypeScript sources through tsx, so `npx modelpilot` works on a fresh clone
// without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../main/cli/main.ts');
