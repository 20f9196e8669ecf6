// Timeline periods, computed from the person's local calendar.
export type Period = 'all' | 'today' | 'week' | 'month' | 'year';
export const PERIODS: readonly Period[] = ['all', 'today', 'week', 'month', 'year'];

/** The instants a period covers: since is inclusive; no until (up to now and beyond). */
export function periodSince(p: Period, now: Date = new Date()): string | null {
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  switch (p) {
    case 'all':
      return null;
    case 'today':
      break;
    case 'week':
      start.setDate(start.getDate() - 6);
      break;
    case 'month':
      start.setDate(start.getDate() - 29);
      break;
    case 'year':
      start.setFullYear(start.getFullYear() - 1);
      break;
  }
  return start.toISOString();
}
