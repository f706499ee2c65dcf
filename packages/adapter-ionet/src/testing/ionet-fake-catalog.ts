/** A hardware type the fake sells, with its list price per GPU-hour (USDC, before fees). */
export type IonetFakeHardware = {
  hardware_id: number | string;
  hardware_name: string;
  brand_name: string;
  max_gpus_per_container: number;
  price_per_gpu_hour: number;
};

export type IonetFakeLocation = { id: number; iso2: string; name: string };

/** What the fake sells: hardware, locations, free GPUs per hardware and location, fees. */
export type IonetFakeCatalog = {
  hardware: IonetFakeHardware[];
  locations: IonetFakeLocation[];
  /** Free GPUs by `hardware_id` then location `id` (before the fake's own deployments take theirs). */
  freeGpus: Record<string, Record<string, number>>;
  /** Percentages added on top of the list price, as io.net reports them in `/price`. */
  ionetFeePercent: number;
  currencyConversionFeePercent: number;
  /** Percentage taken off the list price. */
  discountPercent: number;
};

/**
 * Two GPU types in three locations. Singapore has no H100 and Germany no A100, so the zero-capacity
 * rows of `/available-replicas` are exercised. The fees follow io.net's docs for USDC payments
 * (2% facilitation, 0.25% reservation) and are included in `total_cost_usdc`.
 */
export function defaultIonetFakeCatalog(): IonetFakeCatalog {
  return {
    hardware: [
      { hardware_id: 203, hardware_name: 'H100 80GB HBM3', brand_name: 'NVIDIA', max_gpus_per_container: 8, price_per_gpu_hour: 2.19 },
      { hardware_id: 27, hardware_name: 'A100-SXM4-80GB', brand_name: 'NVIDIA', max_gpus_per_container: 8, price_per_gpu_hour: 1.29 },
    ],
    locations: [
      { id: 3, iso2: 'US', name: 'United States' },
      { id: 7, iso2: 'DE', name: 'Germany' },
      { id: 12, iso2: 'SG', name: 'Singapore' },
    ],
    freeGpus: {
      '203': { '3': 16, '7': 8, '12': 0 },
      '27': { '3': 8, '7': 0, '12': 8 },
    },
    ionetFeePercent: 0.25,
    currencyConversionFeePercent: 2,
    discountPercent: 0,
  };
}

export type IonetFakePriceBreakdown = {
  base: number;
  discount: number;
  ionet_fee: number;
  currency_conversion_fee: number;
  total_cost_usdc: number;
};

/** `total_cost_usdc` = list price x GPUs x replicas x hours, minus discount, plus fees. */
export function priceBreakdown(catalog: IonetFakeCatalog, hardware: IonetFakeHardware, gpusPerContainer: number, replicaCount: number, durationHours: number): IonetFakePriceBreakdown {
  const base = hardware.price_per_gpu_hour * gpusPerContainer * replicaCount * durationHours;
  const discount = (base * catalog.discountPercent) / 100;
  const net = base - discount;
  const ionetFee = (net * catalog.ionetFeePercent) / 100;
  const conversionFee = (net * catalog.currencyConversionFeePercent) / 100;
  return {
    base: round(base),
    discount: round(discount),
    ionet_fee: round(ionetFee),
    currency_conversion_fee: round(conversionFee),
    total_cost_usdc: round(net + ionetFee + conversionFee),
  };
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
