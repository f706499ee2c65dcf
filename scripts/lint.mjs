// Project lint: the house rules that the type checker cannot see. Exits 1 with one line per finding.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const findings = [];
const report = (file, message) => findings.push(`${relative(root, file)}: ${message}`);

function walk(directory, visit) {
  for (const entry of readdirSync(directory)) {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) walk(path, visit);
    else visit(path, entry);
  }
}

const packagesDirectory = join(root, 'packages');
for (const name of readdirSync(packagesDirectory)) {
  const directory = join(packagesDirectory, name);
  for (const required of ['README.md', 'package.json', 'tsup.config.ts', 'src/index.ts']) {
    if (!existsSync(join(directory, required))) report(directory, `missing ${required}`);
  }
  const isLibrary = name !== 'cli';
  walk(join(directory, 'src'), (path, file) => {
    if (!/\.ts$/.test(file)) return;
    if (!/^[a-z0-9]+(?:[-.][a-z0-9]+)*\.ts$/.test(file)) report(path, 'file names are kebab-case');
    const source = readFileSync(path, 'utf8');
    const isTest = /\.test\.ts$/.test(file);
    if (isTest && /\b(?:it|test|describe)\.(?:only|skip|todo)\b/.test(source)) report(path, 'no .only/.skip/.todo in tests');
    if (!isTest && isLibrary && /\bconsole\.(?:log|info|warn|error|debug)\(/.test(source) && !/\/(bench|testing)\//.test(path)) {
      report(path, 'no console in libraries (use events, diag or the host logger)');
    }
    if (/instanceof\s+(?:Aurora|AdapterCall|InvalidArgument|InvalidResponseData|NoEligibleOffer|Configuration|NotFound|Conflict|Policy|BudgetExceeded|DeployFailed)Error\b/.test(source)) {
      report(path, 'use X.isInstance(error), never instanceof, for Aurora errors');
    }
  });
  if (name.startsWith('adapter-') && name !== 'adapter-utils') {
    const provider = name.slice('adapter-'.length);
    const indexPath = join(directory, 'src/index.ts');
    const index = existsSync(indexPath) ? readFileSync(indexPath, 'utf8') : '';
    const factory = `create${provider[0].toUpperCase()}${provider.slice(1)}`;
    if (!index.includes(factory)) report(directory, `src/index.ts must export ${factory}`);
    const conformance = existsSync(join(directory, 'src')) && readdirSync(join(directory, 'src')).some((file) => file.endsWith('.conformance.test.ts'));
    if (!conformance) report(directory, 'an adapter needs a *.conformance.test.ts running describeAdapterConformance');
    if (!existsSync(join(directory, 'src/testing/index.ts'))) report(directory, 'an adapter exports a contract fake at ./testing');
  }
}

if (findings.length > 0) {
  process.stderr.write(`${findings.join('\n')}\n${findings.length} finding(s)\n`);
  process.exit(1);
}
process.stdout.write('lint: no findings\n');
