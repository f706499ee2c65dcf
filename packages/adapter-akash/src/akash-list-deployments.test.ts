import { afterEach, describe, expect, it } from 'vitest';
import { AdapterCallError, type ListedDeploymentV1 } from '@aurora/router';
import { firstOffer, rejectionOf, startTestAkash, testRequest, type TestAkash } from './__fixtures__/start-test-akash';
import type { AkashAdapterSettings } from './akash-settings';

let running: TestAkash | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(adapter: AkashAdapterSettings = {}) {
  running = await startTestAkash({ adapter });
  return running;
}

async function deploy(akash: TestAkash, key: string): Promise<string> {
  const deployed = await akash.adapter.deploy(testRequest(), await firstOffer(akash.adapter), { idempotency_key: key });
  return deployed.provider_deployment_id;
}

async function listAll(akash: TestAkash): Promise<{ deployments: ListedDeploymentV1[]; pages: number }> {
  const deployments: ListedDeploymentV1[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await akash.adapter.listDeployments(cursor === undefined ? {} : { cursor });
    pages += 1;
    deployments.push(...page.deployments);
    cursor = page.next_cursor;
  } while (cursor !== undefined);
  return { deployments, pages };
}

describe('AkashAdapter.listDeployments', () => {
  it('lists the deployments it created, with x-api-key, and omits closed ones', async () => {
    const akash = await start();
    const first = await deploy(akash, 'list-1');
    const second = await deploy(akash, 'list-2');

    const before = await listAll(akash);
    expect(before.deployments.map((deployment) => deployment.provider_deployment_id).sort()).toEqual([first, second].sort());
    for (const deployment of before.deployments) {
      expect(deployment.status).toBe('provisioning');
      expect(deployment.provider_status).toContain('deployment=active');
      // The Console's created_at is a block height, not a time: it is not passed on.
      expect(deployment.created_at).toBeUndefined();
    }
    const listCalls = akash.fake.state.requests.filter((request) => request.method === 'GET' && request.path === '/v1/deployments');
    expect(listCalls.length).toBeGreaterThan(0);
    expect(listCalls.every((request) => request.authorized && request.query['skip'] === '0' && request.query['limit'] === '100')).toBe(true);

    await akash.adapter.terminate(first);
    const after = await listAll(akash);
    expect(after.deployments.map((deployment) => deployment.provider_deployment_id)).toEqual([second]);
  });

  it('follows the pagination with skip and limit', async () => {
    const akash = await start({ listPageSize: 2 });
    const ids = [];
    for (let index = 1; index <= 5; index++) ids.push(await deploy(akash, `page-${index}`));

    const listed = await listAll(akash);
    expect(listed.pages).toBe(3);
    expect(listed.deployments.map((deployment) => deployment.provider_deployment_id).sort()).toEqual(ids.sort());
    const skips = akash.fake.state.requests.filter((request) => request.path === '/v1/deployments' && request.method === 'GET').map((request) => request.query['skip']);
    expect(skips).toEqual(['0', '2', '4']);
  });

  it('rejects a listing with a bad key as a typed, non-retryable 401', async () => {
    const akash = await start({ apiKey: 'wrong-key' });
    const error = await rejectionOf(akash.adapter.listDeployments());
    expect(AdapterCallError.isInstance(error)).toBe(true);
    expect((error as AdapterCallError).statusCode).toBe(401);
    expect((error as AdapterCallError).isRetryable).toBe(false);
  });
});
