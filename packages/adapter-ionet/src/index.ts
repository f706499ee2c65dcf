import { createIonet } from './ionet-adapter';

export { createIonet, type IonetAdapter, type IonetExtendResult } from './ionet-adapter';
export { defaultIonetBaseURL, type IonetAdapterSettings, type IonetLogSettings } from './ionet-settings';
export { mapIonetState, normalizeIonetStatus, type MappedIonetState } from './ionet-state';
export { hourlyPriceUsd, perGpuHourPriceUsd } from './ionet-price';
export { ionetDurationHours } from './ionet-duration';
export { ionetResourceName } from './ionet-deploy-body';
export { VERSION } from './version';

/** A default instance; safe at import because the key and base URL load on the first call. */
export const ionet = createIonet();
