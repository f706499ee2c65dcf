import { AuroraError } from './aurora-error';

const name = 'PolicyError';
const marker = `aurora.error.${name}`;
const symbol = Symbol.for(marker);

/** A policy failed or returned an invalid choice. The router falls back to the rule policy. */
export class PolicyError extends AuroraError {
  private readonly [symbol] = true;
  readonly policyId: string;

  constructor({ message, policyId, cause }: { message: string; policyId: string; cause?: unknown }) {
    super({ message, code: 'AURORA_ERR_POLICY', cause, details: { policy: policyId } });
    this.name = name;
    this.policyId = policyId;
  }

  static override isInstance(error: unknown): error is PolicyError {
    return AuroraError.hasMarker(error, marker);
  }
}
