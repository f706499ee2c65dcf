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

/** Country names and ISO alpha-3 codes seen in provider region ids ("dallas-usa-3", "tokyo-japan-1"). */
const countryWords: Record<string, string> = {
  usa: 'us', us: 'us', unitedstates: 'us', canada: 'ca', can: 'ca', india: 'in', ind: 'in', japan: 'jp', jpn: 'jp',
  germany: 'de', deu: 'de', france: 'fr', fra: 'fr', netherlands: 'nl', nld: 'nl', thenetherlands: 'nl',
  unitedkingdom: 'gb', gbr: 'gb', england: 'gb', sweden: 'se', swe: 'se', norway: 'no', nor: 'no',
  finland: 'fi', fin: 'fi', iceland: 'is', isl: 'is', singapore: 'sg', sgp: 'sg', australia: 'au', aus: 'au',
  brazil: 'br', bra: 'br', korea: 'kr', kor: 'kr', taiwan: 'tw', twn: 'tw', spain: 'es', esp: 'es',
  italy: 'it', ita: 'it', poland: 'pl', pol: 'pl', czechia: 'cz', cze: 'cz', romania: 'ro', rou: 'ro',
  israel: 'il', isr: 'il', uae: 'ae', are: 'ae', southafrica: 'za', zaf: 'za', mexico: 'mx', mex: 'mx',
};

/** US states by two-letter code, for "California, US" and "us-ca" style strings. */
const westernStates = new Set(['ca', 'california', 'nm', 'newmexico', 'mt', 'montana', 'wy', 'wyoming', 'or', 'oregon', 'wa', 'washington', 'nv', 'nevada', 'az', 'arizona', 'ut', 'utah', 'id', 'idaho']);
const centralStates = new Set(['tx', 'texas', 'il', 'illinois', 'co', 'colorado', 'mo', 'missouri', 'ia', 'iowa', 'ks', 'kansas', 'ne', 'nebraska', 'mn', 'minnesota', 'ok', 'oklahoma', 'wi', 'wisconsin']);
/** Data-centre cities that appear in provider region ids ("dallas-us-1"), by US region. */
const westernCities = new Set(['seattle', 'portland', 'hillsboro', 'sanjose', 'santaclara', 'sanfrancisco', 'fremont', 'losangeles', 'sacramento', 'phoenix', 'lasvegas', 'saltlakecity']);
const centralCities = new Set(['dallas', 'houston', 'austin', 'sanantonio', 'chicago', 'denver', 'kansascity', 'omaha', 'minneapolis', 'stlouis', 'desmoines']);

/** Cloud zone prefixes. Two-letter ones must end there, so "salt-lake-city" or "melbourne" is not sa or me. */
const cloudPrefixes: Array<[RegExp, Region]> = [
  [/^us-?west/, 'us-west'], [/^us-?east/, 'us-east'], [/^us-?central|^us-?south|^us-?north/, 'us-central'],
  [/^ca(?![a-z])|^canada/, 'ca-central'], [/^sa(?![a-z])|^south-?america/, 'sa-east'],
  [/^eu-?west|^europe-?west/, 'eu-west'], [/^eu-?central|^europe-?central/, 'eu-central'],
  [/^eu-?north|^europe-?north/, 'eu-north'], [/^eu-?south|^europe-?south/, 'eu-south'],
  [/^(ap|asia)-?south-?east|^southeast-?asia/, 'asia-southeast'], [/^(ap|asia)-?south/, 'asia-south'],
  [/^(ap|asia)-?north-?east/, 'asia-northeast'], [/^(ap|asia)-?east/, 'asia-east'],
  [/^me(?![a-z])|^middle-?east/, 'me-central'], [/^af(?![a-z])|^africa/, 'af-south'], [/^(oceania|australia)/, 'oceania'],
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
  const parts = raw.split(',').map((part) => part.trim());
  if (parts.length >= 2) {
    const country = parts[1]!;
    if (country === 'us') return usRegion(parts[0]!);
    const fromCountry = countryRegions[country];
    if (fromCountry) return fromCountry;
  }
  // "us-ca", "us-tx", RunPod data centres "US-KS-2"
  const usState = dashed.match(/^us-([a-z]{2})(?:-\d+)?$/);
  if (usState) return usRegion(usState[1]!);
  for (const [pattern, region] of cloudPrefixes) if (pattern.test(dashed)) return region;
  // "US", "DE", or a city form "dallas-us-1" (Shadeform): the city, then a country code
  if (countryRegions[raw]) return countryRegions[raw];
  const tokens = dashed.split('-');
  for (let index = 1; index < tokens.length; index++) {
    const country = countryWords[tokens[index]!] ?? tokens[index]!;
    const fromToken = countryRegions[country];
    if (fromToken) return country === 'us' ? usRegion(tokens.slice(0, index).join('-')) : fromToken;
  }
  return undefined;
}

function usRegion(stateOrCity: string): Region {
  const key = stateOrCity.trim().toLowerCase();
  const compact = key.replace(/[^a-z]/g, '');
  if (westernStates.has(key) || westernCities.has(compact)) return 'us-west';
  if (centralStates.has(key) || centralCities.has(compact)) return 'us-central';
  return 'us-east';
}

/** True when an offer in `offerRegion` satisfies a request for `requestedRegion`. */
export function regionMatches(requestedRegion: string, offerRegion: string): boolean {
  return requestedRegion === 'global' || requestedRegion === offerRegion;
}
