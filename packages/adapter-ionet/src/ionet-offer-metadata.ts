import { InvalidArgumentError, toFieldIssues, type Offer } from '@aurora/router';
import { z } from 'zod';
import { ionetIdSchema } from './ionet-api';

/** What `deploy` needs back from an io.net offer's `provider_metadata`. */
export const ionetOfferMetadataSchema = z.object({
  hardware_id: ionetIdSchema,
  location_id: ionetIdSchema,
  gpus_per_container: z.number().int().min(1),
  replica_count: z.number().int().min(1).default(1),
  max_gpus_per_container: z.number().int().min(1).nullish(),
  hardware_name: z.string().nullish(),
});
export type IonetOfferMetadata = z.output<typeof ionetOfferMetadataSchema>;

/** The offer's io.net placement, or `InvalidArgumentError` when it is not an offer of this adapter. */
export function readIonetOfferMetadata(offer: Offer, provider: string): IonetOfferMetadata {
  if (offer.provider !== provider) {
    throw new InvalidArgumentError({ issues: [{ field: 'offer.provider', reason: `is "${offer.provider}", this adapter is "${provider}"` }] });
  }
  const parsed = ionetOfferMetadataSchema.safeParse(offer.provider_metadata);
  if (!parsed.success) {
    const issues = toFieldIssues(parsed.error).map((issue) => ({ ...issue, field: `offer.provider_metadata.${issue.field}` }));
    throw new InvalidArgumentError({
      message: `Offer ${offer.offer_id} is not a placeable io.net offer: ${issues.map((issue) => `${issue.field}: ${issue.reason}`).join('; ')}`,
      issues,
    });
  }
  const metadata = parsed.data;
  if (metadata.max_gpus_per_container && metadata.gpus_per_container > metadata.max_gpus_per_container) {
    throw new InvalidArgumentError({
      issues: [{ field: 'offer.provider_metadata.gpus_per_container', reason: `${metadata.gpus_per_container} exceeds max_gpus_per_container ${metadata.max_gpus_per_container}` }],
    });
  }
  return metadata;
}
