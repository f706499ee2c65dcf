import type { SqlValue } from './deployment-columns';
import type { Dialect } from './ledger-sql';
import type { Row } from './ledger-rows';
import type { Migration } from './migration';

export type WriteResult = { rows: Row[]; changes: number };

/**
 * What the shared ledger logic needs from a database driver. Statements use `$n` placeholders.
 * A resolved write is committed.
 */
export interface LedgerConnection {
  readonly dialect: Dialect;
  read(statement: string, values: readonly SqlValue[], options?: { prepared?: boolean }): Promise<Row[]>;
  write(statement: string, values: readonly SqlValue[]): Promise<WriteResult>;
  /** Several statements as one write: all commit or none does (one transaction, or a savepoint inside a group commit). */
  writeAtomically(statements: ReadonlyArray<{ statement: string; values: readonly SqlValue[] }>): Promise<WriteResult[]>;
  /** Applies the migrations not yet recorded, each once, serialised against other processes. */
  migrate(migrations: readonly Migration[]): Promise<void>;
  tryAcquireLeadership(name: string): Promise<boolean>;
  releaseLeadership(name: string): Promise<void>;
  close(): Promise<void>;
}
