/**
 * Canonical regions. Requests and offers use these; `global` in a request means anywhere.
 * Providers report regions as cloud zones, ISO country codes or "State, US, NA" strings; one
 * function maps them all.
 */
export const canonicalRegions = [
  'us-west', 'us-east', 'us-central', 'ca-central', 'sa-east', 'eu-west', 'eu-central', 'eu-north',
  'eu-south', 'uk', 'me-central', 'af-south', 'asia-east', 'asia-south', 'asia-southeast',
  'asia-northeast', 'oceania', 'global',
] as const;

export type Region = (typeof canonicalRegions)[number];

const canonicalSet = new Set<string>(canonicalRegions);

const countryRegions: Record<string, Region> = {
  us: 'us-east', ca: 'ca-central', mx: 'us-central', br: 'sa-east', ar: 'sa-east', cl: 'sa-east', co: 'sa-east',
  gb: 'uk', uk: 'uk', ie: 'eu-west', fr: 'eu-west', es: 'eu-south', pt: 'eu-south', it: 'eu-south', gr: 'eu-south',
  nl: 'eu-west', be: 'eu-west', lu: 'eu-west', de: 'eu-central', at: 'eu-central', ch: 'eu-central',
  cz: 'eu-central', pl: 'eu-central', hu: 'eu-central', sk: 'eu-central', si: 'eu-central', hr: 'eu-central',
  ro: 'eu-central', bg: 'eu-central', rs: 'eu-central', ua: 'eu-central', lt: 'eu-north', lv: 'eu-north',
  ee: 'eu-north', se: 'eu-north', no: 'eu-north', fi: 'eu-north', dk: 'eu-north', is: 'eu-north',
  ae: 'me-central', sa: 'me-central', il: 'me-central', tr: 'me-central', qa: 'me-central', za: 'af-south',
  ng: 'af-south', ke: 'af-south', eg: 'af-south', in: 'asia-south', pk: 'asia-south', jp: 'asia-northeast',
  kr: 'asia-northeast', cn: 'asia-east', hk: 'asia-east', tw: 'asia-east', sg: 'asia-southeast',
  my: 'asia-southeast', th: 'asia-southeast', vn: 'asia-southeast', id: 'asia-southeast', ph: 'asia-southeast',
  au: 'oceania', nz: 'oceania', ru: 'eu-north', kz: 'asia-south',
};

/** US states by two-letter code, for "California, US" and "us-ca" style strings. */
const westernStates = new Set(['ca', 'california', 'or', 'oregon', 'wa', 'washington', 'nv', 'nevada', 'az', 'arizona', 'ut', 'utah', 'id', 'idaho']);
const centralStates = new Set(['tx', 'texas', 'il', 'illinois', 'co', 'colorado', 'mo', 'missouri', 'ia', 'iowa', 'ks', 'kansas', 'ne', 'nebraska', 'mn', 'minnesota', 'ok', 'oklahoma', 'wi', 'wisconsin']);

const cloudPrefixes: Array<[RegExp, Region]> = [
  [/^us-?west/, 'us-west'], [/^us-?east/, 'us-east'], [/^us-?central|^us-?south|^us-?north/, 'us-central'],
  [/^(ca|canada)-?(central|east|west)?/, 'ca-central'], [/^(sa|south-?america)/, 'sa-east'],
  [/^eu-?west|^europe-?west/, 'eu-west'], [/^eu-?central|^europe-?central/, 'eu-central'],
  [/^eu-?north|^europe-?north/, 'eu-north'], [/^eu-?south|^europe-?south/, 'eu-south'],
  [/^(ap|asia)-?south-?east|^southeast-?asia/, 'asia-southeast'], [/^(ap|asia)-?south/, 'asia-south'],
  [/^(ap|asia)-?north-?east/, 'asia-northeast'], [/^(ap|asia)-?east/, 'asia-east'],
  [/^(me|middle-?east)/, 'me-central'], [/^(af|africa)/, 'af-south'], [/^(oceania|australia)/, 'oceania'],
];

/** Canonical region for a provider's region string, or `undefined` when it cannot be placed. */
export function canonicalizeRegion(input: string): Region | undefined {
  const raw = input.trim().toLowerCase();
  if (raw.length === 0) return undefined;
  if (canonicalSet.has(raw)) return raw as Region;
  if (raw === 'any' || raw === '*' || raw === 'anywhere' || raw === 'world') return 'global';
  const dashed = raw.replace(/[\s_]+/g, '-');
  if (canonicalSet.has(dashed)) return dashed as Region;

  // "California, US, NA" (Vast.ai) or "Texas, US"
  const parts = raw.split(',').map((part) => part.trim()).filter(Boolean);
  if (parts.length >= 2) {
    const country = parts[1]!;
    if (country === 'us') return usRegion(parts[0]!);
    const fromCountry = countryRegions[country];
    if (fromCountry) return fromCountry;
  }
  // "us-ca", "us-tx"
  const usState = dashed.match(/^us-([a-z]{2})$/);
  if (usState) return usRegion(usState[1]!);
  for (const [pattern, region] of cloudPrefixes) if (pattern.test(dashed)) return region;
  // "US", "DE", or a city form "dallas-us-1" (Shadeform) whose second token is a country code
  if (countryRegions[raw]) return countryRegions[raw];
  const tokens = dashed.split('-');
  for (const token of tokens.slice(1)) {
    const fromToken = countryRegions[token];
    if (fromToken) return token === 'us' ? usRegion(tokens[0]!) : fromToken;
  }
  return undefined;
}

function usRegion(state: string): Region {
  const key = state.trim().toLowerCase();
  if (westernStates.has(key)) return 'us-west';
  if (centralStates.has(key)) return 'us-central';
  return 'us-east';
}

/** True when an offer in `offerRegion` satisfies a request for `requestedRegion`. */
export function regionMatches(requestedRegion: string, offerRegion: string): boolean {
  return requestedRegion === 'global' || requestedRegion === offerRegion;
}
