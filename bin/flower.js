#!/usr/bin/env node
// Runs the TypeScript CLI through tsx in this same process: no build step and no second process.
// Importing tsx registers its loader, as `node --import tsx` does, before the CLI is imported.
await import('tsx');
await import('../src/cli.ts');
