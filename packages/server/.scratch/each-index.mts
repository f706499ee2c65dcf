import { DatabaseSync } from 'node:sqlite';
import { sqliteMigrations } from '../src/ledger/sqlite-migrations.ts';
import { ledgerStatements } from '../src/ledger/ledger-sql.ts';
const full = sqliteMigrations[0]!.sql;
const triggers = full.match(/CREATE TRIGGER[\s\S]*?END;/g)!;
const indexes = full.match(/CREATE INDEX[^;]*;/g)!;
const bare = full.replace(/CREATE TRIGGER[\s\S]*?END;/g, '').replace(/CREATE INDEX[^;]*;/g, '');
function params(i: number, status: string, now: string) { return [`dep-${i}`, 'akash', null, 'o', status, null, 'a100', 1, 'us-west', 2, 0, null, `t-${i%20}`, `k-${i}`, `dec-${i}`, now, now, null, null, null]; }
function run(label: string, extra: string) {
  const db = new DatabaseSync(':memory:');
  db.exec(bare + extra);
  const st = db.prepare(ledgerStatements('sqlite').upsertDeployment.replace(/\$(\d+)/g, '?$1'));
  const now = new Date().toISOString();
  db.exec('BEGIN');
  const t = performance.now();
  for (let i = 0; i < 20000; i++) st.run(...params(i, 'pending', now) as any);
  const ms = performance.now() - t;
  db.exec('COMMIT');
  console.log(label.slice(0, 60).replace(/\s+/g, ' ').padEnd(60), (ms / 20).toFixed(1), 'us/insert');
}
run('bare', '');
run('bare', '');
for (const index of indexes) run(index, index);
run('all triggers', triggers.join('\n'));
run('all indexes', indexes.join('\n'));
