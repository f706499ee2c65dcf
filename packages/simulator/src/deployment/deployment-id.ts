import type { DeploymentIdFormat } from '../profiles/provider-profile';
import type { SeededRandom } from '../seeded-random';

const lowercaseAlphanumeric = 'abcdefghijklmnopqrstuvwxyz0123456789';
const hexDigits = '0123456789abcdef';

/** A deployment id shaped like the provider's own (Akash dseq, Vast instance id, RunPod pod id, ...). */
export function formatDeploymentId(format: DeploymentIdFormat, random: SeededRandom): string {
  switch (format) {
    case 'dseq':
      // Akash dseq defaults to the block height at creation (~2e7 in 2026).
      return String(random.integer(20_000_000, 29_999_999));
    case 'integer':
      return String(random.integer(10_000_000, 39_999_999));
    case 'uuid':
      return uuidV4(random);
    case 'pod':
      return characters(random, lowercaseAlphanumeric, 14);
    case 'name':
      return `aurora-${characters(random, lowercaseAlphanumeric, 10)}`;
    case 'container':
      return `host${random.integer(1, 64)}-${characters(random, hexDigits, 12)}`;
  }
}

function characters(random: SeededRandom, alphabet: string, length: number): string {
  let text = '';
  for (let index = 0; index < length; index++) text += alphabet[random.integer(0, alphabet.length - 1)];
  return text;
}

function uuidV4(random: SeededRandom): string {
  const hex = characters(random, hexDigits, 32).split('');
  hex[12] = '4';
  hex[16] = hexDigits[8 + random.integer(0, 3)]!;
  const text = hex.join('');
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
}
