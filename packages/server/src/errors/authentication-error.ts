import { AuroraError } from '@aurora/router';

const name = 'AuthenticationError';
const marker = `aurora.error.${name}`;
const symbol = Symbol.for(marker);

/** No API key, or one the server does not know. HTTP 401. */
export class AuthenticationError extends AuroraError {
  private readonly [symbol] = true;

  constructor({ message }: { message: string }) {
    super({ message, code: 'AURORA_ERR_UNAUTHENTICATED' });
    this.name = name;
  }

  static override isInstance(error: unknown): error is AuthenticationError {
    return AuroraError.hasMarker(error, marker);
  }
}
