import { defineConfig } from 'tsup';
import { auroraTsupConfig } from '../../scripts/tsup-preset.mjs';

export default defineConfig(
  auroraTsupConfig({ entry: ["src/index.ts"], cjs: false, packageDirectory: new URL('./', import.meta.url) }),
);
