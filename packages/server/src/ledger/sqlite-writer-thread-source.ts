/**
 * The body of the SQLite writer thread (see `SqliteWriterThread`), as plain CommonJS source for
 * `new Worker(source, { eval: true })`: it needs no module resolution and no TypeScript loader, so
 * it runs the same from the sources, from the build and under the test runner.
 *
 * The thread owns the ledger's write connection. Each `batch` message runs its writes in ONE
 * `BEGIN IMMEDIATE ... COMMIT`: a write that throws is undone alone (statement atomicity, or its
 * savepoint when it has several statements) and reported as failed, the others commit; when the
 * transaction itself is lost or COMMIT fails, every write of the batch fails. The answer is posted
 * only after COMMIT returned, so a write reported done is committed.
 *
 * Automatic checkpoints are off on this connection: a PASSIVE checkpoint runs after a batch has been
 * answered, at most every `checkpointIntervalMs`, so its cost delays no write that is waiting.
 */
export const sqliteWriterThreadSource = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');

const database = new DatabaseSync(workerData.path);
for (const pragma of workerData.pragmas) database.exec(pragma);
database.exec('PRAGMA wal_autocheckpoint = 0');
const control = {
  begin: database.prepare('BEGIN IMMEDIATE'),
  commit: database.prepare('COMMIT'),
  rollback: database.prepare('ROLLBACK'),
  savepoint: database.prepare('SAVEPOINT aurora_write'),
  release: database.prepare('RELEASE aurora_write'),
  rollbackToSavepoint: database.prepare('ROLLBACK TO aurora_write'),
};
const checkpoint = database.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const statements = new Map();
let lastCheckpoint = Date.now();
let writtenSinceCheckpoint = false;

function describeError(error) {
  const record = error !== null && typeof error === 'object' ? error : {};
  return {
    message: typeof record.message === 'string' ? record.message : String(error),
    code: typeof record.code === 'string' ? record.code : undefined,
    errcode: typeof record.errcode === 'number' ? record.errcode : undefined,
    errstr: typeof record.errstr === 'string' ? record.errstr : undefined,
  };
}

function statementFor(id) {
  let prepared = statements.get(id);
  if (prepared === undefined) throw new Error('unknown statement ' + id);
  if (prepared.statement === undefined) {
    const statement = database.prepare(prepared.sql);
    prepared = { sql: prepared.sql, statement, returnsRows: statement.columns().length > 0 };
    statements.set(id, prepared);
  }
  return prepared;
}

function runStatement(id, parameters) {
  const prepared = statementFor(id);
  if (prepared.returnsRows) {
    const rows = prepared.statement.all(...parameters);
    return { rows, changes: rows.length };
  }
  return { rows: [], changes: Number(prepared.statement.run(...parameters).changes) };
}

// A write is [[statementId, parameters], ...]; one statement is atomic by itself, several share a savepoint.
function runWrite(write) {
  if (write.length === 1) {
    try {
      return { ok: true, value: [runStatement(write[0][0], write[0][1])] };
    } catch (error) {
      return { ok: false, error: describeError(error) };
    }
  }
  control.savepoint.run();
  try {
    const value = write.map(([id, parameters]) => runStatement(id, parameters));
    control.release.run();
    return { ok: true, value };
  } catch (error) {
    if (database.isTransaction) {
      control.rollbackToSavepoint.run();
      control.release.run();
    }
    return { ok: false, error: describeError(error) };
  }
}

function runBatch(message) {
  for (const [id, sql] of message.define) statements.set(id, { sql, statement: undefined, returnsRows: false });
  try {
    control.begin.run();
  } catch (error) {
    return { id: message.id, error: describeError(error) };
  }
  const results = new Array(message.writes.length);
  let failed = 0;
  for (let index = 0; index < message.writes.length; index++) {
    const result = runWrite(message.writes[index]);
    results[index] = result;
    if (result.ok) continue;
    failed++;
    // SQLite abandoned the whole transaction (disk full, I/O error): nothing committed.
    if (!database.isTransaction) return { id: message.id, error: result.error };
  }
  try {
    control.commit.run();
  } catch (error) {
    if (database.isTransaction) control.rollback.run();
    return { id: message.id, error: describeError(error) };
  }
  writtenSinceCheckpoint = true;
  return { id: message.id, results, failed };
}

function checkpointIfDue() {
  if (!writtenSinceCheckpoint || Date.now() - lastCheckpoint < workerData.checkpointIntervalMs) return;
  try {
    checkpoint.get();
  } catch {
    // A failed checkpoint loses nothing: the WAL keeps the frames and the next one copies them.
  }
  lastCheckpoint = Date.now();
  writtenSinceCheckpoint = false;
}

parentPort.on('message', (message) => {
  if (message.type === 'batch') {
    parentPort.postMessage({ type: 'batch', ...runBatch(message) });
    checkpointIfDue();
    return;
  }
  if (message.type === 'close') {
    let error;
    try {
      if (writtenSinceCheckpoint) checkpoint.get();
      database.close();
    } catch (caught) {
      error = describeError(caught);
    }
    parentPort.postMessage({ type: 'closed', error });
    parentPort.close();
  }
});
parentPort.postMessage({ type: 'ready' });
`;
