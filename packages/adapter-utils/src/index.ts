export { loadSetting, loadOptionalSetting, loadApiKey, type LoadSettingOptions } from './load-setting';
export { parseRetryAfter } from './parse-retry-after';
export { createCallSignal, type CallSignal } from './call-signal';
export { fetchJson, type FetchFunction, type FetchJsonOptions, type FetchJsonResult } from './fetch-json';
export { createJsonClient, withoutTrailingSlash, type JsonClient, type JsonClientSettings } from './create-json-client';
export { VERSION } from './version';
