export { startAkashFake, type AkashFake, type AkashFakeOptions, type AkashFakeState } from './start-akash-fake';
export type { AkashFakeFault, AkashFakeFaultTarget } from './akash-fake-faults';
export { defaultAkashFakeProviders, type AkashFakeGpu, type AkashFakeProvider } from './akash-fake-fixtures';
export { defaultAkashFakeTiming, type AkashFakeBid, type AkashFakeDeployment, type AkashFakeLease, type AkashFakeLogLine, type AkashFakeTiming } from './akash-fake-market';
export type { AkashFakeRequest } from './akash-fake-console';
export type { AkashFakeLogConnection } from './akash-fake-gateway';
export type { AkashFakeToken } from './akash-fake-tokens';
