import { AuroraError } from '@aurora/router';

const name = 'PermissionError';
const marker = `aurora.error.${name}`;
const symbol = Symbol.for(marker);

/** The API key is valid but lacks the scope the endpoint needs. HTTP 403. */
export class PermissionError extends AuroraError {
  private readonly [symbol] = true;
  readonly requiredScope: string;

  constructor({ requiredScope }: { requiredScope: string }) {
    super({
      message: `This API key lacks the "${requiredScope}" scope`,
      code: 'AURORA_ERR_FORBIDDEN',
      details: { required_scope: requiredScope },
    });
    this.name = name;
    this.requiredScope = requiredScope;
  }

  static override isInstance(error: unknown): error is PermissionError {
    return AuroraError.hasMarker(error, marker);
  }
}
