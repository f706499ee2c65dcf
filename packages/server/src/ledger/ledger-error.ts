import { AuroraError } from '@aurora/router';

const name = 'LedgerError';
const marker = `aurora.error.${name}`;
const symbol = Symbol.for(marker);

export type LedgerErrorOptions = {
  message: string;
  operation: string;
  /** The driver's code: SQLite extended result code or PostgreSQL SQLSTATE. */
  driverCode?: string;
  isRetryable?: boolean;
  cause?: unknown;
};

/** The ledger database failed: locked, unreachable, full, closed or a violated constraint. */
export class LedgerError extends AuroraError {
  private readonly [symbol] = true;
  readonly operation: string;
  readonly driverCode?: string;

  constructor({ message, operation, driverCode, isRetryable = false, cause }: LedgerErrorOptions) {
    super({
      message,
      code: 'AURORA_ERR_LEDGER',
      cause,
      isRetryable,
      details: driverCode === undefined ? { operation } : { operation, driver_code: driverCode },
    });
    this.name = name;
    this.operation = operation;
    this.driverCode = driverCode;
  }

  static override isInstance(error: unknown): error is LedgerError {
    return AuroraError.hasMarker(error, marker);
  }
}

// SQLITE_BUSY (5) and SQLITE_LOCKED (6), with their extended codes in the high bits.
const retryableSqliteCodes = new Set([5, 6]);
// connection exceptions, serialization failure, deadlock, admin shutdown, cannot connect now.
const retryablePostgresPrefixes = ['08', '40001', '40P01', '57P01', '57P03', '53300'];
const retryableSocketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

/** Passes Aurora errors through and wraps driver errors in a `LedgerError` naming the operation. */
export function toLedgerError(error: unknown, operation: string): AuroraError {
  if (AuroraError.isInstance(error)) return error;
  const details = driverDetails(error);
  const reason = error instanceof Error ? error.message : String(error);
  return new LedgerError({
    message: `Ledger ${operation} failed: ${reason}`,
    operation,
    driverCode: details.code,
    isRetryable: details.retryable,
    cause: error,
  });
}

function driverDetails(error: unknown): { code?: string; retryable: boolean } {
  if (error == null || typeof error !== 'object') return { retryable: false };
  const record = error as { errcode?: unknown; code?: unknown };
  if (typeof record.errcode === 'number') {
    return { code: `SQLITE_${record.errcode}`, retryable: retryableSqliteCodes.has(record.errcode & 0xff) };
  }
  if (typeof record.code === 'string') {
    const code = record.code;
    const retryable =
      retryableSocketCodes.has(code) || retryablePostgresPrefixes.some((prefix) => code.startsWith(prefix));
    return { code, retryable };
  }
  return { retryable: false };
}
