/** One schema change. Versions are applied in order, each exactly once, recorded in `schema_migrations`. */
export type Migration = {
  version: number;
  name: string;
  /** Statements run inside one transaction. */
  sql: string;
};
