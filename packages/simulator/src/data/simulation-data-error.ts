import { AuroraError } from '@aurora/router';

const name = 'SimulationDataError';
const marker = `aurora.error.${name}`;
const symbol = Symbol.for(marker);

/**
 * A data file given to the market simulator (price catalog, workload trace, availability trace)
 * cannot be used. Names the file and, where it applies, the 1-based line.
 */
export class SimulationDataError extends AuroraError {
  private readonly [symbol] = true;
  readonly file: string;
  readonly line: number | undefined;

  constructor({ file, line, reason, cause }: { file: string; line?: number; reason: string; cause?: unknown }) {
    super({
      message: `${file}${line !== undefined ? `:${line}` : ''}: ${reason}`,
      code: 'AURORA_ERR_SIMULATION_DATA',
      cause,
      details: { file, ...(line !== undefined ? { line } : {}), reason },
    });
    this.name = name;
    this.file = file;
    this.line = line;
  }

  static override isInstance(error: unknown): error is SimulationDataError {
    return AuroraError.hasMarker(error, marker);
  }
}
