import { readFileSync } from 'node:fs';

/** One build preset for every package: ESM (+ CJS for libraries), d.ts, sourcemaps, version define. */
export function auroraTsupConfig({ entry, cjs = true, packageDirectory }) {
  const packageJson = JSON.parse(readFileSync(new URL('package.json', packageDirectory), 'utf8'));
  return {
    entry,
    format: cjs ? ['esm', 'cjs'] : ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node22',
    define: { __PACKAGE_VERSION__: JSON.stringify(packageJson.version) },
    // Keep `node:` on built-in imports: `node:sqlite` (and `node:test`) exist only with the prefix,
    // and tsup strips it by default.
    removeNodeProtocol: false,
  };
}
