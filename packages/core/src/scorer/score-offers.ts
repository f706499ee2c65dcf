import type { Offer } from '../schemas/offer';
import type { ScoredCandidate } from '../schemas/decision';
import type { Weights } from '../schemas/weights';

/** Up to this many candidates a plain comparator sort is cheaper than packing keys for a numeric sort. */
const smallRanking = 64;

/** Scores closer than this count as equal, so that rescaled weights cannot flip a ranking by one ulp. */
const scoreResolution = 1e9;

/**
 * Normalises each criterion to 0-1 across the offers (min-max; lower price and latency are
 * better), takes the weighted sum, and ranks best first. Ties break on price, latency,
 * reputation, availability, then provider and offer id, so the order is fully deterministic.
 * `weights` must already be normalised (`normalizeWeights`).
 */
export function scoreOffers(offers: readonly Offer[], weights: Weights): ScoredCandidate[] {
  const count = offers.length;
  if (count === 0) return [];
  let minPrice = Infinity, maxPrice = -Infinity, minLatency = Infinity, maxLatency = -Infinity;
  let minReputation = Infinity, maxReputation = -Infinity, minAvailability = Infinity, maxAvailability = -Infinity;
  for (const offer of offers) {
    if (offer.price_usd_per_hour < minPrice) minPrice = offer.price_usd_per_hour;
    if (offer.price_usd_per_hour > maxPrice) maxPrice = offer.price_usd_per_hour;
    if (offer.estimated_latency_ms < minLatency) minLatency = offer.estimated_latency_ms;
    if (offer.estimated_latency_ms > maxLatency) maxLatency = offer.estimated_latency_ms;
    if (offer.reputation < minReputation) minReputation = offer.reputation;
    if (offer.reputation > maxReputation) maxReputation = offer.reputation;
    if (offer.availability < minAvailability) minAvailability = offer.availability;
    if (offer.availability > maxAvailability) maxAvailability = offer.availability;
  }
  const priceRange = maxPrice - minPrice;
  const latencyRange = maxLatency - minLatency;
  const reputationRange = maxReputation - minReputation;
  const availabilityRange = maxAvailability - minAvailability;

  const built: ScoredCandidate[] = new Array(count);
  // For large rankings, the quantised score of each offer computed once (see `rankOrder`).
  const keys = count > smallRanking ? new Float64Array(count) : undefined;
  for (let index = 0; index < count; index++) {
    const offer = offers[index]!;
    const price = priceRange > 0 ? (maxPrice - offer.price_usd_per_hour) / priceRange : 1;
    const latency = latencyRange > 0 ? (maxLatency - offer.estimated_latency_ms) / latencyRange : 1;
    const reputation = reputationRange > 0 ? (offer.reputation - minReputation) / reputationRange : 1;
    const availability = availabilityRange > 0 ? (offer.availability - minAvailability) / availabilityRange : 1;
    const contributions = {
      price: weights.price * price,
      latency: weights.latency * latency,
      reputation: weights.reputation * reputation,
      availability: weights.availability * availability,
    };
    const score = contributions.price + contributions.latency + contributions.reputation + contributions.availability;
    built[index] = { offer, rank: 0, score, normalized: { price, latency, reputation, availability }, contributions };
    if (keys) keys[index] = Math.round(score * scoreResolution);
  }
  if (!keys) {
    built.sort(compareCandidates);
    for (let rank = 0; rank < count; rank++) built[rank]!.rank = rank + 1;
    return built;
  }
  const order = rankOrder(keys, offers);
  const scored: ScoredCandidate[] = new Array(count);
  for (let rank = 0; rank < count; rank++) {
    const candidate = built[order[rank]!]!;
    candidate.rank = rank + 1;
    scored[rank] = candidate;
  }
  return scored;
}

/**
 * Indices of `offers` best first: the order of `compareCandidates`, given each offer's quantised
 * score in `keys`. When the keys fit, each (key, index) pair is packed into one double so that the
 * engine's native numeric sort does the work; runs of equal keys are then put in `compareOffers`
 * order. Otherwise it falls back to a comparator sort.
 */
function rankOrder(keys: Float64Array, offers: readonly Offer[]): ArrayLike<number> {
  const count = keys.length;
  let maxKey = 0;
  let minKey = Infinity;
  for (let index = 0; index < count; index++) {
    const key = keys[index]!;
    if (key > maxKey) maxKey = key;
    if (key < minKey) minKey = key;
  }
  const indexSpace = 2 ** Math.ceil(Math.log2(count + 1));
  if (!(minKey >= 0) || (maxKey - minKey + 1) * indexSpace > Number.MAX_SAFE_INTEGER) {
    const order = Array.from({ length: count }, (_, index) => index);
    return order.sort((a, b) => keys[b]! - keys[a]! || compareOffers(offers[a]!, offers[b]!));
  }
  // Higher score first: pack the distance below the best key, then the index.
  const packed = new Float64Array(count);
  for (let index = 0; index < count; index++) packed[index] = (maxKey - keys[index]!) * indexSpace + index;
  packed.sort();
  const order = new Uint32Array(count);
  for (let rank = 0; rank < count; rank++) order[rank] = packed[rank]! % indexSpace;
  for (let start = 0; start < count; ) {
    let end = start + 1;
    while (end < count && keys[order[end]!] === keys[order[start]!]) end++;
    if (end - start > 1) order.subarray(start, end).sort((a, b) => compareOffers(offers[a]!, offers[b]!));
    start = end;
  }
  return order;
}

/** Best first. Exported so other rankers (the learning policy) break ties the same way. */
export function compareCandidates(a: ScoredCandidate, b: ScoredCandidate): number {
  const scoreA = Math.round(a.score * scoreResolution);
  const scoreB = Math.round(b.score * scoreResolution);
  if (scoreA !== scoreB) return scoreB - scoreA;
  return compareOffers(a.offer, b.offer);
}

/** Deterministic offer order: cheaper, faster, more reputable, more available, then by id. */
export function compareOffers(a: Offer, b: Offer): number {
  return (
    a.price_usd_per_hour - b.price_usd_per_hour ||
    a.estimated_latency_ms - b.estimated_latency_ms ||
    b.reputation - a.reputation ||
    b.availability - a.availability ||
    (a.provider < b.provider ? -1 : a.provider > b.provider ? 1 : 0) ||
    (a.offer_id < b.offer_id ? -1 : a.offer_id > b.offer_id ? 1 : 0)
  );
}
