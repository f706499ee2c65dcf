import { createRouter, NoEligibleOfferError } from '@aurora/router';
import { describe, expect, it } from 'vitest';
import { createManualClock } from './clock/manual-clock';
import { createSimulatedFleet } from './simulated-fleet';

/** The README's usage: the fleet behind a real router, both on one simulated clock. */
describe('simulated fleet behind createRouter', () => {
  it('routes, deploys, runs and terminates on simulated providers', async () => {
    const clock = createManualClock();
    const fleet = createSimulatedFleet({ seed: 'router', clock, apiLatency: false });
    // Fixed ids: the simulated outcome of a deploy is drawn from the seed and the deploy's key, which carries the deployment id.
    let ids = 0;
    const router = createRouter({ adapters: fleet, clock, generateId: (prefix) => `${prefix}-readme-${++ids}` });
    try {
      const { decision, deployment } = await router.route(
        { workload_type: 'llm_inference', gpu_type: 'h100', max_price: 5, ports: [8000] },
        { idempotency_key: 'readme-example' },
      );
      expect(fleet.map((adapter) => adapter.name)).toContain(deployment.provider);
      expect(decision.chosen?.provider).toBe(deployment.provider);
      expect(decision.candidates.length).toBeGreaterThan(5);
      expect(new Set(decision.candidates.map((candidate) => candidate.offer.provider)).size).toBeGreaterThan(2);

      await clock.advance(15 * 60_000);
      const running = await router.status(deployment.deployment_id);
      expect(running.status).toBe('running');
      expect(running.endpoint).toMatch(/\.simulated\.invalid$/);

      const terminated = await router.terminate(deployment.deployment_id);
      expect(terminated.status).toBe('terminated');
      expect(router.providers().every((health) => health.simulated)).toBe(true);
    } finally {
      await router.close();
    }
  });

  it('explains why nothing fits', async () => {
    const clock = createManualClock();
    const router = createRouter({ adapters: createSimulatedFleet({ seed: 'router', clock, apiLatency: false }), clock });
    const outcome = await router.route({ workload_type: 'llm_inference', gpu_type: 'h100', max_price: 0.5 }).catch((error: unknown) => error);
    expect(NoEligibleOfferError.isInstance(outcome)).toBe(true);
    expect((outcome as NoEligibleOfferError).rejections.by_reason['price_above_max']).toBeGreaterThan(0);
    await router.close();
  });
});
