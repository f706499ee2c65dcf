import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '@aurora/router';
import { afterAll, describe, expect, it } from 'vitest';
import { createStoreFromEnvironment } from './create-store-from-environment';

const directory = mkdtempSync(join(tmpdir(), 'aurora-ledger-environment-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('createStoreFromEnvironment', () => {
  it('uses SQLite at the given path when no database URL is set', async () => {
    for (const databaseUrl of [undefined, '', '  ']) {
      const store = createStoreFromEnvironment({ databaseUrl, sqlitePath: join(directory, 'aurora.db') });
      expect(store.dialect).toBe('sqlite');
      await store.close();
    }
  });

  it('uses PostgreSQL for a postgres URL, without connecting until asked', async () => {
    for (const databaseUrl of ['postgres://nobody@127.0.0.1:1/none', 'postgresql://nobody@127.0.0.1:1/none']) {
      const store = createStoreFromEnvironment({ databaseUrl, sqlitePath: join(directory, 'unused.db') });
      expect(store.dialect).toBe('postgres');
      await store.close();
    }
  });

  it('refuses any other URL without echoing it', () => {
    let thrown: unknown;
    try {
      createStoreFromEnvironment({ databaseUrl: 'mysql://root:secret@db/aurora', sqlitePath: join(directory, 'unused.db') });
    } catch (error) {
      thrown = error;
    }
    expect(ConfigurationError.isInstance(thrown)).toBe(true);
    expect((thrown as Error).message).not.toContain('secret');
  });
});
