import { decisionSchema } from '@aurora/router';
import { describe, expect, it } from 'vitest';
import { buildDeployment } from '../ledger/testing/ledger-fixtures';
import { toRouteResponse } from './route-response';
import { recoveredDecision } from './recovered-decision';

describe('recoveredDecision', () => {
  it('stands in for a lost decision record: valid, tied to the deployment, and saying what was lost', () => {
    const deployment = buildDeployment({ provider: 'ionet', provider_deployment_id: 'ionet:abc', status: 'running' });
    const decision = recoveredDecision(deployment, { price: 3, latency: 1 });

    expect(decisionSchema.parse(decision)).toEqual(decision);
    expect(decision).toMatchObject({
      decision_id: deployment.decision_id,
      created_at: deployment.created_at,
      chosen: null,
      candidates: [],
      attempts: [],
      weights: { price: 0.75, latency: 0.25, reputation: 0, availability: 0 },
    });
    expect(decision.warnings).toEqual([expect.stringMatching(/decision record was lost.*reconciler adopted/)]);
    expect(toRouteResponse(deployment, decision)).toMatchObject({
      deployment_id: deployment.deployment_id,
      provider_deployment_id: 'ionet:abc',
      estimated_latency_ms: null,
      decision,
    });
  });
});
