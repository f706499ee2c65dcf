import pg from 'pg';
import { advisoryLockKey, leadershipLockNamespace } from './advisory-lock-key';

export type PostgresLeadershipOptions = {
  clientConfig: pg.ClientConfig;
  /** Names are scoped by schema: two ledgers in one database elect their leaders separately. */
  schema: string;
  onBackgroundError?: (error: unknown) => void;
};

/**
 * Leadership through session-level advisory locks on ONE dedicated connection, held for the
 * store's life. PostgreSQL releases them when that session ends, so a replica that dies or loses
 * its connection loses leadership and another replica's next `tryAcquire` wins.
 */
export class PostgresLeadership {
  private readonly clientConfig: pg.ClientConfig;
  private readonly schema: string;
  private readonly onBackgroundError?: (error: unknown) => void;
  private client: pg.Client | undefined;
  private readonly held = new Set<string>();
  // Session locks are re-entrant, so acquiring twice would need two releases: one call at a time.
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor({ clientConfig, schema, onBackgroundError }: PostgresLeadershipOptions) {
    this.clientConfig = clientConfig;
    this.schema = schema;
    this.onBackgroundError = onBackgroundError;
  }

  tryAcquire(name: string): Promise<boolean> {
    return this.serialize(async () => {
      if (this.closed) return false;
      const key = advisoryLockKey(`${this.schema}:${name}`);
      if (this.held.has(name)) {
        if (await this.stillHolds(key)) return true;
        this.held.delete(name);
      }
      const client = await this.connection();
      let acquired: boolean;
      try {
        const { rows } = await client.query<{ acquired: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS acquired', [
          leadershipLockNamespace,
          key,
        ]);
        acquired = rows[0]?.acquired === true;
      } catch (error) {
        this.drop(client);
        throw error;
      }
      if (acquired) this.held.add(name);
      return acquired;
    });
  }

  release(name: string): Promise<void> {
    return this.serialize(async () => {
      if (!this.held.delete(name) || this.client === undefined) return;
      await this.client.query('SELECT pg_advisory_unlock($1, $2)', [leadershipLockNamespace, advisoryLockKey(`${this.schema}:${name}`)]);
    });
  }

  close(): Promise<void> {
    return this.serialize(async () => {
      this.closed = true;
      this.held.clear();
      const client = this.client;
      this.client = undefined;
      await client?.end();
    });
  }

  /** Asks the server whether this session still holds the lock; a dead connection answers no. */
  private async stillHolds(key: number): Promise<boolean> {
    const client = this.client;
    if (client === undefined) return false;
    try {
      const { rows } = await client.query<{ holds: boolean }>(
        "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() " +
          'AND classid = $1::bigint::oid AND objid = $2::bigint::oid AND objsubid = 2 AND granted) AS holds',
        [leadershipLockNamespace >>> 0, key >>> 0],
      );
      return rows[0]?.holds === true;
    } catch (error) {
      this.onBackgroundError?.(error);
      this.drop(client);
      return false;
    }
  }

  private async connection(): Promise<pg.Client> {
    if (this.client !== undefined) return this.client;
    const client = new pg.Client({ ...this.clientConfig, application_name: 'aurora-leadership' });
    client.on('error', (error) => {
      this.onBackgroundError?.(error);
      this.drop(client);
    });
    client.on('end', () => this.drop(client));
    try {
      await client.connect();
    } catch (error) {
      client.end().catch(() => {});
      throw error;
    }
    this.client = client;
    return client;
  }

  /** The session is gone or unusable: every lock it held is gone with it. */
  private drop(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.held.clear();
    client.end().catch(() => {});
  }

  private serialize<T>(run: () => Promise<T>): Promise<T> {
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => {});
    return result;
  }
}
