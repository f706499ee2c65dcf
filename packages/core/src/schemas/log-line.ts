import { z } from 'zod';

/** One line of a deployment's output. */
export const logLineSchema = z.object({
  timestamp: z.string(),
  stream: z.enum(['stdout', 'stderr', 'system']).default('stdout'),
  message: z.string(),
  source: z.string().optional(),
});

export type LogLineInput = z.input<typeof logLineSchema>;
export type LogLine = z.output<typeof logLineSchema>;
