import { DatabaseSync } from 'node:sqlite';
import { sqliteMigrations } from '../src/ledger/sqlite-migrations.ts';
import { ledgerStatements } from '../src/ledger/ledger-sql.ts';
import { rmSync, mkdirSync } from 'node:fs';
const mode = process.argv[2] ?? 'NORMAL';
const strip = process.argv[3] === 'strip';
rmSync('/tmp/cc', { recursive: true, force: true }); mkdirSync('/tmp/cc');
const db = new DatabaseSync('/tmp/cc/a.db');
db.exec(`PRAGMA journal_mode=WAL; PRAGMA synchronous=${mode}`); if (process.argv[4]) db.exec(process.argv[4]);
let schema = sqliteMigrations[0]!.sql;
if (strip) schema = schema.replace(/CREATE TRIGGER[\s\S]*?END;/g, '').replace(/CREATE INDEX[^;]*;/g, '');
db.exec(schema);
const st = db.prepare(ledgerStatements('sqlite').upsertDeployment.replace(/\$(\d+)/g, '?$1'));
const begin = db.prepare('BEGIN IMMEDIATE'), commit = db.prepare('COMMIT');
function params(i: number, status: string, now: string) { return [`dep-${i}`, 'akash', null, 'o', status, null, 'a100', 1, 'us-west', 2, 0, null, `t-${i%20}`, `k-${i}`, `dec-${i}`, now, now, null, null, null]; }
let tStmt = 0, tCommit = 0; const batch = 250; const n = 20000;
for (let b = 0; b < n / batch; b++) {
  const now = new Date().toISOString();
  begin.run();
  let t = performance.now();
  for (let i = b * batch; i < (b + 1) * batch; i++) st.run(...params(i, 'pending', now) as any);
  tStmt += performance.now() - t;
  t = performance.now(); commit.run(); tCommit += performance.now() - t;
}
console.log(mode, strip ? 'bare' : 'full', 'stmts', tStmt.toFixed(0), 'ms; commits', tCommit.toFixed(0), 'ms for', n, 'inserts');
