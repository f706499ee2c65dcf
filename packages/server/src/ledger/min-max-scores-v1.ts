import type { Offer, ScoredCandidate, Weights } from '@aurora/router';

export type CandidateScores = Pick<ScoredCandidate, 'score' | 'normalized' | 'contributions'>;

type Range = { min: number; span: number };
type Ranges = { price: Range; latency: Range; reputation: Range; availability: Range };

/*
 * The scores the core's min-max scorer gives each offer of a candidate set: every criterion
 * normalised to 0-1 across the set (lower price and latency are better), times its weight, summed.
 *
 * Frozen on purpose: stored decision logs leave out numbers these functions reproduce exactly, so
 * they must keep computing what they computed when the logs were written, whatever the scorer
 * becomes. A scorer that computes something else simply has its numbers stored (decision-log-storage).
 */

function rangesOf<Item>(items: readonly Item[], offerOf: (item: Item) => Offer): Ranges {
  let minPrice = Infinity, maxPrice = -Infinity, minLatency = Infinity, maxLatency = -Infinity;
  let minReputation = Infinity, maxReputation = -Infinity, minAvailability = Infinity, maxAvailability = -Infinity;
  for (const item of items) {
    const offer = offerOf(item);
    if (offer.price_usd_per_hour < minPrice) minPrice = offer.price_usd_per_hour;
    if (offer.price_usd_per_hour > maxPrice) maxPrice = offer.price_usd_per_hour;
    if (offer.estimated_latency_ms < minLatency) minLatency = offer.estimated_latency_ms;
    if (offer.estimated_latency_ms > maxLatency) maxLatency = offer.estimated_latency_ms;
    if (offer.reputation < minReputation) minReputation = offer.reputation;
    if (offer.reputation > maxReputation) maxReputation = offer.reputation;
    if (offer.availability < minAvailability) minAvailability = offer.availability;
    if (offer.availability > maxAvailability) maxAvailability = offer.availability;
  }
  // Price and latency count down from their maximum; `min` holds the maximum for them.
  return {
    price: { min: maxPrice, span: maxPrice - minPrice },
    latency: { min: maxLatency, span: maxLatency - minLatency },
    reputation: { min: minReputation, span: maxReputation - minReputation },
    availability: { min: minAvailability, span: maxAvailability - minAvailability },
  };
}

function lowerIsBetter(value: number, range: Range): number {
  return range.span > 0 ? (range.min - value) / range.span : 1;
}

function higherIsBetter(value: number, range: Range): number {
  return range.span > 0 ? (value - range.min) / range.span : 1;
}

export function minMaxScoresV1(offers: readonly Offer[], weights: Weights): CandidateScores[] {
  const ranges = rangesOf(offers, (offer) => offer);
  return offers.map((offer) => {
    const price = lowerIsBetter(offer.price_usd_per_hour, ranges.price);
    const latency = lowerIsBetter(offer.estimated_latency_ms, ranges.latency);
    const reputation = higherIsBetter(offer.reputation, ranges.reputation);
    const availability = higherIsBetter(offer.availability, ranges.availability);
    const contributions = {
      price: weights.price * price,
      latency: weights.latency * latency,
      reputation: weights.reputation * reputation,
      availability: weights.availability * availability,
    };
    const score = contributions.price + contributions.latency + contributions.reputation + contributions.availability;
    return { score, normalized: { price, latency, reputation, availability }, contributions };
  });
}

/** True when every candidate carries exactly the numbers `minMaxScoresV1` gives its offers. */
export function hasMinMaxScoresV1(candidates: readonly ScoredCandidate[], weights: Weights): boolean {
  const ranges = rangesOf(candidates, (candidate) => candidate.offer);
  for (const { offer, normalized, contributions, score } of candidates) {
    const price = lowerIsBetter(offer.price_usd_per_hour, ranges.price);
    const latency = lowerIsBetter(offer.estimated_latency_ms, ranges.latency);
    const reputation = higherIsBetter(offer.reputation, ranges.reputation);
    const availability = higherIsBetter(offer.availability, ranges.availability);
    if (normalized.price !== price || normalized.latency !== latency || normalized.reputation !== reputation || normalized.availability !== availability) return false;
    const priceShare = weights.price * price;
    const latencyShare = weights.latency * latency;
    const reputationShare = weights.reputation * reputation;
    const availabilityShare = weights.availability * availability;
    if (
      contributions.price !== priceShare ||
      contributions.latency !== latencyShare ||
      contributions.reputation !== reputationShare ||
      contributions.availability !== availabilityShare ||
      score !== priceShare + latencyShare + reputationShare + availabilityShare
    ) {
      return false;
    }
  }
  return true;
}
