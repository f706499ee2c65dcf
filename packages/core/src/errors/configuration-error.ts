import { AuroraError } from './aurora-error';

const name = 'ConfigurationError';
const marker = `aurora.error.${name}`;
const symbol = Symbol.for(marker);

/** A setting is missing or invalid: an API key, a config file key, router options. */
export class ConfigurationError extends AuroraError {
  private readonly [symbol] = true;
  readonly setting: string;

  constructor({ message, setting, cause }: { message: string; setting: string; cause?: unknown }) {
    super({ message, code: 'AURORA_ERR_CONFIGURATION', cause, details: { setting } });
    this.name = name;
    this.setting = setting;
  }

  static override isInstance(error: unknown): error is ConfigurationError {
    return AuroraError.hasMarker(error, marker);
  }
}
