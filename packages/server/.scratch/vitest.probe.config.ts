import { defineConfig } from 'vitest/config';
const sourceConditions = ['@aurora/source', 'import', 'module', 'node', 'default'];
export default defineConfig({
  root: '/work/main',
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: ['@aurora/source', 'node', 'default'], externalConditions: ['@aurora/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'examples/*/src/**/*.test.ts'],
    environment: 'node', testTimeout: 20_000, hookTimeout: 30_000, pool: 'forks',
  },
});
