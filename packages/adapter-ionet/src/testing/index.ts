export { startIonetFake, ionetFakeBasePath, type IonetFake, type IonetFakeOptions, type IonetFakeState } from './start-ionet-fake';
export type { IonetFakeFault, IonetFakeFaultKind, IonetFakeFaultScope } from './ionet-fake-faults';
export { defaultIonetFakeCatalog, type IonetFakeCatalog, type IonetFakeHardware, type IonetFakeLocation } from './ionet-fake-catalog';
export { defaultIonetFakeTiming, type IonetFakeDeployment, type IonetFakeRequest, type IonetFakeTiming } from './ionet-fake-store';
export type { IonetFakeLogOptions } from './ionet-fake-logs';
