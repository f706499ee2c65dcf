import { requestDurationHours, type RoutingRequest } from '@aurora/router';

// gpu_hours / gpu_count can land a hair above a whole number (0.7 / 0.1 style float noise); a
// billion-th of an hour must not buy a whole extra prepaid hour.
const tolerance = 1e-9;

/**
 * Hours to prepay on io.net: the request's wall-clock hours (`gpu_hours / gpu_count`) rounded up
 * to whole hours, at least 1. Without `gpu_hours`, `defaultHours` (itself rounded the same way).
 */
export function ionetDurationHours(request: Pick<RoutingRequest, 'gpu_hours' | 'gpu_count'>, defaultHours = 1): number {
  const hours = requestDurationHours(request) ?? defaultHours;
  return Math.max(1, Math.ceil(hours - tolerance));
}
