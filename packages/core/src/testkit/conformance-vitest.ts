/**
 * The part of the vitest module the conformance kit uses, typed structurally so that the core
 * never imports (or depends on) vitest: the caller passes its own copy, `import * as vitest from
 * 'vitest'`. Any runner with the same shape (describe / it / expect) works.
 */
export type ConformanceVitest = {
  describe: (name: string, body: () => void) => unknown;
  it: (name: string, body: () => Promise<void>, timeoutMs?: number) => unknown;
  expect: (actual: unknown, message?: string) => ConformanceMatchers;
  beforeAll?: (hook: () => Promise<void> | void, timeoutMs?: number) => unknown;
  afterAll?: (hook: () => Promise<void> | void, timeoutMs?: number) => unknown;
};

/** The matchers the kit calls. */
export type ConformanceMatchers = {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toBeGreaterThan(expected: number): void;
  toMatch(expected: RegExp | string): void;
  toContain(expected: unknown): void;
  not: Omit<ConformanceMatchers, 'not'>;
};
