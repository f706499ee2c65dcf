export { VERSION } from './version';
export * from './errors/index';
export * from './schemas/index';
export * from './adapter/index';
export * from './scorer/index';
export * from './policy/index';
export * from './telemetry/index';
export * from './router/index';
