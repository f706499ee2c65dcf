import { akashProfile } from './akash';
import { aethirProfile } from './aethir';
import { fluxProfile } from './flux';
import { ionetProfile } from './ionet';
import type { ProviderProfile, SimulatedProviderId } from './provider-profile';
import { renderProfile } from './render';
import { runpodProfile } from './runpod';
import { saladProfile } from './salad';
import { vastaiProfile } from './vastai';

/** The eight seed providers, by id. */
export const providerProfiles: Readonly<Record<SimulatedProviderId, ProviderProfile>> = {
  akash: akashProfile,
  ionet: ionetProfile,
  render: renderProfile,
  flux: fluxProfile,
  aethir: aethirProfile,
  vastai: vastaiProfile,
  salad: saladProfile,
  runpod: runpodProfile,
};

export {
  akashProfile, aethirProfile, fluxProfile, ionetProfile, renderProfile, runpodProfile, saladProfile, vastaiProfile,
};
export {
  simulatedProviderIds,
  type DeploymentIdFormat, type FailureRates, type GpuOffering, type PriceBand, type ProviderProfile,
  type ProviderStatusNames, type RegionPresence, type SimulatedProviderId, type StartupProfile,
} from './provider-profile';
export { regionPresence, regionRoundTripMs, scaleBand } from './region-latency';
