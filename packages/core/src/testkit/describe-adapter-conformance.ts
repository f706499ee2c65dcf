import type { ListedDeploymentV1, ProviderAdapter } from '../adapter/provider-adapter-v1';
import { AdapterCallError } from '../errors/adapter-call-error';
import { AuroraError } from '../errors/aurora-error';
import { ConfigurationError } from '../errors/configuration-error';
import { InvalidResponseDataError } from '../errors/invalid-response-data-error';
import { NotFoundError } from '../errors/not-found-error';
import { deploymentStatuses, deploymentStatusReportSchema, isTerminalStatus, type DeploymentStatus } from '../schemas/deployment';
import { logLineSchema } from '../schemas/log-line';
import { offerSchema, type Offer } from '../schemas/offer';
import { parseOrThrow } from '../schemas/parse';
import { routingRequestSchema, type RoutingRequest, type RoutingRequestInput } from '../schemas/routing-request';
import { describeFault, type AdapterFault } from './adapter-fault';
import { withConformanceAdapter, type ConformanceProbe, type CreateConformanceAdapter } from './conformance-probe';
import type { ConformanceVitest } from './conformance-vitest';

/**
 * Capabilities an adapter may declare it lacks. Each skip must be documented by the adapter and is
 * printed in the suite title; the skipped checks are replaced by a weaker one, never silently dropped.
 * - `logs`: the provider exposes no logs (getLogs must then yield nothing or fail typed).
 * - `credentials`: the provider needs no API key (the lazy-key checks do not apply).
 */
export type AdapterConformanceCapability = 'logs' | 'credentials';

const knownCapabilities: readonly AdapterConformanceCapability[] = ['logs', 'credentials'];

export type AdapterConformanceTimeouts = {
  /** Per test. Default 20 000 ms. */
  testMs?: number;
  /** Wait between two `getStatus` polls. Default 25 ms. */
  statusPollIntervalMs?: number;
  /** Most `getStatus` polls before a deployment must be running. Default 40. */
  statusPollAttempts?: number;
  /** Delay of the `slow` fault; an adapter that ignores an abort resolves after it and fails. Default 10 000 ms. */
  slowResponseMs?: number;
  /** When the cancellation checks abort their signal. Default 25 ms. */
  abortAfterMs?: number;
  /** How long the kit waits after construction before checking no provider call was made. Default 20 ms. */
  settleMs?: number;
};

export type AdapterConformanceOptions = {
  /** For the suite title; defaults to the adapter's name as the kit cannot know it before creating one. */
  name?: string;
  /** Builds a fresh adapter for each check; see `AdapterConformanceContext`. */
  createAdapter: CreateConformanceAdapter;
  /** A request the (fake) provider can serve. Default: one A100, anywhere, LLM inference. */
  request?: RoutingRequestInput;
  /** A well-formed id of a deployment the provider does not know. Default `conformance-unknown-deployment`. */
  unknownDeploymentId?: string;
  /** Runs once before the suite (start a shared fake server), and `teardown` once after it. */
  setup?: () => unknown;
  teardown?: () => unknown;
  timeouts?: AdapterConformanceTimeouts;
  /** Capabilities the adapter documents it lacks; listed in the suite title. */
  skip?: readonly AdapterConformanceCapability[];
};

/** The key handed to `createAdapter`; the kit checks that no error ever carries it. */
export const conformanceApiKey = 'aurora-conformance-secret-7d1f4c2a';

const defaultRequest: RoutingRequestInput = { workload_type: 'llm_inference', gpu_type: 'a100', gpu_count: 1, region: 'global' };
const adapterNamePattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const retryableStatuses: ReadonlyArray<{ status: number; retryAfterSeconds?: number }> = [
  { status: 429 },
  { status: 429, retryAfterSeconds: 7 },
  { status: 500 },
  { status: 502 },
  { status: 503 },
  { status: 503, retryAfterSeconds: 3 },
];
const finalStatuses: readonly number[] = [400, 401, 403];
const maximumLogLines = 1_000;

type Timeouts = Required<AdapterConformanceTimeouts>;
type Expect = ConformanceVitest['expect'];

/**
 * Registers the conformance suite for one adapter: the whole `ProviderAdapterV1` contract (spec
 * version and name, no side effects at construction, lazy credentials, offers that parse and fit
 * the request, deploy -> running, logs, idempotent terminate, HTTP faults -> typed errors with the
 * right retryability and Retry-After, cancellation, malformed answers, health). Every error the
 * adapter throws must pass `AuroraError.isInstance`.
 *
 * ```ts
 * import * as vitest from 'vitest';
 * describeAdapterConformance(vitest, { createAdapter: ({ fault, apiKey, recordProviderCall, onCleanup }) => ... });
 * ```
 */
export function describeAdapterConformance(vitest: ConformanceVitest, options: AdapterConformanceOptions): void {
  const { describe, it, expect } = vitest;
  const skipped = validateSkip(options.skip);
  const timeouts = resolveTimeouts(options.timeouts);
  const request = parseOrThrow(routingRequestSchema, options.request ?? defaultRequest, 'conformance request');
  const unknownId = options.unknownDeploymentId ?? 'conformance-unknown-deployment';
  const testMs = timeouts.testMs;
  const cancellationTestMs = timeouts.testMs + timeouts.slowResponseMs;
  const supportsLogs = !skipped.has('logs');

  const run = <T>(setting: { fault?: AdapterFault; apiKey?: string | undefined }, body: (probe: ConformanceProbe) => Promise<T>) =>
    withConformanceAdapter(options.createAdapter, { fault: setting.fault, apiKey: 'apiKey' in setting ? setting.apiKey : conformanceApiKey }, body);

  // One healthy offer, fetched once, for the deploy checks under faults.
  let healthyOffer: Promise<Offer> | undefined;
  const anOffer = () => (healthyOffer ??= run({}, async ({ adapter }) => firstOffer(expect, adapter, request)));

  const title = `${options.name ?? 'adapter'} conformance (ProviderAdapterV1)${
    skipped.size > 0 ? ` [skipped by declaration: ${[...skipped].join(', ')}]` : ''
  }`;

  describe(title, () => {
    if (options.setup) requireHook(vitest.beforeAll, 'beforeAll', 'setup')(async () => void (await options.setup!()), testMs);
    if (options.teardown) requireHook(vitest.afterAll, 'afterAll', 'teardown')(async () => void (await options.teardown!()), testMs);

    describe('identity', () => {
      it('declares specificationVersion "v1" and a stable kebab-case name', async () => {
        const first = await run({}, async ({ adapter }) => {
          expect((adapter as { specificationVersion?: unknown }).specificationVersion, 'specificationVersion').toBe('v1');
          expect(adapter.name, 'name is a kebab-case id').toMatch(adapterNamePattern);
          return adapter.name;
        });
        const second = await run({}, async ({ adapter }) => adapter.name);
        expect(second, 'two instances report the same name').toBe(first);
      }, testMs);
    });

    describe('construction', () => {
      it('sends nothing to the provider until a method is called', async () => {
        await run({}, async ({ adapter, providerCalls }) => {
          await sleep(timeouts.settleMs);
          expect(providerCalls.length, 'provider calls after construction').toBe(0);
          await adapter.listOffers(request);
          expect(
            providerCalls.length,
            'provider calls after listOffers (wire context.recordProviderCall into your fake server or fetch)',
          ).toBeGreaterThan(0);
        });
      }, testMs);

      if (!skipped.has('credentials')) {
        it('loads the API key lazily: construction without a key succeeds and the first call rejects with ConfigurationError', async () => {
          await run({ apiKey: undefined }, async ({ adapter, providerCalls }) => {
            await sleep(timeouts.settleMs);
            expect(providerCalls.length, 'provider calls after construction').toBe(0);
            const error = await expectRejection(expect, adapter.listOffers(request), 'listOffers without an API key');
            expect(ConfigurationError.isInstance(error), `expected ConfigurationError, got ${describeError(error)}`).toBe(true);
            expect(providerCalls.length, 'provider calls without an API key').toBe(0);
          });
        }, testMs);
      }
    });

    describe('listOffers', () => {
      it('returns offers that parse with offerSchema and satisfy the request', async () => {
        await run({}, async ({ adapter }) => {
          const result = await adapter.listOffers(request);
          expect(Array.isArray(result.offers), 'result.offers is an array').toBe(true);
          expect(result.offers.length, 'offers for a request the provider can serve').toBeGreaterThan(0);
          if (result.warnings !== undefined) {
            expect(Array.isArray(result.warnings) && result.warnings.every((warning) => typeof warning === 'string'), 'warnings are strings').toBe(true);
          }
          const ids = new Set<string>();
          for (const [index, input] of result.offers.entries()) {
            const parsed = offerSchema.safeParse(input);
            expect(parsed.success, `offer ${index} parses with offerSchema: ${parsed.success ? '' : parsed.error.message}`).toBe(true);
            if (!parsed.success) continue;
            const offer = parsed.data;
            expect(offer.provider, `offer ${offer.offer_id} provider`).toBe(adapter.name);
            expect(offer.gpu_type, `offer ${offer.offer_id} gpu_type`).toBe(request.gpu_type);
            expect(offer.gpu_count >= request.gpu_count, `offer ${offer.offer_id} has at least ${request.gpu_count} GPU(s)`).toBe(true);
            expect(ids.has(offer.offer_id), `offer_id ${offer.offer_id} is unique`).toBe(false);
            ids.add(offer.offer_id);
          }
        });
      }, testMs);
    });

    describe('deployment lifecycle', () => {
      it('deploy reaches running through getStatus, and terminate ends it', async () => {
        await run({}, async ({ adapter }) => {
          const offer = await firstOffer(expect, adapter, request);
          const deployed = await adapter.deploy(request, offer, { idempotency_key: idempotencyKey('lifecycle') });
          expect(typeof deployed.provider_deployment_id === 'string' && deployed.provider_deployment_id.length > 0, 'deploy returns a provider_deployment_id').toBe(true);
          expect(deploymentStatuses as readonly string[], 'deploy returns a lifecycle status').toContain(deployed.status);
          expect(typeof deployed.provider_status, 'deploy returns the raw provider_status').toBe('string');

          await pollUntilRunning(expect, adapter, deployed.provider_deployment_id, timeouts);
          await adapter.terminate(deployed.provider_deployment_id);
          await expectEndedAfterTerminate(expect, adapter, deployed.provider_deployment_id);
        });
      }, testMs);

      it('terminate is idempotent: twice on one deployment, and on an unknown id, it resolves', async () => {
        await run({}, async ({ adapter }) => {
          const offer = await firstOffer(expect, adapter, request);
          const deployed = await adapter.deploy(request, offer, { idempotency_key: idempotencyKey('terminate') });
          await expectResolves(expect, adapter.terminate(deployed.provider_deployment_id), 'first terminate');
          await expectResolves(expect, adapter.terminate(deployed.provider_deployment_id), 'second terminate');
          await expectResolves(expect, adapter.terminate(unknownId), 'terminate of an unknown deployment');
        });
      }, testMs);

      it('listDeployments (when implemented) lists a deployment it created and omits it once terminated', async () => {
        await run({}, async ({ adapter }) => {
          if (!adapter.listDeployments) return;
          const offer = await firstOffer(expect, adapter, request);
          const deployed = await adapter.deploy(request, offer, { idempotency_key: idempotencyKey('list') });
          const id = deployed.provider_deployment_id;
          const listed = await listAllDeployments(expect, adapter);
          const entry = listed.find((deployment) => deployment.provider_deployment_id === id);
          expect(entry !== undefined, `listDeployments includes the new deployment ${id}`).toBe(true);
          expect(deploymentStatuses as readonly string[], 'a listed deployment has a lifecycle status').toContain(entry?.status);
          expect(typeof entry?.provider_status, 'a listed deployment has the raw provider_status').toBe('string');
          if (entry?.created_at !== undefined) expect(Number.isFinite(Date.parse(entry.created_at)), `created_at "${entry.created_at}" is an ISO timestamp`).toBe(true);

          await adapter.terminate(id);
          const after = await listAllDeployments(expect, adapter);
          const remaining = after.find((deployment) => deployment.provider_deployment_id === id);
          expect(remaining === undefined || remaining.status === 'terminating', `listDeployments omits ${id} once terminated`).toBe(true);
        });
      }, testMs);

      it('getStatus of an unknown deployment reports a terminal status or rejects as "not found" (NotFoundError, or AdapterCallError 404 / not_found)', async () => {
        await run({}, async ({ adapter }) => {
          const outcome = await settle(adapter.getStatus(unknownId));
          if (outcome.ok) {
            expect(isTerminalStatus(outcome.value.status), `status of an unknown deployment: ${outcome.value.status}`).toBe(true);
          } else {
            expectGone(expect, outcome.error, 'getStatus of an unknown deployment');
          }
        });
      }, testMs);

      if (supportsLogs) {
        it('getLogs yields lines that parse with logLineSchema', async () => {
          await run({}, async ({ adapter }) => {
            const id = await deployRunning(expect, adapter, request, timeouts, 'logs');
            const lines = await collectLogs(adapter.getLogs(id, { tail: 100 }), maximumLogLines);
            expect(lines.length, 'log lines of a running deployment').toBeGreaterThan(0);
            for (const [index, line] of lines.entries()) {
              const parsed = logLineSchema.safeParse(line);
              expect(parsed.success, `log line ${index} parses with logLineSchema: ${parsed.success ? '' : parsed.error.message}`).toBe(true);
            }
            await adapter.terminate(id);
          });
        }, testMs);

        it('getLogs with follow ends when its signal is aborted', async () => {
          await run({}, async ({ adapter }) => {
            const id = await deployRunning(expect, adapter, request, timeouts, 'follow');
            const controller = new AbortController();
            const following = (async () => {
              let count = 0;
              for await (const line of adapter.getLogs(id, { follow: true, signal: controller.signal })) {
                count += 1;
                if (count === 1) controller.abort();
                if (count >= maximumLogLines) break;
                void line;
              }
              return count;
            })();
            const outcome = await settleWithin(following, timeouts.testMs / 2);
            expect(outcome.state !== 'pending', 'getLogs({ follow: true }) kept running after its signal was aborted').toBe(true);
            if (outcome.state === 'rejected') expectAuroraError(expect, outcome.error, 'getLogs after abort');
            await adapter.terminate(id);
          });
        }, testMs);
      } else {
        it('getLogs (declared unsupported) yields nothing or rejects with an Aurora error', async () => {
          await run({}, async ({ adapter }) => {
            const outcome = await settle(collectLogs(adapter.getLogs(unknownId), maximumLogLines));
            if (outcome.ok) expect(outcome.value.length, 'lines from an adapter without logs').toBe(0);
            else expectAuroraError(expect, outcome.error, 'getLogs');
          });
        }, testMs);
      }
    });

    describe('healthCheck', () => {
      it('reports { healthy: true } for a healthy provider', async () => {
        await run({}, async ({ adapter }) => {
          const health = await adapter.healthCheck();
          expect(typeof health.healthy, 'healthy is a boolean').toBe('boolean');
          expect(health.healthy, 'a healthy provider is reported healthy').toBe(true);
        });
      }, testMs);
    });

    const faults: Array<{ fault: AdapterFault; retryable: boolean }> = [
      ...retryableStatuses.map((entry) => ({ fault: { type: 'http-status' as const, ...entry }, retryable: true })),
      ...finalStatuses.map((status) => ({ fault: { type: 'http-status' as const, status }, retryable: false })),
    ];
    for (const { fault, retryable } of faults) {
      if (fault.type !== 'http-status') continue;
      const expected = `AdapterCallError (statusCode ${fault.status}, isRetryable ${retryable}${
        fault.retryAfterSeconds === undefined ? '' : `, retryAfterMs ${fault.retryAfterSeconds * 1000}`
      })`;
      const checkError = (error: unknown, what: string) => {
        expectAuroraError(expect, error, what);
        expect(AdapterCallError.isInstance(error), `${what}: expected AdapterCallError, got ${describeError(error)}`).toBe(true);
        const callError = error as AdapterCallError;
        expect(callError.statusCode, `${what}: statusCode`).toBe(fault.status);
        expect(callError.isRetryable, `${what}: isRetryable`).toBe(retryable);
        if (fault.retryAfterSeconds !== undefined) expect(callError.retryAfterMs, `${what}: retryAfterMs`).toBe(fault.retryAfterSeconds * 1000);
        expectNoSecret(expect, error, what);
      };

      describe(`provider answers ${describeFault(fault)}`, () => {
        it(`listOffers rejects with ${expected}`, async () => {
          await run({ fault }, async ({ adapter }) => checkError(await expectRejection(expect, adapter.listOffers(request), 'listOffers'), 'listOffers'));
        }, testMs);
        it(`deploy rejects with ${expected}`, async () => {
          const offer = await anOffer();
          await run({ fault }, async ({ adapter }) =>
            checkError(await expectRejection(expect, adapter.deploy(request, offer, { idempotency_key: idempotencyKey('fault') }), 'deploy'), 'deploy'),
          );
        }, testMs);
        it(`getStatus rejects with ${expected}`, async () => {
          await run({ fault }, async ({ adapter }) => checkError(await expectRejection(expect, adapter.getStatus(unknownId), 'getStatus'), 'getStatus'));
        }, testMs);
        if (supportsLogs) {
          it(`getLogs rejects with ${expected}`, async () => {
            await run({ fault }, async ({ adapter }) =>
              checkError(await expectRejection(expect, collectLogs(adapter.getLogs(unknownId), maximumLogLines), 'getLogs'), 'getLogs'),
            );
          }, testMs);
        }
        it(`terminate rejects with ${expected} (a failed terminate is never swallowed)`, async () => {
          await run({ fault }, async ({ adapter }) => checkError(await expectRejection(expect, adapter.terminate(unknownId), 'terminate'), 'terminate'));
        }, testMs);
        it('healthCheck reports unhealthy or rejects with an Aurora error', async () => {
          await run({ fault }, async ({ adapter }) => expectUnhealthyOrTyped(expect, await settle(adapter.healthCheck()), 'healthCheck'));
        }, testMs);
      });
    }

    describe('provider answers malformed JSON', () => {
      const fault: AdapterFault = { type: 'malformed-json' };
      const checkInvalid = (error: unknown, what: string) => {
        expectAuroraError(expect, error, what);
        expect(
          InvalidResponseDataError.isInstance(error) || AdapterCallError.isInstance(error),
          `${what}: expected InvalidResponseDataError or AdapterCallError, got ${describeError(error)}`,
        ).toBe(true);
      };
      it('listOffers rejects with InvalidResponseDataError (or AdapterCallError)', async () => {
        await run({ fault }, async ({ adapter }) => checkInvalid(await expectRejection(expect, adapter.listOffers(request), 'listOffers'), 'listOffers'));
      }, testMs);
      it('deploy rejects with InvalidResponseDataError (or AdapterCallError)', async () => {
        const offer = await anOffer();
        await run({ fault }, async ({ adapter }) =>
          checkInvalid(await expectRejection(expect, adapter.deploy(request, offer, { idempotency_key: idempotencyKey('malformed') }), 'deploy'), 'deploy'),
        );
      }, testMs);
      it('getStatus rejects with InvalidResponseDataError (or AdapterCallError)', async () => {
        await run({ fault }, async ({ adapter }) => checkInvalid(await expectRejection(expect, adapter.getStatus(unknownId), 'getStatus'), 'getStatus'));
      }, testMs);
      it('getLogs and terminate resolve or reject with an Aurora error, never an untyped one', async () => {
        await run({ fault }, async ({ adapter }) => {
          const logs = await settle(collectLogs(adapter.getLogs(unknownId), maximumLogLines));
          if (logs.ok) for (const line of logs.value) expect(logLineSchema.safeParse(line).success, 'a yielded log line parses').toBe(true);
          else expectAuroraError(expect, logs.error, 'getLogs');
          const terminated = await settle(adapter.terminate(unknownId));
          if (!terminated.ok) expectAuroraError(expect, terminated.error, 'terminate');
        });
      }, testMs);
      it('healthCheck reports unhealthy or rejects with an Aurora error', async () => {
        await run({ fault }, async ({ adapter }) => expectUnhealthyOrTyped(expect, await settle(adapter.healthCheck()), 'healthCheck'));
      }, testMs);
    });

    describe('cancellation', () => {
      const slow: AdapterFault = { type: 'slow', delayMs: timeouts.slowResponseMs };
      const checkAborted = (error: unknown, what: string) => {
        expectAuroraError(expect, error, what);
        expect(AdapterCallError.isInstance(error), `${what}: expected AdapterCallError, got ${describeError(error)}`).toBe(true);
      };

      it('an already aborted signal rejects listOffers with AdapterCallError', async () => {
        await run({}, async ({ adapter }) => {
          const error = await expectRejection(expect, adapter.listOffers(request, { signal: AbortSignal.abort() }), 'listOffers with an aborted signal');
          checkAborted(error, 'listOffers');
        });
      }, testMs);
      it('listOffers rejects with AdapterCallError when its signal aborts during a slow call', async () => {
        await run({ fault: slow }, async ({ adapter }) => {
          const signal = abortAfter(timeouts.abortAfterMs);
          checkAborted(await expectRejection(expect, adapter.listOffers(request, { signal }), 'listOffers after abort'), 'listOffers');
        });
      }, cancellationTestMs);
      it('deploy rejects with AdapterCallError when its signal aborts during a slow call', async () => {
        const offer = await anOffer();
        await run({ fault: slow }, async ({ adapter }) => {
          const signal = abortAfter(timeouts.abortAfterMs);
          const deploying = adapter.deploy(request, offer, { idempotency_key: idempotencyKey('abort'), signal });
          checkAborted(await expectRejection(expect, deploying, 'deploy after abort'), 'deploy');
        });
      }, cancellationTestMs);
      it('healthCheck rejects with AdapterCallError when its signal aborts during a slow call', async () => {
        await run({ fault: slow }, async ({ adapter }) => {
          const signal = abortAfter(timeouts.abortAfterMs);
          checkAborted(await expectRejection(expect, adapter.healthCheck({ signal }), 'healthCheck after abort'), 'healthCheck');
        });
      }, cancellationTestMs);
    });
  });
}

function validateSkip(skip: readonly string[] | undefined): Set<AdapterConformanceCapability> {
  const result = new Set<AdapterConformanceCapability>();
  for (const capability of skip ?? []) {
    if (!(knownCapabilities as readonly string[]).includes(capability)) {
      throw new TypeError(`describeAdapterConformance: unknown capability "${capability}" in skip; known: ${knownCapabilities.join(', ')}`);
    }
    result.add(capability as AdapterConformanceCapability);
  }
  return result;
}

function resolveTimeouts(timeouts: AdapterConformanceTimeouts = {}): Timeouts {
  return {
    testMs: timeouts.testMs ?? 20_000,
    statusPollIntervalMs: timeouts.statusPollIntervalMs ?? 25,
    statusPollAttempts: timeouts.statusPollAttempts ?? 40,
    slowResponseMs: timeouts.slowResponseMs ?? 10_000,
    abortAfterMs: timeouts.abortAfterMs ?? 25,
    settleMs: timeouts.settleMs ?? 20,
  };
}

function requireHook<Hook>(hook: Hook | undefined, hookName: string, option: string): Hook {
  if (hook === undefined) throw new TypeError(`describeAdapterConformance: option ${option} needs vitest.${hookName}; pass the whole vitest module`);
  return hook;
}

async function firstOffer(expect: Expect, adapter: ProviderAdapter, request: RoutingRequest): Promise<Offer> {
  const { offers } = await adapter.listOffers(request);
  expect(offers.length, 'offers for a request the provider can serve').toBeGreaterThan(0);
  return offerSchema.parse(offers[0]);
}

async function deployRunning(expect: Expect, adapter: ProviderAdapter, request: RoutingRequest, timeouts: Timeouts, label: string): Promise<string> {
  const offer = await firstOffer(expect, adapter, request);
  const deployed = await adapter.deploy(request, offer, { idempotency_key: idempotencyKey(label) });
  await pollUntilRunning(expect, adapter, deployed.provider_deployment_id, timeouts);
  return deployed.provider_deployment_id;
}

async function pollUntilRunning(expect: Expect, adapter: ProviderAdapter, id: string, timeouts: Timeouts): Promise<void> {
  const seen: DeploymentStatus[] = [];
  for (let attempt = 1; attempt <= timeouts.statusPollAttempts; attempt++) {
    const report = parseStatusReport(expect, await adapter.getStatus(id), id);
    seen.push(report.status);
    if (report.status === 'running') return;
    expect(isTerminalStatus(report.status), `deployment ${id} ended as ${report.status} before running`).toBe(false);
    if (attempt < timeouts.statusPollAttempts) await sleep(timeouts.statusPollIntervalMs);
  }
  expect(seen.at(-1), `deployment ${id} status after ${timeouts.statusPollAttempts} polls (seen: ${seen.join(' -> ')})`).toBe('running');
}

function parseStatusReport(expect: Expect, report: unknown, id: string) {
  const parsed = deploymentStatusReportSchema.safeParse(report);
  expect(parsed.success, `getStatus(${id}) matches DeploymentStatusReportV1: ${parsed.success ? '' : parsed.error.message}`).toBe(true);
  const value = parsed.data!;
  expect(value.provider_deployment_id, 'getStatus reports the id it was asked about').toBe(id);
  return value;
}

const maximumListPages = 100;

async function listAllDeployments(expect: Expect, adapter: ProviderAdapter): Promise<ListedDeploymentV1[]> {
  const listed: ListedDeploymentV1[] = [];
  let cursor: string | undefined;
  for (let page = 1; page <= maximumListPages; page++) {
    const result = await adapter.listDeployments!(cursor === undefined ? {} : { cursor });
    expect(Array.isArray(result.deployments), 'listDeployments returns a deployments array').toBe(true);
    listed.push(...result.deployments);
    if (result.next_cursor === undefined) return listed;
    expect(result.next_cursor !== cursor, 'listDeployments returns a new next_cursor for each page').toBe(true);
    cursor = result.next_cursor;
  }
  expect(cursor, `listDeployments still had pages after ${maximumListPages}`).toBe(undefined);
  return listed;
}

/** After terminate a deployment reports terminating/terminated, or is gone ("not found"). */
async function expectEndedAfterTerminate(expect: Expect, adapter: ProviderAdapter, id: string): Promise<void> {
  const outcome = await settle(adapter.getStatus(id));
  if (outcome.ok) {
    const report = parseStatusReport(expect, outcome.value, id);
    expect(['terminating', 'terminated'], `status after terminate`).toContain(report.status);
    return;
  }
  expectGone(expect, outcome.error, 'getStatus after terminate');
}

/**
 * "The provider does not know this deployment", as the reconciler recognises it: `NotFoundError`,
 * or a non-retryable `AdapterCallError` with status 404 or reason `not_found`.
 */
function expectGone(expect: Expect, error: unknown, what: string): void {
  expectAuroraError(expect, error, what);
  const gone =
    NotFoundError.isInstance(error) ||
    (AdapterCallError.isInstance(error) && !error.isRetryable && (error.statusCode === 404 || error.reason === 'not_found'));
  expect(gone, `${what}: expected NotFoundError or a non-retryable AdapterCallError (404 / not_found), got ${describeError(error)}`).toBe(true);
}

async function collectLogs(lines: AsyncIterable<unknown>, limit: number): Promise<unknown[]> {
  const collected: unknown[] = [];
  for await (const line of lines) {
    collected.push(line);
    if (collected.length >= limit) break;
  }
  return collected;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}

type Race<T> = { state: 'fulfilled'; value: T } | { state: 'rejected'; error: unknown } | { state: 'pending' };

/** The promise's outcome, or `pending` if it has not settled within `ms` (only used to fail with a clear message). */
async function settleWithin<T>(promise: Promise<T>, ms: number): Promise<Race<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pending = new Promise<Race<T>>((resolve) => {
    timer = setTimeout(() => resolve({ state: 'pending' }), ms);
  });
  const settled = promise.then(
    (value): Race<T> => ({ state: 'fulfilled', value }),
    (error: unknown): Race<T> => ({ state: 'rejected', error }),
  );
  try {
    return await Promise.race([settled, pending]);
  } finally {
    clearTimeout(timer);
  }
}

async function expectRejection(expect: Expect, promise: Promise<unknown>, what: string): Promise<unknown> {
  const outcome = await settle(promise);
  expect(outcome.ok, `${what} should reject, but it resolved`).toBe(false);
  return outcome.ok ? undefined : outcome.error;
}

async function expectResolves(expect: Expect, promise: Promise<unknown>, what: string): Promise<void> {
  const outcome = await settle(promise);
  expect(outcome.ok, `${what} should resolve, but it rejected with ${outcome.ok ? '' : describeError(outcome.error)}`).toBe(true);
}

function expectAuroraError(expect: Expect, error: unknown, what: string): void {
  expect(AuroraError.isInstance(error), `${what}: every error must pass AuroraError.isInstance, got ${describeError(error)}`).toBe(true);
}

function expectUnhealthyOrTyped(expect: Expect, outcome: Settled<{ healthy: boolean }>, what: string): void {
  if (outcome.ok) expect(outcome.value.healthy, `${what} of a failing provider`).toBe(false);
  else expectAuroraError(expect, outcome.error, what);
}

/** The conformance key must not appear in an error's message, details, URL or response body. */
function expectNoSecret(expect: Expect, error: unknown, what: string): void {
  if (!AuroraError.isInstance(error)) return;
  const callError = error as Partial<AdapterCallError>;
  const visible = [error.message, JSON.stringify(error.details), callError.url ?? '', callError.responseBody ?? ''].join('\n');
  expect(visible, `${what}: the error exposes the API key`).not.toContain(conformanceApiKey);
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return `${typeof error} ${String(error)}`;
}

let keyCounter = 0;
function idempotencyKey(label: string): string {
  keyCounter += 1;
  return `conformance-${label}-${keyCounter}`;
}

function abortAfter(ms: number): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), ms);
  return controller.signal;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
