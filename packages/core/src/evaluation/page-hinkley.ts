export type PageHinkleyOptions = {
  /** Tolerated drift of the mean per step before it counts as change. Default 0.005. */
  delta?: number;
  /** Alarm when the statistic exceeds this. Default 50. */
  threshold?: number;
};

export type PageHinkleyResult = {
  /** Largest value of the two-sided statistic over the series. */
  statistic: number;
  /** The statistic after the last value. */
  final: number;
  threshold: number;
  /** 0-based index of the first value at which the statistic exceeded the threshold, or null. */
  first_alarm_index: number | null;
};

export const defaultPageHinkleyDelta = 0.005;
export const defaultPageHinkleyThreshold = 50;

/**
 * Two-sided Page-Hinkley test for a change in the mean of a series. With the running mean
 * m_t = (1/t) sum_{i<=t} x_i and U_0 = L_0 = 0:
 *
 *   U_t = U_{t-1} + (x_t - m_t - delta),   PH_up_t   = U_t - min_{0<=j<=t} U_j   (mean went up)
 *   L_t = L_{t-1} + (x_t - m_t + delta),   PH_down_t = max_{0<=j<=t} L_j - L_t   (mean went down)
 *
 * and the statistic is max(PH_up_t, PH_down_t).
 */
export function pageHinkley(values: readonly number[], options: PageHinkleyOptions = {}): PageHinkleyResult {
  const delta = options.delta ?? defaultPageHinkleyDelta;
  const threshold = options.threshold ?? defaultPageHinkleyThreshold;
  let runningMean = 0;
  let up = 0;
  let minimumUp = 0;
  let down = 0;
  let maximumDown = 0;
  let statistic = 0;
  let final = 0;
  let firstAlarm: number | null = null;
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!;
    runningMean += (value - runningMean) / (index + 1);
    up += value - runningMean - delta;
    down += value - runningMean + delta;
    if (up < minimumUp) minimumUp = up;
    if (down > maximumDown) maximumDown = down;
    final = Math.max(up - minimumUp, maximumDown - down);
    if (final > statistic) statistic = final;
    if (firstAlarm === null && final > threshold) firstAlarm = index;
  }
  return { statistic, final, threshold, first_alarm_index: firstAlarm };
}
