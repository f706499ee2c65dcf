export { filterOffers, countRejections, type FilterOptions, type FilterResult } from './filter-offers';
export { scoreOffers, compareCandidates, compareOffers } from './score-offers';
export { rankOffers, assertEligible, type RankResult } from './rank-offers';
