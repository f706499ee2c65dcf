import { InvalidArgumentError } from '@aurora/router';

/** A sample mean with its two-sided confidence interval (Student t over the sample). */
export type Estimate = {
  mean: number;
  /** [low, high]; equal to the mean when n < 2 (no interval can be computed). */
  ci95: [number, number];
  n: number;
  standard_deviation: number;
};

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/** Sample standard deviation (n - 1 in the denominator); 0 for fewer than two values. */
export function standardDeviation(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const average = mean(values);
  let squares = 0;
  for (const value of values) squares += (value - average) ** 2;
  return Math.sqrt(squares / (values.length - 1));
}

/** Quantile with linear interpolation between order statistics (type 7, as R and NumPy default). */
export function quantile(values: readonly number[], probability: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, probability));
  const lower = Math.floor(position);
  const upper = Math.min(sorted.length - 1, lower + 1);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

/** Mean and 95 % Student-t interval of `values` (non-finite values are an error). */
export function estimateMean(values: readonly number[], level = 0.95): Estimate {
  if (values.some((value) => !Number.isFinite(value))) {
    throw new InvalidArgumentError({ issues: [{ field: 'values', reason: 'every value must be a finite number' }] });
  }
  const n = values.length;
  const average = mean(values);
  const deviation = standardDeviation(values);
  if (n < 2) return { mean: average, ci95: [average, average], n, standard_deviation: deviation };
  const half = studentTQuantile(1 - (1 - level) / 2, n - 1) * (deviation / Math.sqrt(n));
  return { mean: average, ci95: [average - half, average + half], n, standard_deviation: deviation };
}

/** Paired differences `treatment[i] - control[i]` and their mean with a t interval. */
export function pairedDifference(control: readonly number[], treatment: readonly number[], level = 0.95): Estimate & { per_seed: number[] } {
  if (control.length !== treatment.length) {
    throw new InvalidArgumentError({ issues: [{ field: 'treatment', reason: `has ${treatment.length} values, control ${control.length}` }] });
  }
  const differences = control.map((value, index) => treatment[index]! - value);
  return { ...estimateMean(differences, level), per_seed: differences };
}

/** True when the interval lies entirely on one side of zero. */
export function excludesZero(estimate: Pick<Estimate, 'ci95'>): boolean {
  return estimate.ci95[0] > 0 || estimate.ci95[1] < 0;
}

/** The p-quantile of Student's t with `degrees` degrees of freedom (bisection on the exact CDF). */
export function studentTQuantile(probability: number, degrees: number): number {
  if (!(probability > 0 && probability < 1) || !(degrees > 0)) {
    throw new InvalidArgumentError({ issues: [{ field: 'probability', reason: 'must be in (0, 1) with degrees > 0' }] });
  }
  if (probability === 0.5) return 0;
  if (probability < 0.5) return -studentTQuantile(1 - probability, degrees);
  let low = 0;
  let high = 1;
  while (studentTCdf(high, degrees) < probability) high *= 2;
  for (let iteration = 0; iteration < 200 && high - low > 1e-12 * Math.max(1, high); iteration++) {
    const middle = (low + high) / 2;
    if (studentTCdf(middle, degrees) < probability) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

/** P(T <= t) for Student's t with `degrees` degrees of freedom. */
export function studentTCdf(t: number, degrees: number): number {
  const x = degrees / (degrees + t * t);
  const tail = 0.5 * regularizedIncompleteBeta(x, degrees / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** I_x(a, b) by Lentz's continued fraction (Numerical Recipes' betacf), with the symmetry swap. */
function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let result = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let term = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + term * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + term / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    result *= d * c;
    term = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + term * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + term / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    result *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return result;
}

/** Lanczos approximation of ln Gamma(x), x > 0. */
function logGamma(x: number): number {
  const coefficients = [
    676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const shifted = x - 1;
  let sum = 0.99999999999980993;
  for (let index = 0; index < coefficients.length; index++) sum += coefficients[index]! / (shifted + index + 1);
  const t = shifted + coefficients.length - 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(t) - t + Math.log(sum);
}
