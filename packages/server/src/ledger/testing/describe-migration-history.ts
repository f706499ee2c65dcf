import { afterAll, describe, expect, it } from 'vitest';
import type { DeploymentStore } from '../deployment-store';
import type { Migration } from '../migration';
import { buildDeployment, uniqueSuffix } from './ledger-fixtures';

export type MigrationHistoryHarness = {
  name: string;
  /** The backend's own migrations. */
  migrations: readonly Migration[];
  /**
   * A new, empty database (a SQLite file, a PostgreSQL schema) and a way to open stores on it that
   * know only the migrations given. The suite closes the stores; the test file removes the databases.
   */
  newDatabase(): (migrations: readonly Migration[]) => DeploymentStore;
};

/** How a ledger that already holds data takes later migrations, run against each backend. */
export function describeMigrationHistory(harness: MigrationHistoryHarness): void {
  describe(`ledger migration history: ${harness.name}`, () => {
    const opened: DeploymentStore[] = [];
    afterAll(async () => {
      await Promise.all(opened.map((store) => store.close()));
    });

    function openOn(database: (migrations: readonly Migration[]) => DeploymentStore, migrations: readonly Migration[]): DeploymentStore {
      const store = database(migrations);
      opened.push(store);
      return store;
    }

    it('backfills daily spend with the cost of existing deployments, on the day each was last updated', async () => {
      const database = harness.newDatabase();
      const before = openOn(database, harness.migrations.filter((migration) => migration.version < 6));
      await before.migrate();
      const tenant = `tenant-${uniqueSuffix()}`;
      const early = buildDeployment({ tenant, status: 'running', updated_at: '2026-02-28T23:00:00.000Z' });
      await before.save(early);
      await before.addCost(early.deployment_id, 1.5, '2026-02-28T23:30:00.000Z');
      await before.save(buildDeployment({ tenant, status: 'completed', cost_usd: 2, updated_at: '2026-03-01T10:00:00.000Z' }));
      await before.save(buildDeployment({ tenant: null, status: 'completed', cost_usd: 4, updated_at: '2026-03-01T11:00:00.000Z' }));
      await before.save(buildDeployment({ tenant, status: 'pending', updated_at: '2026-03-02T00:00:00.000Z' }));

      const after = openOn(database, harness.migrations);
      await after.migrate();

      expect(await after.spend({ tenant, since: '2026-02-28' })).toBe(3.5);
      expect(await after.spend({ tenant, since: '2026-03-01' })).toBe(2);
      expect(await after.spend({ tenant: null, since: '2026-03-01' })).toBe(4);
      expect(await after.spend({ since: '2026-03-01' })).toBe(6);
      expect(await after.spend({ since: '2026-03-02' })).toBe(0);
      // And from then on the triggers keep the days.
      await after.addCost(early.deployment_id, 0.25, '2026-03-02T08:00:00.000Z');
      expect(await after.spend({ tenant, since: '2026-03-02' })).toBe(0.25);
      expect(await after.spend({ tenant })).toBe(3.75);
    });

    it('applies a version lower than one already applied (parallel branches land out of order)', async () => {
      const database = harness.newDatabase();
      const current = openOn(database, harness.migrations);
      await current.migrate();
      const lateArrival: Migration = { version: 0, name: 'arrives after higher versions', sql: 'CREATE TABLE late_arrival (id integer)' };

      const upgraded = openOn(database, [...harness.migrations, lateArrival]);
      await upgraded.migrate();

      const versions = (await upgraded.listAppliedMigrations()).map((migration) => migration.version);
      expect(versions).toEqual([0, ...harness.migrations.map((migration) => migration.version)]);
    });
  });
}
