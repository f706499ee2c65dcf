import { AuroraError } from './aurora-error';

const name = 'BudgetExceededError';
const marker = `aurora.error.${name}`;
const symbol = Symbol.for(marker);

export type BudgetScope = 'request' | 'deployment' | 'tenant' | 'global';

/** The work would cost more than a configured limit allows. */
export class BudgetExceededError extends AuroraError {
  private readonly [symbol] = true;
  readonly scope: BudgetScope;
  readonly limitUsd: number;
  readonly requiredUsd: number;

  constructor({ scope, limitUsd, requiredUsd, message }: { scope: BudgetScope; limitUsd: number; requiredUsd: number; message?: string }) {
    super({
      message: message ?? `Budget exceeded (${scope}): needs ${requiredUsd.toFixed(2)} USD, limit ${limitUsd.toFixed(2)} USD`,
      code: 'AURORA_ERR_BUDGET_EXCEEDED',
      details: { scope, limit_usd: limitUsd, required_usd: requiredUsd },
    });
    this.name = name;
    this.scope = scope;
    this.limitUsd = limitUsd;
    this.requiredUsd = requiredUsd;
  }

  static override isInstance(error: unknown): error is BudgetExceededError {
    return AuroraError.hasMarker(error, marker);
  }
}
