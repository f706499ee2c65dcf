/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self time, the
 * most inclusive time, and self time per file, so a benchmark run can name its top costs.
 *
 *   node --import tsx packages/server/bench/summarize-cpu-profile.ts <file.cpuprofile> [top=25]
 */
import { readFileSync } from 'node:fs';

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

const [file, topText] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: summarize-cpu-profile.ts <file.cpuprofile> [top]\n');
  process.exit(2);
}
const top = Number(topText ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;

const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const selfMicroseconds = new Map<number, number>();
profile.samples.forEach((id, index) => selfMicroseconds.set(id, (selfMicroseconds.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
const totalMicroseconds = [...selfMicroseconds.values()].reduce((sum, value) => sum + value, 0);

const shortUrl = (url: string) =>
  url
    .replace(/^file:\/\//, '')
    .replace(/.*\/node_modules\/\.pnpm\/[^/]+\/node_modules\//, '')
    .replace(/.*\/packages\//, 'packages/');
const label = (frame: CallFrame) => `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url) || '(native)'}:${frame.lineNumber + 1}`;

const selfByFunction = new Map<string, number>();
const selfByFile = new Map<string, number>();
const inclusiveByFunction = new Map<string, number>();
for (const [id, microseconds] of selfMicroseconds) {
  const node = nodes.get(id)!;
  const key = label(node.callFrame);
  selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + microseconds);
  const fileKey = shortUrl(node.callFrame.url) || `(${node.callFrame.functionName})`;
  selfByFile.set(fileKey, (selfByFile.get(fileKey) ?? 0) + microseconds);
  // Inclusive: every distinct function on the stack gets the sample once.
  const seen = new Set<string>();
  for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
    const frameKey = label(nodes.get(current)!.callFrame);
    if (seen.has(frameKey)) continue;
    seen.add(frameKey);
    inclusiveByFunction.set(frameKey, (inclusiveByFunction.get(frameKey) ?? 0) + microseconds);
  }
}

const print = (title: string, entries: Map<string, number>) => {
  process.stdout.write(`\n${title}\n`);
  for (const [key, microseconds] of [...entries].sort((left, right) => right[1] - left[1]).slice(0, top)) {
    process.stdout.write(`${((microseconds / totalMicroseconds) * 100).toFixed(1).padStart(5)}%  ${(microseconds / 1000).toFixed(0).padStart(7)} ms  ${key}\n`);
  }
};

process.stdout.write(`${file}: ${(totalMicroseconds / 1e6).toFixed(2)} s sampled\n`);
print('self time by function', selfByFunction);
print('self time by file', selfByFile);
print('inclusive time by function', inclusiveByFunction);
