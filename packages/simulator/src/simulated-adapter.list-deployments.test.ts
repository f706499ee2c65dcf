import { InvalidArgumentError, offerSchema, type ListedDeploymentV1 } from '@aurora/router';
import { createRoutingRequest } from '@aurora/router/testkit';
import { describe, expect, it } from 'vitest';
import { createManualClock } from './clock/manual-clock';
import { providerProfiles } from './profiles/index';
import { createSimulatedAdapter, type SimulatedAdapter } from './simulated-adapter';

const request = createRoutingRequest({ workload_type: 'llm_inference', gpu_type: 'a100', ports: [8000], image: 'vllm/vllm-openai:latest' });

function setup(listPageSize?: number) {
  const clock = createManualClock();
  const adapter = createSimulatedAdapter(providerProfiles.akash, {
    seed: 'list', clock, apiLatency: false, failureRateMultiplier: 0, ...(listPageSize === undefined ? {} : { listPageSize }),
  });
  return { adapter, clock };
}

async function deployOne(adapter: SimulatedAdapter, key: string): Promise<string> {
  const { offers } = await adapter.listOffers(request);
  const offer = offers.map((input) => offerSchema.parse(input)).find((candidate) => candidate.capacity > 0);
  if (!offer) throw new Error('no offer with capacity');
  return (await adapter.deploy(request, offer, { idempotency_key: key })).provider_deployment_id;
}

async function listAll(adapter: SimulatedAdapter): Promise<{ deployments: ListedDeploymentV1[]; pages: number }> {
  const deployments: ListedDeploymentV1[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await adapter.listDeployments!(cursor === undefined ? {} : { cursor });
    pages += 1;
    deployments.push(...page.deployments);
    cursor = page.next_cursor;
  } while (cursor !== undefined);
  return { deployments, pages };
}

describe('SimulatedAdapter.listDeployments', () => {
  it('lists live deployments with their creation time and omits terminated ones', async () => {
    const { adapter, clock } = setup();
    const first = await deployOne(adapter, 'key-1');
    await clock.advance(5_000);
    const second = await deployOne(adapter, 'key-2');
    const createdAt = new Date(clock.now()).toISOString();

    const before = await listAll(adapter);
    expect(before.deployments.map((deployment) => deployment.provider_deployment_id)).toEqual([first, second]);
    expect(before.deployments[1]).toMatchObject({ provider_deployment_id: second, created_at: createdAt });
    expect(before.deployments[1]!.status).not.toBe('terminated');

    await adapter.terminate(first);
    const after = await listAll(adapter);
    expect(after.deployments.map((deployment) => deployment.provider_deployment_id)).toEqual([second]);
  });

  it('pages through the deployments with next_cursor', async () => {
    const { adapter } = setup(2);
    const ids = [];
    for (let index = 1; index <= 5; index++) ids.push(await deployOne(adapter, `key-${index}`));

    const listed = await listAll(adapter);
    expect(listed.pages).toBe(3);
    expect(listed.deployments.map((deployment) => deployment.provider_deployment_id)).toEqual(ids);
  });

  it('rejects a cursor it did not hand out', async () => {
    const { adapter } = setup();
    const error = await adapter.listDeployments!({ cursor: 'not-a-cursor' }).catch((caught: unknown) => caught);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
  });
});
