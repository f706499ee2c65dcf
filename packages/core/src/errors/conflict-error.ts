import { AuroraError } from './aurora-error';

const name = 'ConflictError';
const marker = `aurora.error.${name}`;
const symbol = Symbol.for(marker);

/** The request conflicts with recorded state, e.g. an idempotency key reused with another body. */
export class ConflictError extends AuroraError {
  private readonly [symbol] = true;

  constructor({ message, details = {} }: { message: string; details?: Record<string, unknown> }) {
    super({ message, code: 'AURORA_ERR_CONFLICT', details });
    this.name = name;
  }

  static override isInstance(error: unknown): error is ConflictError {
    return AuroraError.hasMarker(error, marker);
  }
}
