// App-wide state: the status from the core (profile, settings, workspace).
import type { AppStatus, Settings } from '../generated';
import { call } from './api';
import { setLanguage } from './i18n/locale.svelte';

export const app = $state<{ status: AppStatus | null; error: string | null }>({ status: null, error: null });

/** The outdoor theme (high contrast) is a device setting, applied to the whole document. */
function setTheme(s: Settings) {
  if (typeof document !== 'undefined') document.documentElement.dataset.theme = s.outdoor ? 'outdoor' : 'indoor';
}

export async function loadStatus() {
  const s = await call('app_status', {});
  app.status = s;
  setLanguage(s.settings.language);
  setTheme(s.settings);
  return s;
}

export async function saveSettings(settings: Settings) {
  const saved = await call('save_settings', { settings });
  if (app.status) app.status.settings = saved;
  setLanguage(saved.language);
  setTheme(saved);
  return saved;
}
