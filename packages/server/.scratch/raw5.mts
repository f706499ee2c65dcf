import { DatabaseSync } from 'node:sqlite';
import { sqliteMigrations } from '../src/ledger/sqlite-migrations.ts';
import { deploymentColumns } from '../src/ledger/deployment-columns.ts';
const cols = deploymentColumns.join(', ');
const vals = deploymentColumns.map((_, i) => `?${i + 1}`).join(', ');
const updatable = deploymentColumns.filter((c) => c !== 'deployment_id' && c !== 'created_at' && c !== 'cost_usd');
const T = "('completed', 'failed', 'terminated')";
const stale = `deployments.status IN ${T} AND excluded.status NOT IN ${T}`;
const variants: Record<string, string> = {
  plain: `INSERT INTO deployments (${cols}) VALUES (${vals}) ON CONFLICT (deployment_id) DO UPDATE SET ${updatable.map((c) => `${c} = excluded.${c}`).join(', ')}, cost_usd = max(deployments.cost_usd, excluded.cost_usd)`,
  case: `INSERT INTO deployments (${cols}) VALUES (${vals}) ON CONFLICT (deployment_id) DO UPDATE SET ${updatable.map((c) => `${c} = CASE WHEN ${stale} THEN deployments.${c} ELSE excluded.${c} END`).join(', ')}, cost_usd = max(deployments.cost_usd, excluded.cost_usd)`,
  where: `INSERT INTO deployments (${cols}) VALUES (${vals}) ON CONFLICT (deployment_id) DO UPDATE SET ${updatable.map((c) => `${c} = excluded.${c}`).join(', ')}, cost_usd = max(deployments.cost_usd, excluded.cost_usd) WHERE NOT (${stale})`,
  replace: `INSERT OR REPLACE INTO deployments (${cols}) VALUES (${vals})`,
};
function params(i: number, status: string, now: string) { return [`dep-${i}`, 'akash', null, 'o', status, null, 'a100', 1, 'us-west', 2, 0, null, `t-${i%20}`, `k-${i}`, `dec-${i}`, now, now, null, null, null]; }
const n = Number(process.argv[2] ?? 10000);
for (const strip of [true, false]) for (const [name, sql] of Object.entries(variants)) {
  const db = new DatabaseSync(':memory:');
  let schema = sqliteMigrations[0]!.sql;
  if (strip) schema = schema.replace(/CREATE TRIGGER[\s\S]*?END;/g, '').replace(/CREATE INDEX[^;]*;/g, '');
  db.exec(schema);
  const st = db.prepare(sql);
  const t = performance.now();
  db.exec('BEGIN');
  for (let i = 0; i < n; i++) st.run(...params(i, 'pending', '2026') as any);
  const t1 = performance.now();
  for (let i = 0; i < n; i++) st.run(...params(i, 'provisioning', '2026') as any);
  db.exec('COMMIT');
  console.log(strip ? 'bare ' : 'full ', name.padEnd(8), 'insert', (t1 - t).toFixed(0), 'update', (performance.now() - t1).toFixed(0));
}
