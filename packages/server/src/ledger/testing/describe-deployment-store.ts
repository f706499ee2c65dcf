import { createDecisionLogRecord, InvalidArgumentError, normalizeWeights, NotFoundError, scoreOffers, type Deployment, type DeploymentRegistry } from '@aurora/router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOffers } from '@aurora/router/testkit';
import type { DeploymentStore } from '../deployment-store';
import { LedgerError } from '../ledger-error';
import { buildDecision, buildDeployment, buildOutcome, buildRequest, timestamps, uniqueSuffix } from './ledger-fixtures';

export type DeploymentStoreHarness = {
  name: string;
  /**
   * A new handle (connection) on the suite's one database: the same SQLite file or PostgreSQL
   * schema every time. The suite migrates the first handle and closes every handle it opened;
   * the test file removes the database afterwards.
   */
  open(options?: { now?: () => Date }): DeploymentStore | Promise<DeploymentStore>;
  /** Runs one statement directly on that database, for changes the store never makes itself (a tenant move). */
  execute(statement: string): Promise<void>;
};

/**
 * The contract every `DeploymentStore` must meet, run against each implementation. Tests share one
 * database, so each uses its own ids and tenants and measures global totals as differences.
 */
export function describeDeploymentStore(harness: DeploymentStoreHarness): void {
  describe(`DeploymentStore contract: ${harness.name}`, () => {
    let store: DeploymentStore;
    const opened: DeploymentStore[] = [];

    async function openHandle(options?: { now?: () => Date }): Promise<DeploymentStore> {
      const handle = await harness.open(options);
      opened.push(handle);
      return handle;
    }

    beforeAll(async () => {
      store = await openHandle();
      await store.migrate();
    });

    afterAll(async () => {
      await Promise.all(opened.map((handle) => handle.close()));
    });

    describe('migrations', () => {
      it('applies each migration once, however often migrate() runs', async () => {
        const before = await store.listAppliedMigrations();
        await store.migrate();
        const second = await openHandle();
        await second.migrate();
        const after = await store.listAppliedMigrations();

        expect(before.length).toBeGreaterThan(0);
        expect(after).toEqual(before);
        expect(new Set(after.map((migration) => migration.version)).size).toBe(after.length);
      });
    });

    describe('deployments', () => {
      it('round-trips a deployment exactly', async () => {
        const deployment = buildDeployment({
          tenant: `tenant-${uniqueSuffix()}`,
          idempotency_key: 'key-1',
          provider_status: 'ready',
          endpoint: 'https://example.test',
          started_at: '2026-03-01T12:01:00.000Z',
          price_usd_per_hour: 2.37,
          gpu_count: 4,
        });
        await store.save(deployment);

        expect(await store.get(deployment.deployment_id)).toEqual(deployment);
        expect(await store.get(`dep-missing-${uniqueSuffix()}`)).toBeUndefined();
      });

      it('upserts the intent first, then the provider id, keeping created_at', async () => {
        const intent = buildDeployment({ status: 'pending', provider_deployment_id: null });
        await store.save(intent);
        const placed: Deployment = {
          ...intent,
          status: 'provisioning',
          provider_deployment_id: 'akash-123',
          provider_status: 'deploying',
          created_at: '2026-03-01T13:00:00.000Z',
          updated_at: '2026-03-01T12:00:05.000Z',
        };
        await store.save(placed);

        expect(await store.get(intent.deployment_id)).toEqual({ ...placed, created_at: intent.created_at });
      });

      it('ignores a stale non-terminal write to a terminal deployment', async () => {
        const deployment = buildDeployment({ status: 'running' });
        await store.save(deployment);
        await store.addCost(deployment.deployment_id, 1.5, '2026-03-01T12:30:00.000Z');
        const terminated: Deployment = {
          ...deployment,
          status: 'terminated',
          ended_at: '2026-03-01T13:00:00.000Z',
          updated_at: '2026-03-01T13:00:00.000Z',
          cost_usd: 1.5,
        };
        await store.save(terminated);

        await store.save({ ...deployment, status: 'running', cost_usd: 9, provider_status: 'stale' });

        expect(await store.get(deployment.deployment_id)).toEqual(terminated);
      });

      it('still lets a terminal deployment be refined by a terminal write', async () => {
        const deployment = buildDeployment({ status: 'failed' });
        await store.save(deployment);
        const refined: Deployment = { ...deployment, error: 'provider lost the lease', ended_at: '2026-03-01T12:10:00.000Z' };

        await store.save(refined);

        expect(await store.get(deployment.deployment_id)).toEqual(refined);
      });

      it('keeps the tenant and idempotency key of the first write', async () => {
        const tenant = `tenant-${uniqueSuffix()}`;
        const deployment = buildDeployment({ tenant, idempotency_key: 'first' });
        await store.save(deployment);

        await store.save({ ...deployment, tenant: `${tenant}-intruder`, idempotency_key: 'second', status: 'provisioning' });

        const stored = await store.getForTenant(deployment.deployment_id, tenant);
        expect(stored).toMatchObject({ tenant, idempotency_key: 'first', status: 'provisioning' });
      });

      it('keeps accrued cost when a writer saves an older copy of a live deployment', async () => {
        const deployment = buildDeployment({ status: 'running' });
        await store.save(deployment);
        await store.addCost(deployment.deployment_id, 2.5, '2026-03-01T12:30:00.000Z');

        await store.save({ ...deployment, provider_status: 'healthy' });

        const stored = await store.get(deployment.deployment_id);
        expect(stored?.cost_usd).toBe(2.5);
        expect(stored?.provider_status).toBe('healthy');
      });

      it("serves as the router's deployment registry", async () => {
        const registry: Pick<DeploymentRegistry, 'get' | 'save' | 'findByIdempotencyKey'> = store;
        const deployment = buildDeployment({ tenant: 'acme', idempotency_key: `key-${uniqueSuffix()}` });

        await registry.save(deployment);

        expect(await registry.get(deployment.deployment_id)).toEqual(deployment);
        expect(await registry.findByIdempotencyKey?.(deployment.idempotency_key!, 'acme')).toEqual(deployment);
      });

      it('refuses an empty tenant id, which would mean "no tenant"', async () => {
        await expect(store.save(buildDeployment({ tenant: '' }))).rejects.toSatisfy(InvalidArgumentError.isInstance);
      });

      it('is visible from another connection once save() resolved', async () => {
        const other = await openHandle();
        const deployments = Array.from({ length: 20 }, () => buildDeployment());
        await Promise.all(deployments.map((deployment) => store.save(deployment)));

        const seen = await Promise.all(deployments.map((deployment) => other.get(deployment.deployment_id)));
        expect(seen).toEqual(deployments);
      });
    });

    describe('tenant isolation', () => {
      it('shows a deployment only to its own tenant', async () => {
        const tenant = `tenant-${uniqueSuffix()}`;
        const owned = buildDeployment({ tenant });
        const tenantless = buildDeployment({ tenant: null });
        await Promise.all([store.save(owned), store.save(tenantless)]);

        expect(await store.getForTenant(owned.deployment_id, tenant)).toEqual(owned);
        expect(await store.getForTenant(owned.deployment_id, `${tenant}-other`)).toBeUndefined();
        expect(await store.getForTenant(owned.deployment_id, null)).toBeUndefined();
        expect(await store.getForTenant(tenantless.deployment_id, null)).toEqual(tenantless);
        expect(await store.getForTenant(tenantless.deployment_id, tenant)).toBeUndefined();
      });

      it('scopes idempotency keys to the tenant', async () => {
        const key = `key-${uniqueSuffix()}`;
        const first = buildDeployment({ tenant: `a-${uniqueSuffix()}`, idempotency_key: key });
        const second = buildDeployment({ tenant: `b-${uniqueSuffix()}`, idempotency_key: key });
        const tenantless = buildDeployment({ tenant: null, idempotency_key: key });
        await Promise.all([store.save(first), store.save(second), store.save(tenantless)]);

        expect(await store.findByIdempotencyKey(key, first.tenant)).toEqual(first);
        expect(await store.findByIdempotencyKey(key, second.tenant)).toEqual(second);
        expect(await store.findByIdempotencyKey(key)).toEqual(tenantless);
        expect(await store.findByIdempotencyKey(key, `c-${uniqueSuffix()}`)).toBeUndefined();
      });

      it('returns the newest deployment recorded under a key', async () => {
        const tenant = `tenant-${uniqueSuffix()}`;
        const [earlier, later] = timestamps('2026-03-02T00:00:00.000Z', 2);
        const failed = buildDeployment({ tenant, idempotency_key: 'retry', status: 'failed', created_at: earlier! });
        const retried = buildDeployment({ tenant, idempotency_key: 'retry', created_at: later! });
        await Promise.all([store.save(retried), store.save(failed)]);

        expect(await store.findByIdempotencyKey('retry', tenant)).toEqual(retried);
      });
    });

    describe('findByProviderDeploymentId', () => {
      it('finds the deployment a provider placed under that id, and only at that provider', async () => {
        const providerDeploymentId = `dep-${uniqueSuffix()}`;
        const akash = buildDeployment({ provider: 'akash', provider_deployment_id: providerDeploymentId, status: 'running' });
        const ionet = buildDeployment({ provider: 'ionet', provider_deployment_id: `other-${providerDeploymentId}`, status: 'running' });
        await Promise.all([store.save(akash), store.save(ionet)]);

        expect(await store.findByProviderDeploymentId('akash', providerDeploymentId)).toEqual(akash);
        expect(await store.findByProviderDeploymentId('ionet', providerDeploymentId)).toBeUndefined();
        expect(await store.findByProviderDeploymentId('akash', `missing-${providerDeploymentId}`)).toBeUndefined();
      });

      it('finds terminal deployments too, and the newest when several share the id', async () => {
        const providerDeploymentId = `dep-${uniqueSuffix()}`;
        const [earlier, later] = timestamps('2026-03-05T00:00:00.000Z', 2);
        const ended = buildDeployment({ provider: 'akash', provider_deployment_id: providerDeploymentId, status: 'terminated', created_at: earlier! });
        const adopted = buildDeployment({ provider: 'akash', provider_deployment_id: providerDeploymentId, status: 'running', created_at: later! });
        await store.save(ended);
        expect(await store.findByProviderDeploymentId('akash', providerDeploymentId)).toEqual(ended);
        await store.save(adopted);
        expect(await store.findByProviderDeploymentId('akash', providerDeploymentId)).toEqual(adopted);
      });
    });

    describe('list', () => {
      it('pages newest first through every deployment exactly once, ties broken by id', async () => {
        const tenant = `tenant-${uniqueSuffix()}`;
        const times = timestamps('2026-04-01T00:00:00.000Z', 9);
        // Three deployments per timestamp: the cursor must split ties without losing any.
        const deployments = Array.from({ length: 27 }, (_, index) =>
          buildDeployment({ tenant, created_at: times[index % times.length]!, provider: index % 2 === 0 ? 'akash' : 'ionet' }),
        );
        await Promise.all(deployments.map((deployment) => store.save(deployment)));
        await store.save(buildDeployment({ tenant: `${tenant}-other` }));

        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page: Awaited<ReturnType<DeploymentStore['list']>> = await store.list({ tenant, limit: 4, cursor });
          expect(page.items.length).toBeLessThanOrEqual(4);
          seen.push(...page.items.map((item) => item.deployment_id));
          cursor = page.next_cursor;
          pages++;
        } while (cursor !== null);

        const expected = [...deployments]
          .sort((left, right) => compareText(right.created_at, left.created_at) || compareText(right.deployment_id, left.deployment_id))
          .map((deployment) => deployment.deployment_id);
        expect(seen).toEqual(expected);
        expect(pages).toBe(7);
      });

      it('filters by status and provider while paging', async () => {
        const tenant = `tenant-${uniqueSuffix()}`;
        const times = timestamps('2026-04-02T00:00:00.000Z', 12);
        const deployments = times.map((created_at, index) =>
          buildDeployment({
            tenant,
            created_at,
            status: (['running', 'failed', 'pending'] as const)[index % 3],
            provider: index < 6 ? 'akash' : 'ionet',
          }),
        );
        await Promise.all(deployments.map((deployment) => store.save(deployment)));

        const collected: Deployment[] = [];
        let cursor: string | null = null;
        do {
          const page: Awaited<ReturnType<DeploymentStore['list']>> = await store.list({
            tenant,
            status: ['running', 'pending'],
            provider: 'akash',
            limit: 1,
            cursor,
          });
          collected.push(...page.items);
          cursor = page.next_cursor;
        } while (cursor !== null);

        const expected = deployments
          .filter((deployment) => deployment.provider === 'akash' && deployment.status !== 'failed')
          .reverse();
        expect(collected).toEqual(expected);
        const single = await store.list({ tenant, status: 'failed', limit: 100 });
        expect(single.items.map((item) => item.status)).toEqual(['failed', 'failed', 'failed', 'failed']);
        expect(single.next_cursor).toBeNull();
      });

      it('lists deployments without a tenant when the tenant filter is null', async () => {
        const deployment = buildDeployment({ tenant: null, created_at: '2999-01-01T00:00:00.000Z' });
        await store.save(deployment);

        const page = await store.list({ tenant: null, limit: 1 });
        expect(page.items).toEqual([deployment]);
        expect(page.items.every((item) => item.tenant === null)).toBe(true);
      });

      it('rejects a bad limit or a forged cursor', async () => {
        await expect(store.list({ limit: 0 })).rejects.toSatisfy(InvalidArgumentError.isInstance);
        await expect(store.list({ limit: 1001 })).rejects.toSatisfy(InvalidArgumentError.isInstance);
        await expect(store.list({ limit: 10, cursor: 'not-a-cursor' })).rejects.toSatisfy(InvalidArgumentError.isInstance);
      });
    });

    describe('listLive', () => {
      it('returns every non-terminal deployment and drops one once it ends', async () => {
        const statuses = ['pending', 'provisioning', 'running', 'terminating', 'completed', 'failed', 'terminated'] as const;
        const deployments = statuses.map((status) => buildDeployment({ status }));
        await Promise.all(deployments.map((deployment) => store.save(deployment)));

        const live = new Set((await store.listLive()).map((deployment) => deployment.deployment_id));
        const ours = deployments.filter((deployment) => live.has(deployment.deployment_id)).map((deployment) => deployment.status);
        expect(ours).toEqual(['pending', 'provisioning', 'running', 'terminating']);

        const running = deployments[2]!;
        await store.save({ ...running, status: 'completed', ended_at: '2026-03-01T14:00:00.000Z' });
        const after = new Set((await store.listLive()).map((deployment) => deployment.deployment_id));
        expect(after.has(running.deployment_id)).toBe(false);
        expect(after.has(deployments[0]!.deployment_id)).toBe(true);
      });
    });

    describe('costs and spend', () => {
      it('adds concurrent costs atomically and returns each new total', async () => {
        const other = await openHandle();
        const deployment = buildDeployment({ status: 'running' });
        await store.save(deployment);

        // 0.25 is exact in binary floating point, so the total is exact too.
        const totals = await Promise.all(
          Array.from({ length: 100 }, (_, index) =>
            (index % 2 === 0 ? store : other).addCost(deployment.deployment_id, 0.25, '2026-03-01T12:10:00.000Z'),
          ),
        );

        expect((await store.get(deployment.deployment_id))?.cost_usd).toBe(25);
        expect([...totals].sort((left, right) => left - right)).toEqual(Array.from({ length: 100 }, (_, index) => (index + 1) * 0.25));
      });

      it('moves updated_at forward only', async () => {
        const deployment = buildDeployment({ status: 'running', updated_at: '2026-03-01T12:00:00.000Z' });
        await store.save(deployment);

        await store.addCost(deployment.deployment_id, 1, '2026-03-01T12:10:00.000Z');
        await store.addCost(deployment.deployment_id, 1, '2026-03-01T12:05:00.000Z');

        expect((await store.get(deployment.deployment_id))?.updated_at).toBe('2026-03-01T12:10:00.000Z');
      });

      it('rejects a negative amount and an unknown deployment', async () => {
        const deployment = buildDeployment();
        await store.save(deployment);

        await expect(store.addCost(deployment.deployment_id, -1, '2026-03-01T12:10:00.000Z')).rejects.toSatisfy(
          InvalidArgumentError.isInstance,
        );
        await expect(store.addCost(`dep-missing-${uniqueSuffix()}`, 1, '2026-03-01T12:10:00.000Z')).rejects.toSatisfy(
          NotFoundError.isInstance,
        );
      });

      it('sums spend per tenant and globally', async () => {
        const tenant = `tenant-${uniqueSuffix()}`;
        const globalBefore = await store.spend();
        const tenantlessBefore = await store.spend({ tenant: null });
        const first = buildDeployment({ tenant, status: 'running' });
        const second = buildDeployment({ tenant, status: 'running', cost_usd: 0.5 });
        const tenantless = buildDeployment({ tenant: null, status: 'running' });
        await Promise.all([store.save(first), store.save(second), store.save(tenantless)]);

        await Promise.all([
          store.addCost(first.deployment_id, 1.25, '2026-03-01T12:10:00.000Z'),
          store.addCost(second.deployment_id, 2, '2026-03-01T12:10:00.000Z'),
          store.addCost(tenantless.deployment_id, 4, '2026-03-01T12:10:00.000Z'),
        ]);
        // A stale save cannot lower a cost, so it must not change spend either.
        await store.save({ ...first, cost_usd: 0 });

        expect(await store.spend({ tenant })).toBe(3.75);
        expect(await store.spend({ tenant: `${tenant}-none` })).toBe(0);
        expect((await store.spend({ tenant: null })) - tenantlessBefore).toBeCloseTo(4, 9);
        expect((await store.spend()) - globalBefore).toBeCloseTo(7.75, 9);
      });
    });

    describe('spend by period', () => {
      it('sums spend from a UTC day on, across a day and a month boundary', async () => {
        const tenant = `tenant-${uniqueSuffix()}`;
        const tenantlessBefore = await store.spend({ tenant: null, since: '2031-03-01' });
        const globalBefore = await store.spend({ since: '2031-03-02' });
        const first = buildDeployment({ tenant, status: 'running', updated_at: '2031-02-28T20:00:00.000Z' });
        const second = buildDeployment({ tenant, status: 'running', updated_at: '2031-02-28T20:00:00.000Z' });
        const tenantless = buildDeployment({ tenant: null, status: 'running', updated_at: '2031-02-28T20:00:00.000Z' });
        await Promise.all([store.save(first), store.save(second), store.save(tenantless)]);

        await store.addCost(first.deployment_id, 1, '2031-02-28T23:59:59.999Z');
        await store.addCost(second.deployment_id, 2, '2031-03-01T00:00:00.000Z');
        await store.addCost(first.deployment_id, 4, '2031-03-01T12:00:00.000Z');
        await store.addCost(second.deployment_id, 8, '2031-03-02T00:00:00.000Z');
        await store.addCost(tenantless.deployment_id, 16, '2031-03-01T06:00:00.000Z');
        // Saved with a cost (a prepaid placement): counts on the day of its updated_at.
        await store.save(buildDeployment({ tenant, status: 'running', cost_usd: 32, updated_at: '2031-03-02T10:00:00.000Z' }));

        expect(await store.spend({ tenant, since: '2031-02-01' })).toBe(47);
        expect(await store.spend({ tenant, since: '2031-02-28' })).toBe(47);
        expect(await store.spend({ tenant, since: '2031-03-01' })).toBe(46);
        expect(await store.spend({ tenant, since: '2031-03-02' })).toBe(40);
        expect(await store.spend({ tenant, since: '2031-03-03' })).toBe(0);
        expect(await store.spend({ tenant })).toBe(47);
        expect((await store.spend({ tenant: null, since: '2031-03-01' })) - tenantlessBefore).toBe(16);
        expect((await store.spend({ since: '2031-03-02' })) - globalBefore).toBe(40);
      });

      it('splits the cost of a deployment running across midnight by when each increment was added', async () => {
        const tenant = `tenant-${uniqueSuffix()}`;
        const deployment = buildDeployment({ tenant, status: 'running', updated_at: '2031-05-10T22:00:00.000Z' });
        await store.save(deployment);

        await store.addCost(deployment.deployment_id, 1.5, '2031-05-10T23:00:00.000Z');
        await store.addCost(deployment.deployment_id, 0.25, '2031-05-10T23:59:30.000Z');
        await store.addCost(deployment.deployment_id, 0.5, '2031-05-11T00:00:30.000Z');
        // The router's final save brings the cost to 3 after midnight: the rest lands on the 11th.
        const terminated = { ...deployment, status: 'terminated' as const, cost_usd: 3, updated_at: '2031-05-11T01:00:00.000Z', ended_at: '2031-05-11T01:00:00.000Z' };
        await store.save(terminated);
        // A stale copy cannot lower the cost, so it moves no spend between days either.
        await store.save({ ...terminated, cost_usd: 1, updated_at: '2031-05-10T23:00:00.000Z' });

        expect(await store.spend({ tenant, since: '2031-05-10' })).toBe(3);
        expect(await store.spend({ tenant, since: '2031-05-11' })).toBe(1.25);
        expect(await store.spend({ tenant, since: '2031-05-12' })).toBe(0);
      });

      it('moves period spend with a deployment that changes tenant', async () => {
        const from = `tenant-${uniqueSuffix()}`;
        const to = `${from}-to`;
        const next = `${from}-next`;
        const deployment = buildDeployment({ tenant: from, status: 'running', updated_at: '2031-07-01T08:00:00.000Z' });
        await store.save(deployment);
        await store.addCost(deployment.deployment_id, 3, '2031-07-01T09:00:00.000Z');

        await harness.execute(`UPDATE deployments SET tenant = '${to}', updated_at = '2031-07-05T10:00:00.000Z' WHERE deployment_id = '${deployment.deployment_id}'`);

        expect(await store.spend({ tenant: from })).toBe(0);
        expect(await store.spend({ tenant: from, since: '2031-07-01' })).toBe(0);
        expect(await store.spend({ tenant: from, since: '2031-07-02' })).toBe(0);
        expect(await store.spend({ tenant: to })).toBe(3);
        expect(await store.spend({ tenant: to, since: '2031-07-05' })).toBe(3);
        expect(await store.spend({ tenant: to, since: '2031-07-06' })).toBe(0);

        // A move that also adds cost: the old tenant gives up what it had, the new one gets the total.
        await harness.execute(
          `UPDATE deployments SET tenant = '${next}', cost_usd = cost_usd + 1, updated_at = '2031-07-06T10:00:00.000Z' WHERE deployment_id = '${deployment.deployment_id}'`,
        );

        expect(await store.spend({ tenant: to })).toBe(0);
        expect(await store.spend({ tenant: to, since: '2031-07-01' })).toBe(0);
        expect(await store.spend({ tenant: to, since: '2031-07-06' })).toBe(0);
        expect(await store.spend({ tenant: next })).toBe(4);
        expect(await store.spend({ tenant: next, since: '2031-07-06' })).toBe(4);
      });

      it('refuses a since that is not a UTC day', async () => {
        for (const since of ['2031-7-1', '2031-02-30', '2031-07-01T00:00:00.000Z', '']) {
          await expect(store.spend({ since })).rejects.toSatisfy(InvalidArgumentError.isInstance);
        }
      });

      it('gives the lifetime figures when counting from before the first day', async () => {
        const tenant = `tenant-${uniqueSuffix()}`;
        const deployment = buildDeployment({ tenant, status: 'running' });
        await store.save(deployment);
        await store.addCost(deployment.deployment_id, 2.37, '2031-09-01T00:00:00.000Z');

        expect(await store.spend({ tenant, since: '1970-01-01' })).toBe(await store.spend({ tenant }));
        expect(await store.spend({ since: '1970-01-01' })).toBeCloseTo(await store.spend(), 9);
        expect(await store.spend({ tenant: null, since: '1970-01-01' })).toBeCloseTo(await store.spend({ tenant: null }), 9);
      });
    });

    describe('idempotency keys', () => {
      it('gives exactly one of 50 concurrent claims of one key the claim', async () => {
        const other = await openHandle();
        const options = { tenant: `tenant-${uniqueSuffix()}`, key: 'route-1', request_hash: 'hash-1', now: '2026-03-01T12:00:00.000Z' };

        const claims = await Promise.all(
          Array.from({ length: 50 }, (_, index) => (index % 2 === 0 ? store : other).claimIdempotencyKey(options)),
        );

        expect(claims.filter((claim) => claim.outcome === 'claimed')).toHaveLength(1);
        expect(claims.filter((claim) => claim.outcome === 'in_progress')).toHaveLength(49);
        expect(claims.find((claim) => claim.outcome === 'in_progress')).toEqual({ outcome: 'in_progress', request_hash: 'hash-1' });
      });

      it('replays the stored response once completed', async () => {
        const tenant = `tenant-${uniqueSuffix()}`;
        const body = { deployment_id: 'dep-abc', status: 'provisioning', cost: 1.5, nested: { list: [1, 'two', null] } };
        await store.claimIdempotencyKey({ tenant, key: 'k', request_hash: 'h1', now: '2026-03-01T12:00:00.000Z' });
        await store.completeIdempotencyKey({ tenant, key: 'k', response_status: 201, response_body: body });

        const replay = await store.claimIdempotencyKey({ tenant, key: 'k', request_hash: 'h2', now: '2026-03-01T12:01:00.000Z' });

        expect(replay).toEqual({ outcome: 'completed', request_hash: 'h1', response_status: 201, response_body: body });
      });

      it('keeps keys of different tenants apart', async () => {
        const key = `key-${uniqueSuffix()}`;
        const now = '2026-03-01T12:00:00.000Z';
        const claims = await Promise.all([
          store.claimIdempotencyKey({ tenant: 'alpha', key, request_hash: 'h', now }),
          store.claimIdempotencyKey({ tenant: 'beta', key, request_hash: 'h', now }),
          store.claimIdempotencyKey({ tenant: null, key, request_hash: 'h', now }),
        ]);
        expect(claims.map((claim) => claim.outcome)).toEqual(['claimed', 'claimed', 'claimed']);
      });

      it('lets a retry claim again after a release, but never releases a completed key', async () => {
        const tenant = `tenant-${uniqueSuffix()}`;
        const now = '2026-03-01T12:00:00.000Z';
        await store.claimIdempotencyKey({ tenant, key: 'a', request_hash: 'h', now });
        await store.releaseIdempotencyKey({ tenant, key: 'a' });
        expect(await store.claimIdempotencyKey({ tenant, key: 'a', request_hash: 'h', now })).toEqual({ outcome: 'claimed' });

        await store.completeIdempotencyKey({ tenant, key: 'a', response_status: 200, response_body: null });
        await store.releaseIdempotencyKey({ tenant, key: 'a' });
        expect(await store.claimIdempotencyKey({ tenant, key: 'a', request_hash: 'h', now })).toEqual({
          outcome: 'completed',
          request_hash: 'h',
          response_status: 200,
          response_body: null,
        });
      });

      it('purges keys older than the cut-off and keeps newer ones', async () => {
        const tenant = `tenant-${uniqueSuffix()}`;
        await store.claimIdempotencyKey({ tenant, key: 'old', request_hash: 'h', now: '2000-01-01T00:00:00.000Z' });
        await store.claimIdempotencyKey({ tenant, key: 'new', request_hash: 'h', now: '2000-01-03T00:00:00.000Z' });

        const purged = await store.purgeIdempotencyKeys('2000-01-02T00:00:00.000Z');

        expect(purged).toBe(1);
        expect(await store.claimIdempotencyKey({ tenant, key: 'old', request_hash: 'h2', now: '2000-01-03T00:00:00.000Z' })).toEqual({
          outcome: 'claimed',
        });
        expect(await store.claimIdempotencyKey({ tenant, key: 'new', request_hash: 'h2', now: '2000-01-03T00:00:00.000Z' })).toEqual({
          outcome: 'in_progress',
          request_hash: 'h',
        });
      });

      it('peeks at a key without claiming it', async () => {
        const tenant = `tenant-${uniqueSuffix()}`;
        expect(await store.peekIdempotencyKey({ tenant, key: 'p' })).toBeUndefined();
        expect(await store.claimIdempotencyKey({ tenant, key: 'p', request_hash: 'h', now: '2026-03-01T12:00:00.000Z' })).toEqual({ outcome: 'claimed' });
        expect(await store.peekIdempotencyKey({ tenant, key: 'p' })).toEqual({ outcome: 'in_progress', request_hash: 'h' });
        await store.completeIdempotencyKey({ tenant, key: 'p', response_status: 201, response_body: { id: 'dep-p' } });
        expect(await store.peekIdempotencyKey({ tenant, key: 'p' })).toEqual({
          outcome: 'completed',
          request_hash: 'h',
          response_status: 201,
          response_body: { id: 'dep-p' },
        });
      });

      it('claims a key together with an intent: of 20 concurrent attempts exactly one writes, and writes both', async () => {
        const tenant = `tenant-${uniqueSuffix()}`;
        const key = `key-${uniqueSuffix()}`;
        const intents = Array.from({ length: 20 }, () => buildDeployment({ tenant, idempotency_key: key }));
        const handles = [store, await openHandle()];

        const results = await Promise.all(
          intents.map((intent, index) =>
            handles[index % 2]!.saveIntentClaimingKey(intent, { tenant, key, request_hash: `h-${index}`, now: '2026-03-01T12:00:00.000Z' }),
          ),
        );

        const winners = results.flatMap((result, index) => (result.claimed ? [index] : []));
        expect(winners).toHaveLength(1);
        const saved = await Promise.all(intents.map((intent) => store.get(intent.deployment_id)));
        expect(saved.map((deployment, index) => (deployment ? index : -1)).filter((index) => index >= 0)).toEqual(winners);
        expect(await store.peekIdempotencyKey({ tenant, key })).toEqual({ outcome: 'in_progress', request_hash: `h-${winners[0]}` });
      });

      it('refuses to complete a key nobody claimed', async () => {
        await expect(
          store.completeIdempotencyKey({ tenant: null, key: `missing-${uniqueSuffix()}`, response_status: 200, response_body: {} }),
        ).rejects.toSatisfy(NotFoundError.isInstance);
      });
    });

    describe('saveRoute', () => {
      it('saves the deployment and its decision in one write, and completes the in-progress key', async () => {
        const tenant = `tenant-${uniqueSuffix()}`;
        const key = `key-${uniqueSuffix()}`;
        const decision = buildDecision();
        const request = buildRequest();
        const deployment = buildDeployment({ tenant, idempotency_key: key, decision_id: decision.decision_id, provider_deployment_id: 'p-1', status: 'provisioning' });
        await store.claimIdempotencyKey({ tenant, key, request_hash: 'h', now: '2026-03-01T12:00:00.000Z' });
        const response = { kind: 'compact', deployment_id: deployment.deployment_id };

        const saved = await store.saveRoute({
          deployment,
          decision,
          tenant,
          request,
          decision_json: JSON.stringify(decision),
          complete: { tenant, key, response_status: 201, response_body: response },
        });

        expect(saved).toEqual({ completed: true });
        expect(await store.get(deployment.deployment_id)).toEqual(deployment);
        expect(await store.getDecision(decision.decision_id)).toEqual({ decision, request, tenant, outcome: null });
        expect(await store.claimIdempotencyKey({ tenant, key, request_hash: 'h', now: '2026-03-01T12:01:00.000Z' })).toEqual({
          outcome: 'completed',
          request_hash: 'h',
          response_status: 201,
          response_body: response,
        });
      });

      it('leaves a key that nobody claimed, or that is completed already, as it is', async () => {
        const tenant = `tenant-${uniqueSuffix()}`;
        const unclaimed = await store.saveRoute({
          deployment: buildDeployment({ tenant }),
          decision: buildDecision(),
          tenant,
          request: buildRequest(),
          complete: { tenant, key: `never-${uniqueSuffix()}`, response_status: 201, response_body: {} },
        });
        expect(unclaimed).toEqual({ completed: false });

        const key = `key-${uniqueSuffix()}`;
        await store.claimIdempotencyKey({ tenant, key, request_hash: 'h', now: '2026-03-01T12:00:00.000Z' });
        await store.completeIdempotencyKey({ tenant, key, response_status: 201, response_body: { first: true } });
        const again = await store.saveRoute({
          deployment: buildDeployment({ tenant }),
          decision: buildDecision(),
          tenant,
          request: buildRequest(),
          complete: { tenant, key, response_status: 201, response_body: { second: true } },
        });
        expect(again).toEqual({ completed: false });
        expect(await store.claimIdempotencyKey({ tenant, key, request_hash: 'h', now: '2026-03-01T12:01:00.000Z' })).toMatchObject({
          outcome: 'completed',
          response_body: { first: true },
        });
      });

      it('writes all or nothing: a deployment the ledger refuses leaves no decision and the key in progress', async () => {
        const tenant = `tenant-${uniqueSuffix()}`;
        const key = `key-${uniqueSuffix()}`;
        const decision = buildDecision();
        const deployment = buildDeployment({ tenant, gpu_count: 0, decision_id: decision.decision_id });
        await store.claimIdempotencyKey({ tenant, key, request_hash: 'h', now: '2026-03-01T12:00:00.000Z' });

        await expect(
          store.saveRoute({ deployment, decision, tenant, request: buildRequest(), complete: { tenant, key, response_status: 201, response_body: {} } }),
        ).rejects.toSatisfy(LedgerError.isInstance);

        expect(await store.get(deployment.deployment_id)).toBeUndefined();
        expect(await store.getDecision(decision.decision_id)).toBeUndefined();
        expect(await store.claimIdempotencyKey({ tenant, key, request_hash: 'h', now: '2026-03-01T12:01:00.000Z' })).toEqual({
          outcome: 'in_progress',
          request_hash: 'h',
        });
      });
    });

    describe('decisions and outcomes', () => {
      it('joins an outcome to its decision, the latest observation winning', async () => {
        const decision = buildDecision();
        const request = buildRequest({ gpu_hours: 10 });
        await store.saveDecision(decision, { tenant: 'acme', request });
        expect(await store.getDecision(decision.decision_id)).toEqual({ decision, request, tenant: 'acme', outcome: null });

        const pending = buildOutcome(decision, { filled: false, failure_reason: 'no_capacity' });
        await store.saveOutcome(pending);
        const filled = buildOutcome(decision, { deployment_id: 'dep-x', cost_usd: 3.2, observed_at: '2026-03-01T13:00:00.000Z' });
        await store.saveOutcome(filled);

        expect(await store.getDecision(decision.decision_id)).toEqual({ decision, request, tenant: 'acme', outcome: filled });
        expect(await store.getDecision(`dec-missing-${uniqueSuffix()}`)).toBeUndefined();
      });

      it('claims each decision\'s first outcome and first bill for exactly one writer', async () => {
        const decision = buildDecision();
        await store.saveDecision(decision, { tenant: null, request: buildRequest() });
        const filled = buildOutcome(decision);
        const billed = buildOutcome(decision, { cost_usd: 3.2, gpu_hours_delivered: 2, observed_at: '2026-03-01T13:00:00.000Z' });

        expect(await store.saveOutcome(filled)).toEqual({ first: true, first_bill: false });
        expect(await store.saveOutcome(filled)).toEqual({ first: false, first_bill: false });
        // Concurrent writers of the bill, on separate handles: one claims it.
        const other = await openHandle();
        const claims = await Promise.all([store.saveOutcome(billed), other.saveOutcome(billed), store.saveOutcome(billed)]);
        expect(claims.filter((claim) => claim.first_bill)).toHaveLength(1);
        expect(claims.every((claim) => !claim.first)).toBe(true);
        expect((await store.getDecision(decision.decision_id))?.outcome).toEqual(billed);

        const direct = buildDecision();
        await store.saveDecision(direct, { tenant: null, request: buildRequest() });
        const endedAtOnce = buildOutcome(direct, { cost_usd: 1, gpu_hours_delivered: 1 });
        const first = await Promise.all([store.saveOutcome(endedAtOnce), other.saveOutcome(endedAtOnce)]);
        expect(first.filter((claim) => claim.first)).toEqual([{ first: true, first_bill: true }]);
      });

      it('updates a decision saved again with its deploy attempts', async () => {
        const decision = buildDecision();
        await store.saveDecision(decision, { tenant: null, request: buildRequest() });
        const attempted = {
          ...decision,
          attempts: [
            { attempt: 1, provider: 'akash', offer_id: 'offer-1', started_at: '2026-03-01T12:00:00.000Z', ended_at: '2026-03-01T12:00:01.000Z', result: 'deployed' as const },
          ],
        };
        await store.saveDecision(attempted, { tenant: null, request: buildRequest() });

        expect((await store.getDecision(decision.decision_id))?.decision).toEqual(attempted);
      });

      it('keeps the decision log record saved with a decision, also when a later save has none', async () => {
        const decision = buildDecision();
        const request = buildRequest();
        const log = createDecisionLogRecord({
          context: { decision_id: decision.decision_id, request, weights: decision.weights, now: Date.parse(decision.created_at), tenant: 'acme' },
          candidates: decision.candidates,
          choice: { index: 0, propensity: 0.95, scores: [1, 0], policy_id: 'rules', policy_version: '1', arm: 'rules' },
          probabilities: [0.95, 0.05],
        });
        await store.saveDecision(decision, { tenant: 'acme', request, log });
        expect((await store.getDecision(decision.decision_id))?.log).toEqual(log);

        await store.saveDecision({ ...decision, warnings: ['saved again'] }, { tenant: 'acme', request });
        const stored = await store.getDecision(decision.decision_id);
        expect(stored?.decision.warnings).toEqual(['saved again']);
        expect(stored?.log).toEqual(log);
        expect((await store.listDecisions({ since: decision.created_at, limit: 1000 })).items.find((item) => item.decision.decision_id === decision.decision_id)?.log).toEqual(log);

        const without = buildDecision();
        await store.saveDecision(without, { tenant: null, request });
        expect(await store.getDecision(without.decision_id)).not.toHaveProperty('log');
      });

      it('stores the offers of scored logs once and gives every record its candidates back', async () => {
        const request = buildRequest();
        const weights = normalizeWeights(undefined)!;
        const offers = createOffers(30, (index) => ({ provider: index % 2 === 0 ? 'akash' : 'vastai', provider_metadata: { host: `h-${index}` } }));
        const candidates = scoreOffers(offers, weights);
        const times = timestamps('2997-01-01T00:00:00.000Z', 3);
        const logged = times.map((created_at) => {
          const decision = buildDecision({ created_at });
          const context = { decision_id: decision.decision_id, request, weights, now: Date.parse(created_at) };
          const choice = { index: 2, propensity: 1, scores: [], policy_id: 'rules', policy_version: '1', arm: 'rules' as const };
          return {
            decision,
            shared: createDecisionLogRecord({ context, candidates, choice, shareCandidates: true }),
            expected: createDecisionLogRecord({ context, candidates, choice }),
          };
        });
        // Concurrent saves: each may insert the same offers; none may be lost.
        await Promise.all(logged.map(({ decision, shared }) => store.saveDecision(decision, { tenant: null, request, log: shared })));
        await store.saveDecision(buildDecision({ created_at: times[2] }), { tenant: null, request, log: logged[0]!.shared });

        expect((await store.getDecision(logged[1]!.decision.decision_id))?.log).toEqual(logged[1]!.expected);
        const page = await store.listDecisions({ since: times[0], limit: 2 });
        expect(page.items.map((item) => item.log)).toEqual([logged[0]!.expected, logged[1]!.expected]);
      });

      it('gives the newest decisions with an outcome, newest first, from `since`', async () => {
        // A time range no other test writes to.
        const times = timestamps('2996-01-01T00:00:00.000Z', 6);
        const decisions = times.map((created_at) => buildDecision({ created_at }));
        await Promise.all(decisions.map((decision) => store.saveDecision(decision, { tenant: null, request: buildRequest() })));
        for (const index of [0, 2, 3, 5]) await store.saveOutcome(buildOutcome(decisions[index]!));

        const latest = await store.latestDecisionsWithOutcome({ since: times[1]!, limit: 2 });
        expect(latest.map((record) => record.decision.decision_id)).toEqual([decisions[5]!.decision_id, decisions[3]!.decision_id]);
        expect(latest.every((record) => record.outcome !== null)).toBe(true);
        const all = await store.latestDecisionsWithOutcome({ since: times[1]!, limit: 100 });
        expect(all.map((record) => record.decision.decision_id)).toEqual([5, 3, 2].map((index) => decisions[index]!.decision_id));
        await expect(store.latestDecisionsWithOutcome({ since: times[0]!, limit: 0 })).rejects.toMatchObject({ code: 'AURORA_ERR_INVALID_ARGUMENT' });
      });

      it('exports decisions oldest first in pages, from `since`, with their outcomes', async () => {
        // A time range no other test writes to.
        const times = timestamps('2998-01-01T00:00:00.000Z', 7);
        const decisions = times.map((created_at) => buildDecision({ created_at }));
        await Promise.all(decisions.map((decision) => store.saveDecision(decision, { tenant: 'acme', request: buildRequest() })));
        await store.saveOutcome(buildOutcome(decisions[3]!));

        const exported: string[] = [];
        let withOutcome = 0;
        let cursor: string | null = null;
        do {
          const page: Awaited<ReturnType<DeploymentStore['listDecisions']>> = await store.listDecisions({ since: times[1], limit: 2, cursor });
          for (const record of page.items) {
            exported.push(record.decision.decision_id);
            if (record.outcome !== null) withOutcome++;
          }
          cursor = page.next_cursor;
        } while (cursor !== null);

        expect(exported).toEqual(decisions.slice(1).map((decision) => decision.decision_id));
        expect(withOutcome).toBe(1);
      });
    });

    describe('decision retention', () => {
      // Decisions of 1979 (no other test writes there) and offers of their own, by a store whose clock is set.
      let clock = Date.parse('1979-12-01T00:00:00.000Z');
      const weights = normalizeWeights(undefined)!;
      const request = buildRequest();
      const suffix = uniqueSuffix();
      const offers = createOffers(4, (index) => ({ offer_id: `retained-${suffix}-${index}`, provider: 'akash' }));

      async function saveLogged(handle: DeploymentStore, created_at: string, offerIndexes: number[]) {
        const decision = buildDecision({ created_at });
        const candidates = scoreOffers(offerIndexes.map((index) => offers[index]!), weights);
        const context = { decision_id: decision.decision_id, request, weights, now: Date.parse(created_at) };
        const choice = { index: 0, propensity: 1, scores: [], policy_id: 'rules', policy_version: '1', arm: 'rules' as const };
        await handle.saveDecision(decision, { tenant: null, request, log: createDecisionLogRecord({ context, candidates, choice, shareCandidates: true }) });
        return { decision, expected: createDecisionLogRecord({ context, candidates, choice }) };
      }

      it('deletes old decisions with their outcomes, then the offers no kept record refers to', async () => {
        const clocked = await openHandle({ now: () => new Date(clock) });
        const old = await saveLogged(clocked, '1979-12-01T00:00:00.000Z', [0, 1, 2]);
        await clocked.saveOutcome(buildOutcome(old.decision, { observed_at: '1979-12-01T01:00:00.000Z' }));
        clock = Date.parse('1979-12-20T00:00:00.000Z');
        // Offer 2 was written 19 days ago: referring to it again writes it again, so it is kept.
        const kept = await saveLogged(clocked, '1979-12-20T00:00:00.000Z', [2, 3]);

        const purged = await clocked.purgeDecisions({ olderThan: '1979-12-10T00:00:00.000Z', batchSize: 1 });

        expect(purged).toEqual({ decisions: 1, outcomes: 1, offers: 2 });
        expect(await store.getDecision(old.decision.decision_id)).toBeUndefined();
        expect((await store.getDecision(kept.decision.decision_id))?.log).toEqual(kept.expected);
        expect(await clocked.purgeDecisions({ olderThan: '1979-12-10T00:00:00.000Z' })).toEqual({ decisions: 0, outcomes: 0, offers: 0 });
      });

      it('stops after maxBatches and goes on at the next call', async () => {
        const clocked = await openHandle({ now: () => new Date(clock) });
        const first = await saveLogged(clocked, '1979-11-01T00:00:00.000Z', [0]);
        const second = await saveLogged(clocked, '1979-11-01T00:00:01.000Z', [0]);
        const purge = () => clocked.purgeDecisions({ olderThan: '1979-11-02T00:00:00.000Z', batchSize: 1, maxBatches: 1 });

        expect((await purge()).decisions).toBe(1);
        expect(await store.getDecision(first.decision.decision_id)).toBeUndefined();
        expect(await store.getDecision(second.decision.decision_id)).toBeDefined();
        expect((await purge()).decisions).toBe(1);
        expect(await store.getDecision(second.decision.decision_id)).toBeUndefined();
      });

      it('refuses a cutoff that is not an ISO-8601 UTC time, and a batch size below 1', async () => {
        await expect(store.purgeDecisions({ olderThan: 'last month' })).rejects.toMatchObject({
          code: 'AURORA_ERR_INVALID_ARGUMENT',
          details: { issues: [{ field: 'olderThan' }] },
        });
        await expect(store.purgeDecisions({ olderThan: '1979-01-01T00:00:00.000Z', batchSize: 0 })).rejects.toMatchObject({
          details: { issues: [{ field: 'batchSize' }] },
        });
      });
    });

    describe('policy state', () => {
      it('round-trips state and only stores newer versions', async () => {
        const policyId = `policy-${uniqueSuffix()}`;
        expect(await store.loadPolicyState(policyId)).toBeUndefined();

        expect(await store.savePolicyState(policyId, '{"weights":[1,2]}', 1)).toBe(true);
        expect(await store.loadPolicyState(policyId)).toMatchObject({ policy_id: policyId, state_json: '{"weights":[1,2]}', version: 1 });

        expect(await store.savePolicyState(policyId, '{"stale":true}', 1)).toBe(false);
        expect(await store.savePolicyState(policyId, '{"stale":true}', 0)).toBe(false);
        expect(await store.savePolicyState(policyId, '{"weights":[3]}', 2)).toBe(true);
        expect(await store.loadPolicyState(policyId)).toMatchObject({ state_json: '{"weights":[3]}', version: 2 });
      });
    });

    describe('leadership and lifecycle', () => {
      it('grants leadership to a lone store, repeatedly, and again after a release', async () => {
        const name = `loop-${uniqueSuffix()}`;
        expect(await store.tryAcquireLeadership(name)).toBe(true);
        expect(await store.tryAcquireLeadership(name)).toBe(true);
        await store.releaseLeadership(name);
        expect(await store.tryAcquireLeadership(name)).toBe(true);
        await store.releaseLeadership(name);
      });

      it('commits queued writes on close and refuses calls afterwards', async () => {
        const handle = await harness.open();
        const deployment = buildDeployment();
        const saved = handle.save(deployment);
        await handle.close();
        await saved;

        expect(await store.get(deployment.deployment_id)).toEqual(deployment);
        await expect(handle.get(deployment.deployment_id)).rejects.toSatisfy(LedgerError.isInstance);
      });
    });
  });
}

function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
