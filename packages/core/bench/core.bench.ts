/**
 * Core benchmark: the scorer (`rankOffers`: filter + score) and `router.quote` over 10 to 100,000
 * offers, against a plain sort of the same offers by price measured in the same run. Run with
 * `pnpm bench`. The last line printed is one JSON object for machines.
 */
import { parseOrThrow } from '../src/schemas/parse';
import { routingRequestSchema } from '../src/schemas/routing-request';
import { defaultWeights } from '../src/schemas/weights';
import { rankOffers } from '../src/scorer/rank-offers';
import type { Offer } from '../src/schemas/offer';
import { benchRequestInput, createBenchOffers } from './bench-offers';
import { collectGarbage, measureInterleaved, optionsForSize, type Measurement } from './measure';
import { createQuoteRunner } from './quote-runner';

const sizes = [10, 100, 1_000, 10_000, 100_000];
const targets = [
  { offers: 100, p50_us: 20 },
  { offers: 10_000, p50_us: 2_000 },
];

type Row = { offers: number; eligible: number; baseline: Measurement; scorer: Measurement; quote: Measurement };

const byPrice = (a: Offer, b: Offer) => a.price_usd_per_hour - b.price_usd_per_hour;

async function main(): Promise<void> {
  const request = parseOrThrow(routingRequestSchema, benchRequestInput, 'bench request');
  const rows: Row[] = [];
  for (const size of sizes) {
    const offers = createBenchOffers(size);
    const options = optionsForSize(size);
    const eligible = rankOffers(request, offers, defaultWeights).candidates.length;
    const runner = await createQuoteRunner(offers);
    const check = await runner.quote();
    if (check.total_offers !== size || check.eligible_count !== eligible) {
      throw new Error(`router.quote saw ${check.total_offers} offers, ${check.eligible_count} eligible; expected ${size}, ${eligible}`);
    }
    const measured = await measureInterleaved(
      {
        baseline: () => offers.slice().sort(byPrice),
        scorer: () => rankOffers(request, offers, defaultWeights),
        quote: runner.quote,
      },
      options,
    );
    await runner.close();
    collectGarbage();
    const { baseline, scorer, quote } = measured;
    rows.push({ offers: size, eligible, baseline, scorer, quote });
    process.stderr.write(`  measured ${size} offers\n`);
  }
  report(rows);
}

function report(rows: Row[]): void {
  const lines: string[] = [];
  lines.push(`Node ${process.version}, ${process.arch}; p50/p99 in microseconds per call; baseline = slice + sort by price`);
  lines.push('');
  lines.push(
    table(
      ['offers', 'eligible', 'what', 'iters', 'p50 us', 'p99 us', 'decisions/s', 'x baseline', 'us/offer', 'growth'],
      rows.flatMap((row, index) => {
        const previous = rows[index - 1];
        const growth = (now: Measurement, before: Measurement | undefined) =>
          before ? `${(now.p50_us / before.p50_us).toFixed(1)}x/${row.offers / previous!.offers}x` : '';
        return [
          [row.offers, row.eligible, 'baseline sort', row.baseline.iterations, fmt(row.baseline.p50_us), fmt(row.baseline.p99_us), perSecond(row.baseline), '1.0', perOffer(row.baseline, row.offers), growth(row.baseline, previous?.baseline)],
          [row.offers, row.eligible, 'rankOffers', row.scorer.iterations, fmt(row.scorer.p50_us), fmt(row.scorer.p99_us), perSecond(row.scorer), ratio(row.scorer, row.baseline), perOffer(row.scorer, row.offers), growth(row.scorer, previous?.scorer)],
          [row.offers, row.eligible, 'router.quote', row.quote.iterations, fmt(row.quote.p50_us), fmt(row.quote.p99_us), perSecond(row.quote), ratio(row.quote, row.baseline), perOffer(row.quote, row.offers), growth(row.quote, previous?.quote)],
        ];
      }),
    ),
  );
  lines.push('');
  for (const target of targets) {
    const row = rows.find((candidate) => candidate.offers === target.offers);
    if (!row) continue;
    const met = row.quote.p50_us <= target.p50_us;
    lines.push(`target router.quote p50 <= ${target.p50_us} us at ${target.offers} offers: ${fmt(row.quote.p50_us)} us ${met ? 'MET' : 'MISSED'}`);
  }
  const memory = process.memoryUsage();
  lines.push(`memory after ${sizes.at(-1)} offers: heap used ${mb(memory.heapUsed)} MB, rss ${mb(memory.rss)} MB`);
  lines.push(linearity(rows));
  for (const line of lines) process.stdout.write(`${line}\n`);
  const summary = {
    bench: 'core',
    results: rows.map((row) => ({
      offers: row.offers,
      p50_us: round(row.quote.p50_us),
      p99_us: round(row.quote.p99_us),
      decisions_per_s: Math.round(1e6 / row.quote.p50_us),
    })),
    scorer: rows.map((row) => ({
      offers: row.offers,
      p50_us: round(row.scorer.p50_us),
      p99_us: round(row.scorer.p99_us),
      decisions_per_s: Math.round(1e6 / row.scorer.p50_us),
    })),
    baseline_sort: rows.map((row) => ({ offers: row.offers, p50_us: round(row.baseline.p50_us) })),
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

/** Linear means us/offer stays flat; n log n sorting lets it creep up slowly. */
function linearity(rows: Row[]): string {
  const large = rows.filter((row) => row.offers >= 1_000);
  if (large.length < 2) return '';
  const first = large[0]!;
  const last = large.at(-1)!;
  const drift = last.quote.p50_us / last.offers / (first.quote.p50_us / first.offers);
  return `router.quote us/offer from ${first.offers} to ${last.offers} offers changes ${drift.toFixed(2)}x (1.0 = linear; log2 growth of the sort alone would be ${(Math.log2(last.offers) / Math.log2(first.offers)).toFixed(2)}x)`;
}

function table(header: string[], body: Array<Array<string | number>>): string {
  const cells = [header, ...body.map((row) => row.map(String))];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => row[column]!.length)));
  return cells.map((row) => row.map((cell, column) => (column <= 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')).join('\n');
}

const fmt = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(2));
const round = (value: number) => Math.round(value * 100) / 100;
const perSecond = (measurement: Measurement) => Math.round(1e6 / measurement.p50_us).toLocaleString('en-US');
const ratio = (measurement: Measurement, baseline: Measurement) => (measurement.p50_us / baseline.p50_us).toFixed(1);
const perOffer = (measurement: Measurement, offers: number) => (measurement.p50_us / offers).toFixed(3);
const mb = (bytes: number) => (bytes / 1_048_576).toFixed(0);

await main();
