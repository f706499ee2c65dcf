/** Credentials never reach the logs: headers that carry them and any field that looks like one. */
export const redactedLogPaths = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'apiKey',
  'api_key',
  '*.apiKey',
  '*.api_key',
  '*.authorization',
  '*.password',
  '*.token',
  '*.secret',
  '*.credentials',
  '*.databaseUrl',
  '*.database_url',
  '*.connectionString',
];

/** pino JSON logs at `level`, with credentials redacted. */
export function loggerOptions(level: string): { level: string; redact: { paths: string[]; censor: string } } {
  return {
    level,
    redact: { paths: redactedLogPaths, censor: '[redacted]' },
  };
}
