import { AuroraError } from './aurora-error';

const name = 'NotFoundError';
const marker = `aurora.error.${name}`;
const symbol = Symbol.for(marker);

/** The deployment (or other resource) does not exist, or the caller may not see it. */
export class NotFoundError extends AuroraError {
  private readonly [symbol] = true;
  readonly resource: string;
  readonly id: string;

  constructor({ resource, id, message }: { resource: string; id: string; message?: string }) {
    super({ message: message ?? `${resource} ${id} not found`, code: 'AURORA_ERR_NOT_FOUND', details: { resource, id } });
    this.name = name;
    this.resource = resource;
    this.id = id;
  }

  static override isInstance(error: unknown): error is NotFoundError {
    return AuroraError.hasMarker(error, marker);
  }
}
