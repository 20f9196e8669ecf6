// Timings the benchmarks read from the page (window.__samskap).
export interface Metrics {
  interactiveMs?: number;
  saveClickedAt?: number;
  saveToTimelineMs?: number[];
  lastSavedId?: string;
}

declare global {
  interface Window {
    __samskap: Metrics;
  }
}

export function metrics(): Metrics {
  if (typeof window === 'undefined') return {};
  window.__samskap ??= {};
  return window.__samskap;
}

/** Called when a list shows `ids`: records the time since save was tapped, once. */
export function shown(ids: string[]) {
  const m = metrics();
  if (m.saveClickedAt !== undefined && m.lastSavedId && ids.includes(m.lastSavedId)) {
    (m.saveToTimelineMs ??= []).push(performance.now() - m.saveClickedAt);
    m.saveClickedAt = undefined;
  }
}
