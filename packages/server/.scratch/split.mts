import { DatabaseSync } from 'node:sqlite';
import { sqliteMigrations } from '../src/ledger/sqlite-migrations.ts';
import { ledgerStatements } from '../src/ledger/ledger-sql.ts';
import { rmSync, mkdirSync } from 'node:fs';
rmSync('/tmp/split', { recursive: true, force: true }); mkdirSync('/tmp/split');
const variant = process.argv[2] ?? 'full';
const db = new DatabaseSync('/tmp/split/a.db');
db.exec('PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32768');
let schema = sqliteMigrations[0]!.sql;
if (variant === 'bare') schema = schema.replace(/CREATE TRIGGER[\s\S]*?END;/g, '').replace(/CREATE INDEX[^;]*;/g, '');
if (variant === 'notrig') schema = schema.replace(/CREATE TRIGGER[\s\S]*?END;/g, '');
db.exec(schema);
const st = db.prepare(ledgerStatements('sqlite').upsertDeployment.replace(/\$(\d+)/g, '?$1'));
const noop = db.prepare('SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20');
function params(i: number, status: string, now: string) { return [`dep-${i}`, 'akash', i % 3 ? null : 'x', 'o', status, null, 'a100', 1, 'us-west', 2, 0, null, `t-${i%20}`, `k-${i}`, `dec-${i}`, now, now, null, null, null]; }
const n = 40000, batch = 250;
let ins = 0, upd = 0, bind = 0;
for (let b = 0; b < n / batch; b++) {
  const now = new Date(Date.now() + b).toISOString();
  db.exec('BEGIN IMMEDIATE');
  let c = process.cpuUsage();
  for (let i = b * batch; i < (b + 1) * batch; i++) st.run(...params(i, 'pending', now) as any);
  let u = process.cpuUsage(c); ins += u.user + u.system;
  c = process.cpuUsage();
  for (let i = b * batch; i < (b + 1) * batch; i++) st.run(...params(i, 'provisioning', now) as any);
  u = process.cpuUsage(c); upd += u.user + u.system;
  c = process.cpuUsage();
  for (let i = b * batch; i < (b + 1) * batch; i++) noop.run(...params(i, 'provisioning', now) as any);
  u = process.cpuUsage(c); bind += u.user + u.system;
  db.exec('COMMIT');
}
console.log(variant, 'insert', (ins / n).toFixed(1), 'update', (upd / n).toFixed(1), 'bind-only', (bind / n).toFixed(1), 'us CPU');
