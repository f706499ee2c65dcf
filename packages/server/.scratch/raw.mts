import { DatabaseSync } from 'node:sqlite';
import { sqliteMigrations } from '../src/ledger/sqlite-migrations.ts';
import { ledgerStatements } from '../src/ledger/ledger-sql.ts';
import { rmSync } from 'node:fs';
rmSync('/tmp/raw.db', { force: true }); rmSync('/tmp/raw.db-wal', { force: true });
const db = new DatabaseSync('/tmp/raw.db');
db.exec('PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL');
db.exec(sqliteMigrations[0]!.sql);
const sql = ledgerStatements('sqlite').upsertDeployment.replace(/\$(\d+)/g, '?$1');
const st = db.prepare(sql);
const simple = db.prepare('INSERT INTO deployments (deployment_id, provider, provider_deployment_id, offer_id, status, provider_status, gpu_type, gpu_count, region, price_usd_per_hour, cost_usd, endpoint, tenant, idempotency_key, decision_id, created_at, updated_at, started_at, ended_at, error) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20)');
function params(i: number, status: string, now: string) { return [`dep-${i}`, 'akash', null, 'o', status, null, 'a100', 1, 'us-west', 2, 0, null, `t-${i%20}`, `k-${i}`, `dec-${i}`, now, now, null, null, null]; }
for (const [label, stmt] of [['upsert', st]] as const) {
  const t = performance.now();
  db.exec('BEGIN');
  for (let i = 0; i < 20000; i++) { const now = new Date().toISOString(); stmt.run(...params(i, 'pending', now) as any); }
  for (let i = 0; i < 20000; i++) { const now = new Date().toISOString(); stmt.run(...params(i, 'provisioning', now) as any); }
  db.exec('COMMIT');
  console.log(label, (performance.now() - t).toFixed(0), 'ms for 40k');
}
