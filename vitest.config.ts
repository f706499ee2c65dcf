import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources through the `@aurora/source`
// export condition, so `pnpm test` needs no build first.
const sourceConditions = ['@aurora/source', 'import', 'module', 'node', 'default'];
// Vitest also hands ssr.resolve.conditions to the Node worker as --conditions for external
// packages, where 'import' would make require() of dual packages load their ESM build
// (pg's require('pg-pool') then gets a module namespace instead of the Pool class).
const nodeConditions = ['@aurora/source', 'node', 'default'];

export default defineConfig({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: nodeConditions, externalConditions: ['@aurora/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'examples/*/src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
