import { logNormalCdf } from './normal-distribution';

/**
 * An always-valid one-sided test of a quantity h (a guardrail's "harm", see `evaluateGuardrail`)
 * from an estimate ĥ with variance V, re-run whenever data arrive.
 *
 * Model: in information time I = 1/V the score S = I·ĥ behaves like Brownian motion with drift h
 * (the large-sample approximation Johari et al. use for the mixture SPRT). For any λ the process
 * exp(λS - λ²I/2) is the likelihood ratio of drift λ against drift 0; when h <= 0 and λ >= 0 it
 * is a non-negative supermartingale starting at 1. Mixing λ over a half-normal prior with scale τ
 * (density 2·N(0, τ²) on λ >= 0) keeps that property and has a closed form. With z = ĥ/√V and the
 * shrinkage w = τ²/(τ² + V):
 *
 *   M⁺ = 2 · √(1 - w) · exp(w z² / 2) · Φ(z √w)
 *
 * By Ville's inequality P(M⁺ ever reaches 1/α) <= α under H0: h <= 0, however often one looks.
 * That is the test for "harm" (breach). The mirror test for "no harm" (H0: h >= 0) is the same
 * formula with z replaced by -z. The two-sided normal mixture of Johari et al. and Robbins is
 * √(1 - w)·exp(w z²/2); the half-normal version spends the whole α on one side.
 *
 * The critical value z* solves log M⁺(z*) = log(1/α) (M⁺ increases with z; Newton steps),
 * so the tests read "ĥ/√V >= z*" and "ĥ/√V <= -z*", and ĥ ∓ z*·√V are one-sided (1 - α)
 * always-valid bounds on h. τ tunes where the test is most sensitive: effects near τ are
 * detected fastest.
 */
export type NormalMixtureTest = {
  /** ĥ / √V. */
  z: number;
  /** w = τ² / (τ² + V). */
  shrinkage: number;
  /** log M⁺: evidence against H0 h <= 0 (harm). */
  log_evidence_harm: number;
  /** The mirror: evidence against H0 h >= 0 (no harm). */
  log_evidence_no_harm: number;
  /** z* at this V and α. */
  critical_z: number;
  /** Always-valid one-sided bounds on h: h >= lower and h <= upper, each with probability 1 - α. */
  lower: number;
  upper: number;
};

/** Runs both one-sided tests. `variance` and `mixture_scale` must be positive and finite. */
export function normalMixtureTest(input: { estimate: number; variance: number; mixture_scale: number; alpha: number }): NormalMixtureTest {
  const { estimate, variance, mixture_scale: scale, alpha } = input;
  const standardError = Math.sqrt(variance);
  const z = estimate / standardError;
  const criticalZ = alwaysValidCriticalZ(variance, scale, alpha);
  return {
    z,
    shrinkage: shrinkageOf(variance, scale),
    log_evidence_harm: halfNormalMixtureLogEvidence(z, variance, scale),
    log_evidence_no_harm: halfNormalMixtureLogEvidence(-z, variance, scale),
    critical_z: criticalZ,
    lower: estimate - criticalZ * standardError,
    upper: estimate + criticalZ * standardError,
  };
}

/** log M⁺ = log 2 + ½ log(V / (V + τ²)) + w z²/2 + log Φ(z √w). */
export function halfNormalMixtureLogEvidence(z: number, variance: number, mixtureScale: number): number {
  const mixtureVariance = mixtureScale * mixtureScale;
  const shrinkage = mixtureVariance / (mixtureVariance + variance);
  return Math.LN2 + 0.5 * Math.log(variance / (variance + mixtureVariance)) + (shrinkage * z * z) / 2 + logNormalCdf(z * Math.sqrt(shrinkage));
}

/** z* with log M⁺(z*) = log(1/α): Newton's method, kept inside a shrinking bracket. */
export function alwaysValidCriticalZ(variance: number, mixtureScale: number, alpha: number): number {
  const target = -Math.log(alpha);
  const shrinkage = shrinkageOf(variance, mixtureScale);
  const root = Math.sqrt(shrinkage);
  const logComplement = Math.log(variance / (variance + mixtureScale * mixtureScale));
  // log M⁺(0) = ½ log(1 - w) < 0 < target; for z >= 0, log M⁺ >= ½ log(1 - w) + w z²/2.
  let low = 0;
  let high = Math.sqrt((2 * target - logComplement) / shrinkage) + 1;
  // The two-sided boundary is the one-sided one without log 2 + log Φ: a close first guess.
  let z = Math.sqrt((2 * target - logComplement) / shrinkage);
  for (let iteration = 0; iteration < 100; iteration++) {
    const value = halfNormalMixtureLogEvidence(z, variance, mixtureScale) - target;
    if (Math.abs(value) < 1e-10) return z;
    if (value > 0) high = z;
    else low = z;
    // d/dz log M⁺ = w z + √w · φ(z√w) / Φ(z√w)
    const scaled = z * root;
    const millsRatio = Math.exp(-0.5 * scaled * scaled - 0.5 * Math.log(2 * Math.PI) - logNormalCdf(scaled));
    const next = z - value / (shrinkage * z + root * millsRatio);
    z = next > low && next < high ? next : (low + high) / 2;
    if (high - low < 1e-10 * Math.max(1, high)) return z;
  }
  return z;
}

function shrinkageOf(variance: number, mixtureScale: number): number {
  const mixtureVariance = mixtureScale * mixtureScale;
  return mixtureVariance / (mixtureVariance + variance);
}
