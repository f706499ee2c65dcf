export { createLumen, lumen, type LumenAdapterSettings } from './lumen-provider';
export { LumenAdapter } from './lumen-adapter';
export { VERSION } from './version';
