import { DatabaseSync } from 'node:sqlite';
import { sqliteMigrations } from '../src/ledger/sqlite-migrations.ts';
import { ledgerStatements } from '../src/ledger/ledger-sql.ts';
function params(i: number, status: string, now: string) { return [`dep-${i}`, 'akash', null, 'o', status, null, 'a100', 1, 'us-west', 2, 0, null, `t-${i%20}`, `k-${i}`, `dec-${i}`, now, now, null, null, null]; }
const variants: Record<string, (sql: string) => string> = {
  full: (s) => s,
  noTriggers: (s) => s.replace(/CREATE TRIGGER[\s\S]*?END;/g, ''),
  noIndexes: (s) => s.replace(/CREATE INDEX[^;]*;/g, ''),
  none: (s) => s.replace(/CREATE TRIGGER[\s\S]*?END;/g, '').replace(/CREATE INDEX[^;]*;/g, ''),
};
const n = Number(process.argv[2] ?? 5000);
for (const [name, transform] of Object.entries(variants)) {
  const db = new DatabaseSync(':memory:');
  db.exec(transform(sqliteMigrations[0]!.sql));
  const st = db.prepare(ledgerStatements('sqlite').upsertDeployment.replace(/\$(\d+)/g, '?$1'));
  const t = performance.now();
  db.exec('BEGIN');
  for (let i = 0; i < n; i++) st.run(...params(i, 'pending', '2026') as any);
  const t1 = performance.now();
  for (let i = 0; i < n; i++) st.run(...params(i, 'provisioning', '2026') as any);
  db.exec('COMMIT');
  console.log(name, 'insert', (t1 - t).toFixed(0), 'update', (performance.now() - t1).toFixed(0));
}
