import { AuroraError } from './aurora-error';

const name = 'UnsupportedAdapterVersionError';
const marker = `aurora.error.${name}`;
const symbol = Symbol.for(marker);

/** An adapter declares a specification version this router does not speak. */
export class UnsupportedAdapterVersionError extends AuroraError {
  private readonly [symbol] = true;

  constructor({ adapterId, version }: { adapterId: string; version: unknown }) {
    super({
      message: `Adapter ${adapterId} implements specification ${String(version)}; this router supports v1`,
      code: 'AURORA_ERR_UNSUPPORTED_ADAPTER_VERSION',
      details: { adapter: adapterId, specification_version: version },
    });
    this.name = name;
  }

  static override isInstance(error: unknown): error is UnsupportedAdapterVersionError {
    return AuroraError.hasMarker(error, marker);
  }
}
