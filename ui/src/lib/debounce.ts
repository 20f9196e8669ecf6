/** Calls `f` once input has paused for `ms`; a newer call cancels the older. */
export function debounce<A extends unknown[]>(f: (...a: A) => void, ms: number): (...a: A) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...a: A) => {
    clearTimeout(timer);
    timer = setTimeout(() => f(...a), ms);
  };
}

/** Keeps only the latest of overlapping async requests (search-as-you-type). */
export function latest<A extends unknown[], R>(f: (...a: A) => Promise<R>): (...a: A) => Promise<R | undefined> {
  let n = 0;
  return async (...a: A) => {
    const mine = ++n;
    const r = await f(...a);
    return mine === n ? r : undefined;
  };
}
