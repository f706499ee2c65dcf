const unitsInHours: Record<string, number> = { s: 1 / 3600, sec: 1 / 3600, m: 1 / 60, min: 1 / 60, h: 1, hr: 1, d: 24 };

/** Hours in "2h", "90m", "1.5h", "3600s", "1d" or a bare number of hours; undefined when unreadable. */
export function parseDurationHours(input: string): number | undefined {
  const match = input.trim().toLowerCase().match(/^(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hr|d)?$/);
  if (!match) return undefined;
  const hours = Number(match[1]) * unitsInHours[match[2] ?? 'h']!;
  return hours > 0 ? hours : undefined;
}
