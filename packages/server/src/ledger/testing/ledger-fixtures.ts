import { randomUUID } from 'node:crypto';
import type { Decision, Deployment, Outcome, RoutingRequest } from '@aurora/router';
import { createOffer, createRoutingRequest } from '@aurora/router/testkit';

/** A short unique suffix, so tests sharing one database never collide. */
export function uniqueSuffix(): string {
  return randomUUID().slice(0, 8);
}

export const fixtureCreatedAt = '2026-03-01T12:00:00.000Z';

/** A pending deployment as the router records its intent, with `overrides` applied. */
export function buildDeployment(overrides: Partial<Deployment> = {}): Deployment {
  return {
    deployment_id: `dep-${uniqueSuffix()}`,
    provider: 'akash',
    provider_deployment_id: null,
    offer_id: 'offer-1',
    status: 'pending',
    provider_status: null,
    gpu_type: 'a100',
    gpu_count: 1,
    region: 'us-west',
    price_usd_per_hour: 2,
    cost_usd: 0,
    endpoint: null,
    tenant: null,
    idempotency_key: null,
    decision_id: `dec-${uniqueSuffix()}`,
    created_at: fixtureCreatedAt,
    updated_at: fixtureCreatedAt,
    started_at: null,
    ended_at: null,
    error: null,
    ...overrides,
  };
}

export function buildRequest(overrides: Parameters<typeof createRoutingRequest>[0] = {}): RoutingRequest {
  return createRoutingRequest({ max_price: 5, ...overrides });
}

/** A decision that chose one offer out of two, with `overrides` applied. */
export function buildDecision(overrides: Partial<Decision> = {}): Decision {
  const chosen = createOffer({ offer_id: 'offer-1', provider: 'akash' });
  const other = createOffer({ offer_id: 'offer-2', provider: 'ionet', price_usd_per_hour: 3 });
  const criteria = { price: 0.4, latency: 0.3, reputation: 0.2, availability: 0.1 };
  return {
    decision_id: `dec-${uniqueSuffix()}`,
    created_at: fixtureCreatedAt,
    chosen,
    candidates: [
      { offer: chosen, rank: 1, score: 1, normalized: { price: 1, latency: 1, reputation: 1, availability: 1 }, contributions: criteria },
      { offer: other, rank: 2, score: 0, normalized: { price: 0, latency: 0, reputation: 0, availability: 0 }, contributions: { price: 0, latency: 0, reputation: 0, availability: 0 } },
    ],
    rejections: [{ provider: 'vast', offer_id: 'offer-9', reason: 'price_above_max', detail: '9 > 5 USD/h' }],
    rejection_counts: { by_reason: { price_above_max: 1 }, by_provider: { vast: 1 } },
    weights: criteria,
    policy: { id: 'weighted', version: '1' },
    arm: 'rules',
    propensity: 0.95,
    shadow: null,
    attempts: [],
    adapter_failures: [],
    warnings: [],
    ...overrides,
  };
}

export function buildOutcome(decision: Decision, overrides: Partial<Outcome> = {}): Outcome {
  return {
    decision_id: decision.decision_id,
    provider: 'akash',
    offer_id: 'offer-1',
    filled: true,
    time_to_running_ms: 42_000,
    observed_at: '2026-03-01T12:05:00.000Z',
    ...overrides,
  };
}

/** ISO timestamps one second apart from `start`, `count` of them, oldest first. */
export function timestamps(start: string, count: number): string[] {
  const base = Date.parse(start);
  return Array.from({ length: count }, (_, index) => new Date(base + index * 1000).toISOString());
}
