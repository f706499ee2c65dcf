export { VERSION } from './version';
export * from './errors/index';
export * from './schemas/index';
export * from './adapter/index';
export * from './scorer/index';
export type { Policy, PolicyChoice, PolicyContext } from './policy/policy';
