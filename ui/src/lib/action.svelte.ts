// One way to run what a button starts: the screen is busy meanwhile, and
// the outcome, good or bad, is a note in the person's language.
import { errorText } from './errors';
import { t } from './i18n/locale.svelte';

export type Note = { text: string; error: boolean } | null;

/** What a screen is busy with ('' when idle): one long task at a time. */
export class Busy {
  now = $state('');
}

/** An action and its latest note (one per place a note shows). */
export class Action {
  note = $state<Note>(null);
  #busy: () => Busy | undefined;

  /** `busy`: the screen's (a getter, so a component can pass its prop). */
  constructor(busy: () => Busy | undefined = () => undefined) {
    this.#busy = busy;
  }

  /**
   * Runs `work`. With a name (`what`) the screen is busy with it and the
   * old note goes first; `work`'s words, if any, are the new note, an error
   * becomes one. `after` runs last, once the screen is free again.
   * True when `work` succeeded.
   */
  async run(what: string, work: () => Promise<string | null | void>, after?: () => unknown): Promise<boolean> {
    const busy = this.#busy();
    if (what) {
      if (busy) busy.now = what;
      this.note = null;
    }
    try {
      const text = await work();
      this.note = text ? { text, error: false } : null;
      return true;
    } catch (e) {
      this.note = { text: errorText(e, t), error: true };
      return false;
    } finally {
      if (what && busy) busy.now = '';
      await after?.();
    }
  }
}
