import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources through the `@aurora/source`
// export condition, so `pnpm test` needs no build first.
const sourceConditions = ['@aurora/source', 'import', 'module', 'node', 'default'];

export default defineConfig({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions, externalConditions: ['@aurora/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'examples/*/src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
