import type { SeededRandom } from '../seeded-random';

/**
 * When a provider's meter starts:
 * - `placement`: at the order, paid up front (io.net's prepaid CaaS hours, Flux's prepaid terms);
 * - `assignment`: once a machine is assigned, so image pull and boot are billed (Vast bills while
 *   `loading`; Akash's escrow runs from the lease);
 * - `container`: once the container runs, model load included (Salad bills from `running`).
 */
export type MeterStart = 'placement' | 'assignment' | 'container';

/** How one provider bills one kind of workload; hidden from every policy (offers carry only a price). */
export type BillingTerms = {
  meterStartsAt: MeterStart;
  /** Billed time is rounded up to whole increments of this many ms (1,000 = per second). */
  incrementMs: number;
  /** Billed time is at least this many ms once the meter has started. */
  minimumMs: number;
  /** Every charge is at least this many USD. */
  minimumUsd: number;
  /** Paid up front for the planned run: ending early (failure, preemption) refunds nothing. */
  prepaid: boolean;
  /** A start that fails after the meter started is billed (else the provider waives it). */
  billsFailedStarts: boolean;
  /** Added to the bill on top of the quoted price: payment fees, storage, egress. */
  feeRate: number;
};

/** Terms for services that run until stopped and for batch work that runs to completion. */
export type WorkloadBilling = { service: BillingTerms; batch: BillingTerms };

/** The instants of one placement that a bill can depend on (ms). */
export type BillingSpan = {
  placedAt: number;
  /** A machine was assigned (after pending). */
  assignedAt: number;
  /** The container started (after provisioning); model load follows. */
  containerAt: number;
  /** When the deployment stopped costing: completed, preempted, lost, or failed to start. */
  endedAt: number;
  /** When the planned run would have ended (prepaid terms bill up to here). */
  plannedEndAt: number;
  /** True when the placement failed before the container ran. */
  failedStart: boolean;
};

const second = 1_000;
const minute = 60 * second;
const hour = 60 * minute;

/** The bill in USD for one placement at `pricePerHour` (the quoted price of the whole shape). */
export function billedUsd(terms: BillingTerms, pricePerHour: number, span: BillingSpan): number {
  if (span.failedStart && !terms.billsFailedStarts) return 0;
  const meterStart = terms.meterStartsAt === 'placement' ? span.placedAt : terms.meterStartsAt === 'assignment' ? span.assignedAt : span.containerAt;
  const meterEnd = terms.prepaid ? Math.max(span.endedAt, span.plannedEndAt) : span.endedAt;
  if (meterEnd <= meterStart) return 0;
  const increments = Math.ceil((meterEnd - meterStart) / terms.incrementMs - 1e-9);
  const billedMs = Math.max(terms.minimumMs, increments * terms.incrementMs);
  const charge = pricePerHour * (billedMs / hour) * (1 + terms.feeRate);
  return Math.max(terms.minimumUsd, charge);
}

const same = (terms: BillingTerms): WorkloadBilling => ({ service: terms, batch: terms });

/**
 * Billing of the providers the references describe. Figures with a reference are fixed; the
 * others (marked estimate) are drawn per world, so no policy can learn them once for all.
 */
export function drawBillingTerms(prior: string, random: SeededRandom): WorkloadBilling {
  const draw = random.fork('billing');
  // Estimate: how finely a provider without a documented granularity rounds.
  const estimatedIncrement = () => (draw.chance(0.5) ? second : minute);
  switch (prior) {
    case 'ionet':
      // providers/ionet.md: prepaid, time-boxed deployments of whole `duration_hours` (>= 1);
      // refund of unused hours unconfirmed (none assumed); USDC payments carry 2 % + 0.25 % fees.
      return same({ meterStartsAt: 'placement', incrementMs: hour, minimumMs: hour, minimumUsd: 0, prepaid: true, billsFailedStarts: true, feeRate: 0.0225 });
    case 'flux':
      // providers/flux.md: a prepaid term in ~30 s blocks, $0.99 minimum, no cancel-and-refund call.
      return same({ meterStartsAt: 'placement', incrementMs: 30 * second, minimumMs: 0, minimumUsd: 0.99, prepaid: true, billsFailedStarts: true, feeRate: 0 });
    case 'render':
      // providers/render.md: BATCH jobs charged for actual execution time, PERSISTENT jobs billed hourly.
      return {
        service: { meterStartsAt: 'container', incrementMs: hour, minimumMs: hour, minimumUsd: 0, prepaid: false, billsFailedStarts: false, feeRate: 0 },
        batch: { meterStartsAt: 'container', incrementMs: second, minimumMs: 0, minimumUsd: 0, prepaid: false, billsFailedStarts: false, feeRate: 0 },
      };
    case 'salad':
      // providers/salad.md: billing starts only when an instance is running; per-hour prices (increment: estimate).
      return same({ meterStartsAt: 'container', incrementMs: estimatedIncrement(), minimumMs: 0, minimumUsd: 0, prepaid: false, billsFailedStarts: false, feeRate: 0 });
    case 'vastai':
      // providers/vastai.md: `loading` (image pull, start) and `frozen` are billed; dph_total already
      // includes storage. Increment: estimate.
      return same({ meterStartsAt: 'assignment', incrementMs: estimatedIncrement(), minimumMs: 0, minimumUsd: 0, prepaid: false, billsFailedStarts: true, feeRate: 0 });
    case 'akash':
      // providers/akash.md: lease escrow paid per 6 s block from the lease (the deposit is escrow, not a charge).
      return same({ meterStartsAt: 'assignment', incrementMs: 6 * second, minimumMs: 0, minimumUsd: 0, prepaid: false, billsFailedStarts: true, feeRate: 0 });
    case 'aethir':
      // providers/aethir.md: contracted monthly or hourly prices on pre-procured servers; hourly
      // increments with a one-hour minimum are an estimate.
      return same({ meterStartsAt: 'assignment', incrementMs: hour, minimumMs: hour, minimumUsd: 0, prepaid: false, billsFailedStarts: false, feeRate: 0 });
    case 'runpod':
      // providers/runpod.md: `Pod.cost` is the actual USD/h once created (0 when exited); when the
      // meter starts and how it rounds are estimates.
      return same({ meterStartsAt: 'assignment', incrementMs: estimatedIncrement(), minimumMs: 0, minimumUsd: 0, prepaid: false, billsFailedStarts: draw.chance(0.5), feeRate: 0 });
    default:
      return same(drawGenericCloudTerms(draw));
  }
}

/**
 * A GPU cloud the references do not cover (Lambda, Hyperstack, Paperspace, Massed Compute, Vultr
 * from the SkyPilot/Shadeform catalogs). Every figure is an estimate drawn per world: a third bill
 * per second, a third per minute, a third by the started hour (hourly clouds charge a full first
 * hour); boot time is billed; a failed boot is billed half the time; fees 0-3 %.
 */
function drawGenericCloudTerms(draw: SeededRandom): BillingTerms {
  const granularity = draw.next();
  const incrementMs = granularity < 1 / 3 ? second : granularity < 2 / 3 ? minute : hour;
  return {
    meterStartsAt: 'assignment',
    incrementMs,
    minimumMs: incrementMs === hour ? hour : incrementMs === minute ? minute : 0,
    minimumUsd: 0,
    prepaid: false,
    billsFailedStarts: draw.chance(0.5),
    feeRate: draw.between(0, 0.03),
  };
}
