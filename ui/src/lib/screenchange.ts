// When the screen changes: scroll back to the top, move focus to the new
// screen's heading and name the window after it, so keyboard and screen
// reader users land where sighted users look (WCAG 2.4.3, 2.4.2).

/** Waits (up to ~1 s) for the screen's h1, since some screens load before they show it. */
async function heading(root: HTMLElement): Promise<HTMLElement | null> {
  for (let i = 0; i < 60; i++) {
    const h = root.querySelector<HTMLElement>('h1');
    if (h) return h;
    await new Promise((r) => requestAnimationFrame(r));
  }
  return null;
}

export async function screenChanged(root: HTMLElement | null, appName: string, focus: boolean) {
  if (!root) return;
  root.scrollTo({ top: 0 });
  // On the phone the navigation row scrolls sideways: keep the current screen's item in sight.
  document.querySelector('.nav a.active')?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  const h = await heading(root);
  const text = h?.textContent?.trim();
  document.title = text ? `${text} – ${appName}` : appName;
  if (h && focus) {
    if (!h.hasAttribute('tabindex')) h.setAttribute('tabindex', '-1');
    h.focus({ preventScroll: true });
  }
}

/**
 * A focused field that sits under the sticky save bar is scrolled up above it
 * (the browser sees it as visible, so focus alone does not scroll).
 */
export function clearOfSaveBar(e: FocusEvent) {
  const field = e.target as HTMLElement | null;
  const bar = document.querySelector('.sticky-save');
  const scroller = document.querySelector('.content');
  // Only fields one types into: moving a chip or a button between press and release would lose the tap.
  if (!field?.matches('input:not([type=checkbox]):not([type=radio]), textarea, select') || !bar || !scroller || bar.contains(field)) return;
  const overlap = field.getBoundingClientRect().bottom + 12 - bar.getBoundingClientRect().top;
  if (overlap > 0) scroller.scrollBy({ top: overlap });
}
