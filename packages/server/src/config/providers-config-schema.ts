import { z } from 'zod';
import { gpuTypeSchema, regionSchema } from '@aurora/router';
import { knownProviderIds } from '../providers/known-providers';

const environmentVariablePattern = /^[A-Z_][A-Z0-9_]*$/;

/**
 * Where a provider's credential lives: the NAME of an environment variable (`AKASH_API_KEY`) or
 * the path of a secret file (`/run/secrets/akash-api-key`, `./secrets/akash`). Never the key.
 */
export const credentialsSecretSchema = z
  .string()
  .min(1)
  .refine((value) => value.includes('/') || environmentVariablePattern.test(value), {
    message:
      'must be the NAME of an environment variable (A-Z, 0-9, _) or a secret file path containing "/"; credentials never go into config files',
  });

export const providerConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    api_url: z.url({ protocol: /^https?$/ }).optional(),
    credentials_secret: credentialsSecretSchema.optional(),
    default_region: regionSchema.optional(),
    gpu_types: z.array(gpuTypeSchema).min(1).optional().describe('only these GPU types are offered from this provider'),
    health_check_interval_ms: z.number().int().positive().max(86_400_000).optional(),
    orphan_sweep: z
      .boolean()
      .default(false)
      .describe(
        'this provider account is used only by this Aurora deployment: live deployments the ledger does not know are terminated',
      ),
  })
  .strict();

export type ProviderConfig = z.output<typeof providerConfigSchema>;

const providerIdSchema = z.enum(knownProviderIds);

/** config/providers.yaml. A provider missing from the file keeps its defaults (enabled, simulated). */
export const providersConfigSchema = z
  .object({
    providers: z
      .record(z.string(), providerConfigSchema.nullable())
      .default({})
      .superRefine((providers, context) => {
        for (const id of Object.keys(providers)) {
          if (!providerIdSchema.safeParse(id).success) {
            context.addIssue({
              code: 'custom',
              path: [id],
              message: `unknown provider; known providers: ${knownProviderIds.join(', ')}`,
            });
          }
        }
      }),
  })
  .strict();

export type ProvidersConfigInput = z.input<typeof providersConfigSchema>;
export type ProvidersConfig = z.output<typeof providersConfigSchema>;
