// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Layer boundaries: dependencies point one way (see docs/architecture.md). */
const forbid = (groups, message) => ({
  'no-restricted-imports': ['error', { patterns: groups.map((group) => ({ group: [group], message })) }],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'coverage/**', 'dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['src/protocol/**'],
    rules: forbid(['**/engine/**', '**/store/**', '**/providers/**', '**/server/**', '**/tui/**', 'ws', 'better-sqlite3', 'ink', 'react'], 'protocol/ is the shared wire contract and depends on nothing else of ours'),
  },
  {
    files: ['src/engine/**'],
    rules: forbid(
      ['**/store/**', '**/providers/**', '**/server/**', '**/tui/**', '**/content/**', '**/config/**', '**/logging/**', '**/cli/**', '**/app/**', 'ws', 'better-sqlite3', 'ink', 'react', 'ai', '@ai-sdk/*', 'node:http', 'node:net', 'node:fs', 'node:fs/*', 'node:os', 'node:path', 'node:child_process'],
      'engine/ talks to ports only: no files, sockets, SQL, HTTP or Ink',
    ),
  },
  {
    // Engine tests and their helpers build a real `:memory:` store; production engine code may not.
    files: ['src/engine/**/*.test.ts', 'src/engine/testing/**', 'src/engine/transfer/test-support.ts'],
    rules: forbid(['**/providers/**', '**/server/**', '**/tui/**', 'ws', 'better-sqlite3', 'ink', 'react', 'ai', '@ai-sdk/*', 'node:http', 'node:net'], 'engine tests may use the real store and content files, nothing else outside the engine'),
  },
  {
    files: ['src/store/**'],
    rules: forbid(['**/server/**', '**/tui/**', '**/providers/**', 'ws', 'ink', 'react'], 'store/ implements the store port only'),
  },
  {
    files: ['src/providers/**'],
    rules: forbid(['**/server/**', '**/tui/**', '**/store/**', 'ws', 'better-sqlite3', 'ink', 'react'], 'providers/ implement the model port only'),
  },
  {
    files: ['src/server/**'],
    rules: forbid(['**/tui/**', '**/store/**', '**/providers/**', 'ink', 'react', 'better-sqlite3'], 'server/ is transport only: it hands frames to the engine'),
  },
  {
    files: ['src/content/**'],
    rules: forbid(['**/store/**', '**/providers/**', '**/server/**', '**/tui/**', '**/cli/**', '**/app/**', 'ws', 'better-sqlite3', 'ink', 'react', 'ai', '@ai-sdk/*'], 'content/ implements the content and transfer-files ports only'),
  },
  {
    files: ['src/config/**', 'src/logging/**'],
    rules: forbid(['**/store/**', '**/providers/**', '**/server/**', '**/tui/**', '**/content/**', '**/cli/**', '**/app/**', 'ws', 'better-sqlite3', 'ink', 'react', 'ai', '@ai-sdk/*'], 'config/ and logging/ are leaves the composition roots use'),
  },
  {
    files: ['src/tui/**'],
    rules: forbid(['**/engine/**', '**/store/**', '**/providers/**', '**/server/**', 'better-sqlite3'], 'tui/ knows only the protocol'),
  },
);
