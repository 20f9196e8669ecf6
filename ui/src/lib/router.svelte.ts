// Hash routes: #/log (#/log?partner=<id> presets a partner), #/popup, #/timeline, #/encounters/<id>, #/partners,
// #/partners/<id>, #/activities, #/activities/<id>, #/followups, #/effects, #/sync, #/settings.
export type Screen =
  | 'log'
  | 'popup'
  | 'timeline'
  | 'encounter'
  | 'partners'
  | 'partner'
  | 'activities'
  | 'activity'
  | 'followups'
  | 'effects'
  | 'sync'
  | 'settings';
export interface Route {
  screen: Screen;
  id?: string;
  query?: Record<string, string>;
}

export function parse(hash: string): Route {
  const [path, search = ''] = hash.replace(/^#/, '').split('?');
  const query = Object.fromEntries(new URLSearchParams(search));
  const [, a, b] = path.split('/');
  if (a === 'partners' && b) return { screen: 'partner', id: decodeURIComponent(b) };
  if (a === 'encounters' && b) return { screen: 'encounter', id: decodeURIComponent(b) };
  if (a === 'activities' && b) return { screen: 'activity', id: decodeURIComponent(b) };
  const known: Screen[] = ['log', 'popup', 'timeline', 'partners', 'activities', 'followups', 'effects', 'sync', 'settings'];
  const screen = known.includes(a as Screen) ? (a as Screen) : 'log';
  return Object.keys(query).length ? { screen, query } : { screen };
}

let route = $state<Route>(parse(typeof location === 'undefined' ? '' : location.hash));
if (typeof window !== 'undefined') window.addEventListener('hashchange', () => (route = parse(location.hash)));

export const current = () => route;
export function go(path: string) {
  location.hash = path;
}
