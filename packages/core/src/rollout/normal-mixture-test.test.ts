import { describe, expect, it } from 'vitest';
import { logNormalCdf, normalCdf } from './normal-distribution';
import { alwaysValidCriticalZ, halfNormalMixtureLogEvidence, normalMixtureTest } from './normal-mixture-test';

/** ∫₀^∞ exp(λS - λ²I/2) · 2·N(λ; 0, τ²) dλ by the trapezoid rule, with S = ĥ/V and I = 1/V. */
function mixtureByQuadrature(estimate: number, variance: number, scale: number): number {
  const score = estimate / variance;
  const information = 1 / variance;
  const upper = 12 * scale + Math.max(0, (2 * score) / information);
  const steps = 200_000;
  const width = upper / steps;
  let total = 0;
  for (let step = 0; step <= steps; step++) {
    const lambda = step * width;
    const density = (2 / (scale * Math.sqrt(2 * Math.PI))) * Math.exp((-lambda * lambda) / (2 * scale * scale));
    const value = Math.exp(lambda * score - (lambda * lambda * information) / 2) * density;
    total += step === 0 || step === steps ? value / 2 : value;
  }
  return total * width;
}

describe('normal distribution', () => {
  it('gives the standard normal CDF, in log space deep into the left tail', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 7);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 7);
    expect(normalCdf(-5) / 2.866515718791939e-7).toBeCloseTo(1, 5);
    // Φ(-40) ≈ φ(40)/40 · (1 - 1/40² + 3/40⁴): far below the smallest double, fine as a log.
    const asymptotic = -800 - 0.5 * Math.log(2 * Math.PI) - Math.log(40) + Math.log(1 - 1 / 1600 + 3 / 1600 ** 2);
    expect(logNormalCdf(-40)).toBeCloseTo(asymptotic, 5);
    expect(logNormalCdf(40)).toBeCloseTo(0, 12);
    expect(logNormalCdf(Number.NEGATIVE_INFINITY)).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('half-normal mixture test', () => {
  it('has the closed form of the mixture integral', () => {
    for (const [estimate, variance, scale] of [
      [0.01, 1e-4, 0.02],
      [-0.03, 4e-4, 0.05],
      [0.2, 0.01, 0.1],
      [0, 2e-5, 0.02],
    ] as const) {
      const closedForm = halfNormalMixtureLogEvidence(estimate / Math.sqrt(variance), variance, scale);
      expect(closedForm).toBeCloseTo(Math.log(mixtureByQuadrature(estimate, variance, scale)), 5);
    }
  });

  it('starts at evidence 1 with no information and grows with z', () => {
    expect(halfNormalMixtureLogEvidence(3, 1e12, 0.05)).toBeCloseTo(0, 6);
    let previous = Number.NEGATIVE_INFINITY;
    for (let z = -6; z <= 6; z += 0.5) {
      const evidence = halfNormalMixtureLogEvidence(z, 1e-4, 0.02);
      expect(evidence).toBeGreaterThan(previous);
      previous = evidence;
    }
  });

  it('puts the critical value where the evidence reaches 1/α, beyond the fixed-horizon one', () => {
    for (const alpha of [0.01, 0.05, 0.2]) {
      for (const variance of [1e-6, 1e-4, 1e-2]) {
        const critical = alwaysValidCriticalZ(variance, 0.02, alpha);
        expect(halfNormalMixtureLogEvidence(critical, variance, 0.02)).toBeCloseTo(-Math.log(alpha), 8);
        // Fixed-horizon one-sided z at α = 0.05 is 1.645; monitoring continuously costs a wider boundary.
        if (alpha === 0.05) expect(critical).toBeGreaterThan(1.645);
      }
    }
  });

  it('reads both one-sided tests and bounds from one estimate', () => {
    const test = normalMixtureTest({ estimate: -0.02, variance: 2.5e-5, mixture_scale: 0.02, alpha: 0.05 });
    expect(test.z).toBeCloseTo(-4, 12);
    expect(test.log_evidence_no_harm).toBeGreaterThan(-Math.log(0.05));
    expect(test.log_evidence_harm).toBeLessThan(0);
    expect(test.upper).toBeCloseTo(-0.02 + test.critical_z * 0.005, 12);
    expect(test.lower).toBeCloseTo(-0.02 - test.critical_z * 0.005, 12);
    expect(test.upper).toBeLessThan(0);
  });
});
