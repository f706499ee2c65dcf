import { createBenchOffers } from './bench-offers';
import { createQuoteRunner } from './quote-runner';
const size = Number(process.argv[2] ?? 100);
const runner = await createQuoteRunner(createBenchOffers(size));
const iterations = Math.round(2e7 / size);
const t = performance.now();
for (let i = 0; i < iterations; i++) await runner.quote();
console.log('us/quote', ((performance.now() - t) * 1000 / iterations).toFixed(2));
