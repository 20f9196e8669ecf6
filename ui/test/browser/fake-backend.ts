// An in-memory stand-in for the Rust commands, for browser tests of the
// UI alone. It is typed by the same generated payload types and command
// map as the real IPC, so it cannot drift from them silently. It is never
// used by the app or by the real-window E2E tests.
import type * as G from '../../src/generated';
import type { CommandName } from '../../src/generated';
import type { Args, Result } from '../../src/lib/api';

type Handlers = { [K in CommandName]: (args: Args<K>) => Result<K> | Promise<Result<K>> };

export interface Fake {
  handle(cmd: string, args: unknown): unknown;
  calls: { cmd: string; args: unknown }[];
  /** The file the system dialog returns next; `null`: the person cancels. */
  pick(path: string | null): void;
}

const uuid = (n: number) => `0190f1f4-8a1c-7cc3-9b8e-${String(n).padStart(12, '0')}`;
const fail = (code: string, message: string): never => {
  throw { code, message } satisfies G.ApiError;
};

export function createFake(scenario: string): Fake {
  let n = 100;
  const now = Date.parse('2026-05-17T12:00:00Z');
  const me: G.StaffMember = { id: uuid(1), name: 'Ingrid Haugen', branch: 'Vadsø', deleted: false };
  const other: G.StaffMember = { id: uuid(2), name: 'Nils Áilo Labba', branch: 'Kárášjohka', deleted: false };
  let settings: G.Settings = { language: 'nb', hub_url: null, popup: null, outdoor: scenario === 'outdoor' };
  let draft: G.QuickLogDraft | null = null;
  let ready = scenario !== 'empty';
  let profile = me;
  const partners: G.Loaded<G.Partner>[] = [];
  const encounters: (G.EncounterRow & { partners: string[] })[] = [];
  const activities: (G.ActivityRow & { partners: string[]; note: string; from_encounters: string[] })[] = [];
  const followUps: Record<string, G.FollowUp[]> = {};
  const conflicts: G.ConflictedRecord[] = [];
  const deleted = new Set<string>();
  const details: Record<string, Partial<G.Encounter>> = {};
  let member = false;
  let hubUrl: string | null = null;
  let hosting: G.LanHosting | null = null;
  const peers: G.PeerStatus[] = [];
  let pending = 3;
  // Records (not changes) no peer has acknowledged, and how the last sync attempt went.
  // A store that never shared counts up to 10,000 and then says "over".
  let unshared = scenario === 'never-shared' ? 10000 : 2;
  let unsharedMore = scenario === 'never-shared';
  let online = false;
  let lastSync: string | null = null;
  // Record histories: seeded lines for the first partner and encounter, a
  // "created" line for any other record, and a line for every change made here.
  const myDevice = '3f1c5a2e-0000-4000-8000-000000000001';
  const nilsDevice = '7b2d9e41-0000-4000-8000-000000000002';
  const histories: Record<string, G.HistoryLine[]> = {};
  let changeNo = 0;
  const historyLine = (action: G.HistoryAction, fields: string[], at: string, who: G.StaffMember | null, device: string): G.HistoryLine => ({
    change: (changeNo++).toString(16).padStart(64, '0'), at, device, staff: who?.id ?? null, staff_name: who?.name ?? null,
    this_device: device === myDevice, action, fields,
  });
  const logChange = (id: string, action: G.HistoryAction, fields: string[]) =>
    historyOf(id).unshift(historyLine(action, [...fields].sort(), new Date().toISOString(), profile, myDevice));

  const partner = (name: string, kind: G.PartnerKind, level: G.Level, place: string): G.Loaded<G.Partner> => {
    const at = new Date(now - 86400e3 * 200).toISOString();
    const p: G.Loaded<G.Partner> = {
      id: uuid(n++), name, kind, level, place, tags: [], note: '', personal_note: '', phone: null, email: null,
      level_history: [{ at, from: null, to: 'network', by: me.id }], contacts: [], agreements: [], evaluations: [],
      created_at: at, merged_into: null, deleted: false, conflicts: [], redacted: false,
    };
    if (level !== 'network') p.level_history.push({ at: new Date(now - 86400e3 * 90).toISOString(), from: 'network', to: level, by: me.id });
    partners.push(p);
    return p;
  };

  if (scenario === 'many-partners') {
    const kinds: G.PartnerKind[] = ['association', 'business', 'school', 'volunteer-group'];
    for (let i = 0; i < 130; i++) partner(`Lag nr. ${String(i + 1).padStart(3, '0')}`, kinds[i % kinds.length], 'network', i % 2 ? 'Vadsø' : 'Alta');
  }
  if (scenario !== 'empty') {
    const husflid = partner('Vadsø husflidslag', 'association', 'partnership', 'Vadsø');
    husflid.contacts.push({ id: 'c1', name: 'Máret Ánte Sara', role: 'leder', phone: '915 00 001', email: 'maret@example.no', basis: 'consent' });
    husflid.agreements.push({
      id: 'a1', title: 'Strikkekafé hver tirsdag', expectations: 'Laget stiller med veiledere, biblioteket med lokale.',
      roles: '', resources: '', results: '', library_gets: 'Nye brukere', partner_gets: 'Gratis lokale',
      agreed_on: '2026-01-10', review_on: '2026-08-01',
    });
    husflid.evaluations.push({ id: 'e1', on: '2026-04-01', by: me.id, rating: 'high', note: 'Godt oppmøte.' });
    partner('Kárášjoga searvi', 'association', 'collaboration', 'Kárášjohka');
    partner('Vadsø ungdomsråd', 'municipal-department', 'network', 'Vadsø');
    const ago = (days: number) => new Date(now - 86400e3 * days).toISOString();
    histories[husflid.id] = [
      historyLine('edited', ['level'], ago(90), me, myDevice),
      historyLine('edited', ['tags'], ago(95), null, '9c0ffee0-0000-4000-8000-000000000003'),
      historyLine('edited', ['contacts.phone', 'phone'], ago(100), other, nilsDevice),
      historyLine('created', [], ago(200), me, myDevice),
    ];
    const places = ['Vadsø torg', 'Biblioteket', 'Kárášjohka skole', 'Ungdomshuset'];
    const persp: G.Perspective[] = ['co-creative', 'service', 'professional', 'authority'];
    for (let i = 0; i < 24; i++) {
      encounters.push({
        id: uuid(n++), when: new Date(now - i * 5 * 3600e3).toISOString(), place: places[i % 4], outside: i % 4 === 0,
        perspective: persp[i % 4], counterpart: i % 3 === 0 ? 'association' : 'citizen', initiative: null, role: null,
        staff: i % 2 ? other.id : me.id, staff_name: i % 2 ? other.name : me.name, branch: 'Vadsø',
        preview: i === 0 ? 'Vil starte strikkekafé på biblioteket' : `Samtale om lesesirkel nr. ${i}`,
        tags: i === 0 ? ['strikking'] : [], partners: i % 3 === 0 ? [husflid.id] : [], local_only: i < 2,
      });
    }
    const fu = (i: number, text: string, due: string | null, owner: G.StaffMember) =>
      (followUps[encounters[i].id] = [{ id: `f${i}`, text, due, owner: owner.id, done: false }]);
    fu(0, 'Sjekk nøkler', '2026-05-12', me);
    fu(1, 'Send plakat til Kárášjohka skole', '2026-05-15', other);
    fu(2, 'Ring husflidslaget om garn', '2026-05-20', me);
    fu(4, 'Bestill bøker på nordsamisk', null, me);
    const st: G.ActivityStatus[] = ['idea', 'planned', 'running', 'running', 'ended', 'dropped'];
    ['Fuglekasseverksted', 'Språkkafé på turné', 'Strikkekafé', 'Sjakkklubb', 'Blomstereng', 'Konsert med lokale musikere'].forEach(
      (title, i) => activities.push({
        id: uuid(n++), title, status: st[i], outside: i % 2 === 0, extra_resources: i === 2 ? false : null,
        place: i % 2 ? 'Biblioteket' : 'Vadsø torg', tags: [], created_at: new Date(now - i * 86400e3).toISOString(),
        partners: i === 2 ? [husflid.id] : [], note: i === 2 ? 'Hver tirsdag kl. 18.' : '',
        from_encounters: i === 2 ? [encounters[0].id] : [],
      }),
    );
  }
  if (scenario === 'duplicates') {
    // The quick log made a second "husflidslag" before the first was found.
    const dup = partner('Husflidslaget i Vadsø', 'association', 'network', '');
    dup.contacts.push({ id: 'c9', name: 'Áslat Somby', role: 'kasserer', phone: '915 37 204', email: null, basis: 'consent' });
    encounters[1].partners = [dup.id];
  }
  if (scenario === 'conflicts') {
    const p = partners[0];
    conflicts.push({
      id: p.id, kind: 'partner', title: p.name,
      conflicts: [{ field: 'phone', values: ['+47 789 55 123', '+47 789 55 999'] }, { field: 'place', values: ['Vadsø', 'Vardø'] }],
    });
  }

  const needStore = () => (ready ? undefined : fail('no_store', 'there is no store yet; create one first'));
  const status = (): G.AppStatus => ({
    data_dir: '/home/bibliotek/.local/share/no.samskap.app', ready, profile: ready ? profile : null,
    workspace_name: ready ? 'Finnmark' : '', device_id: ready ? '3f1c5a2e-0000-4000-8000-000000000001' : null,
    settings, store_error: null,
  });
  // Partners: merged ones resolve to their survivor; erasures keep receipts.
  const survivorOf = (id: string): string => {
    const p = partners.find((x) => x.id === id);
    return p?.merged_into ? survivorOf(p.merged_into) : id;
  };
  const lastMet = (id: string) =>
    encounters.filter((e) => !deleted.has(e.id) && e.partners.some((x) => survivorOf(x) === id)).map((e) => e.when).sort().at(-1) ?? null;
  const row = (p: G.Loaded<G.Partner>): G.PartnerRow => ({
    id: p.id, name: p.name, kind: p.kind, level: p.level, place: p.place, tags: p.tags, last_met: lastMet(p.id),
  });
  const listed = (f: G.PartnerFilter) =>
    partners
      .filter((p) => !p.merged_into)
      .filter((p) => !f.level || p.level === f.level)
      .filter((p) => !f.kind || p.kind === f.kind)
      .filter((p) => !f.text || p.name.toLowerCase().includes(f.text.toLowerCase()))
      .sort((a, b) => a.name.localeCompare(b.name));
  const erasureList: G.ErasureStatus[] = [];
  const devices: G.Device[] = [
    { id: myDevice, name: 'Ingrids nettbrett', last_seen_ms: null, revoked: false, this_device: true },
    { id: nilsDevice, name: 'Nils sitt nettbrett', last_seen_ms: now - 3600e3 * 5, revoked: false, this_device: false },
    { id: '9c4e0f12-0000-4000-8000-000000000003', name: '', last_seen_ms: null, revoked: false, this_device: false },
  ];
  let retention = 24;
  const planOf = (keep: string, drop: string): G.MergePlan => {
    if (keep === drop) fail('merge_same', 'a partner cannot be merged with itself');
    const k = getPartner(keep), d = getPartner(drop);
    if (k.merged_into || d.merged_into) fail('already_merged', `${d.id} has already been merged into another partner`);
    return {
      keep, drop, encounters: encounters.filter((e) => e.partners.includes(drop)).length,
      activities: activities.filter((a) => a.partners.includes(drop)).length,
      agreements: d.agreements.length, evaluations: d.evaluations.length, contacts: d.contacts.length, level_moves: d.level_history.length,
    };
  };
  const noItem = (what: string, id: string): never => fail('no_item', `partner has no ${what} with id ${id}; it may have been removed on another device`);
  const historyOf = (id: string): G.HistoryLine[] => {
    if (histories[id]) return histories[id];
    const e = encounters.find((x) => x.id === id);
    const p = partners.find((x) => x.id === id);
    const a = activities.find((x) => x.id === id);
    if (!e && !p && !a) fail('not_found', `no record with id ${id}`);
    const who = e ? (e.staff === other.id ? other : me) : me;
    const at = e?.when ?? p?.created_at ?? a?.created_at ?? new Date(now).toISOString();
    return (histories[id] = [historyLine('created', [], at, who, who === me ? myDevice : nilsDevice)]);
  };
  const getPartner = (id: string) => partners.find((p) => p.id === id) ?? fail('not_found', `no record with id ${id}`);
  const encounter = (id: string): G.Loaded<G.Encounter> => {
    const r = encounters.find((e) => e.id === id) ?? fail('not_found', `no record with id ${id}`);
    return {
      id: r.id, when: r.when, place: r.place, outside: r.outside, staff: r.staff, branch: r.branch, colleagues: [],
      counterpart: r.counterpart, partners: r.partners, perspective: r.perspective, initiative: r.initiative, role: r.role,
      idea: '', note: r.preview, tags: r.tags, outcomes: [], photo: null, deleted: deleted.has(id),
      follow_ups: structuredClone(followUps[r.id] ?? []),
      ...details[id], conflicts: [], redacted: false,
    };
  };
  const sharing = (): G.Sharing => ({ unshared_records: unshared, unshared_more: unsharedMore, last_sync: lastSync, last_attempt: lastSync, online: online || hosting !== null });
  const syncStatus = (): G.SyncStatus => ({ workspace_name: 'Finnmark', hub_url: hubUrl, member, pending, peers: structuredClone(peers), sharing: sharing() });
  const today = new Date(now).toISOString().slice(0, 10);
  const followUpRows = (f: G.FollowUpFilter): G.FollowUpRow[] =>
    encounters
      .filter((e) => !deleted.has(e.id))
      .flatMap((e) => (followUps[e.id] ?? []).map((x) => ({ e, x })))
      .filter(({ x }) => f.include_done || !x.done)
      .filter(({ x }) => f.all || x.owner === me.id)
      .map(({ e, x }) => ({
        encounter: e.id, item: x.id, text: x.text, due: x.due, overdue: !x.done && x.due !== null && x.due < today, done: x.done,
        owner: x.owner, owner_name: x.owner === me.id ? me.name : other.name, when: e.when, place: e.place,
      }))
      .sort((a, b) => Number(a.done) - Number(b.done) || Number(a.due === null) - Number(b.due === null) || (a.due ?? '').localeCompare(b.due ?? '') || a.when.localeCompare(b.when));
  const getActivity = (id: string) => activities.find((x) => x.id === id) ?? fail('not_found', `no record with id ${id}`);
  const loadedActivity = (a: (typeof activities)[number]): G.Loaded<G.Activity> =>
    ({ ...strip(a), note: a.note, from_encounters: [...a.from_encounters], starts_on: null, deleted: false, partners: [...a.partners], conflicts: [], redacted: false });
  const seen = (url: string, isHub: boolean) => {
    const at = new Date(now).toISOString();
    const p = peers.find((x) => x.url === url);
    if (p) p.last_seen = at;
    else peers.push({ id: uuid(900 + peers.length), is_hub: isHub, url, last_seen: at, pending: 0 });
    pending = 0;
    unshared = 0;
    unsharedMore = false;
    online = true;
    lastSync = at;
    for (const e of encounters) e.local_only = false;
  };
  const strip = <T extends { partners: string[] }>({ partners: _, ...rest }: T) => rest;
  const stripActivity = ({ partners: _, note: _n, from_encounters: _f, ...rest }: (typeof activities)[number]): G.ActivityRow => rest;

  const months = (from: string, to: string): string[] => {
    const out: string[] = [];
    let [y, m] = from.split('-').map(Number);
    const [ty, tm] = to.split('-').map(Number);
    while (y < ty || (y === ty && m <= tm)) {
      out.push(`${y}-${String(m).padStart(2, '0')}`);
      if (++m > 12) [y, m] = [y + 1, 1];
    }
    return out;
  };
  const counts = (co_creative: number, professional: number, authority: number, service: number) => ({ co_creative, professional, authority, service });
  const share = (a: number, b: number) => (b ? Math.round((a / b) * 10000) / 10000 : 0);
  const report = (f: G.ReportFilter): G.Report => {
    const from = f.from ?? '2025-06-01', to = f.to ?? '2026-05-17';
    if (from > to) fail('bad_period', `the period starts (${from}) after it ends (${to})`);
    const ms = months(from, to);
    const per = ms.map((month, i) => {
      const c = counts(8 + (i % 5), 4 + (i % 3), 1, 6 + (i % 4));
      const total = c.co_creative + c.professional + c.authority + c.service;
      return { month, by_perspective: c, encounters: total, co_creative_share: share(c.co_creative, total) };
    });
    const sum = per.reduce((a, m) => counts(a.co_creative + m.by_perspective.co_creative, a.professional + m.by_perspective.professional,
      a.authority + m.by_perspective.authority, a.service + m.by_perspective.service), counts(0, 0, 0, 0));
    const total = sum.co_creative + sum.professional + sum.authority + sum.service;
    const levels = ms.map((month, i) => ({ month, levels: { network: 14 + i, collaboration: 6 + Math.floor(i / 2), partnership: 2 + Math.floor(i / 4) } }));
    const end = levels.at(-1)?.levels ?? { network: 0, collaboration: 0, partnership: 0 };
    return {
      period: { from, to }, filter: f, months: ms,
      personal: {
        encounters: total, by_perspective: sum, co_creative_share: share(sum.co_creative, total),
        initiative: { citizen: Math.round(total * 0.55), library: Math.round(total * 0.4), unknown: total - Math.round(total * 0.55) - Math.round(total * 0.4) },
        role: { active: Math.round(sum.co_creative * 0.4), facilitating: sum.co_creative - Math.round(sum.co_creative * 0.4), unknown: 0 },
        per_staff: [me, other].map((s, i) => ({ staff: s.id, name: s.name, branch: s.branch, by_perspective: sum, encounters: Math.round(total / (i + 2)), co_creative_share: 0.4 })),
        per_month: per,
      },
      institutional: {
        team_size: 6, staff_logging: 5, staff_co_creative: 4,
        per_month: ms.map((month, i) => ({ month, staff_logging: 3 + (i % 3), staff_co_creative: 2 + (i % 3) })),
        branches: [
          { branch: 'Kárášjohka', encounters: Math.round(total * 0.4), co_creative: Math.round(sum.co_creative * 0.4), co_creative_share: 0.41, staff_co_creative: 2 },
          { branch: 'Vadsø', encounters: Math.round(total * 0.6), co_creative: Math.round(sum.co_creative * 0.6), co_creative_share: 0.39, staff_co_creative: 2 },
        ],
      },
      relevance: {
        new_activities: ms.length * 2, by_status: { idea: ms.length, planned: 2, running: ms.length - 4 > 0 ? ms.length - 4 : 0, ended: 1, dropped: 1 },
        inside: ms.length, outside: ms.length, without_extra_resources: ms.length + 3, with_extra_resources: ms.length - 3, resources_unknown: 0,
        per_month: ms.map((month, i) => ({ month, inside: 1 + (i % 2), outside: 1 - (i % 2) + (i % 3 === 0 ? 1 : 0) })),
        encounters_marked_new_activity: ms.length * 2, encounters_origin_of_activity: ms.length * 2 - 1, encounters_outside: Math.round(total / 3),
      },
      visibility: {
        levels_at_start: levels[0]?.levels ?? end, levels_at_end: end, levels_per_month: levels,
        new_partners: ms.length, moves_up: Math.round(ms.length * 0.8), moves_down: 2,
        moves: [], kinds: [{ kind: 'association', partners: 9, new: 3, met: 7 }, { kind: 'municipal-department', partners: 4, new: 1, met: 4 }],
        departments: { encounters: 12, from_departments: 5, to_departments: 7, invitations: 3 },
      },
    };
  };
  // The file the system dialog "picks" next (tests set it; null = the person cancels).
  let picked: string | null = '/home/bibliotek/partnere.csv';
  const importPlan = (path: string, options: G.ImportOptions | null = null): G.ImportPlan => {
    if (!path.endsWith('partnere.csv')) fail('io', `kan ikke lese ${path}: No such file or directory (os error 2)`);
    const known = new Set(partners.map((p) => p.name));
    const maps = new Map((options?.maps ?? []).map((m) => m.split('=') as [string, string]));
    const rows: [number, string, G.PartnerKind, G.Level][] = [
      [4, 'Vadsø husflidslag', 'association', 'partnership'], [5, 'Kulturskolen', 'municipal-department', 'network'],
      [6, 'Coop Extra Vadsø AS', 'business', 'network'], [9, 'Guovdageaidnu girjer?jus venner', 'volunteer-group', 'collaboration'],
    ];
    const galleri = maps.get('Galleri') as G.PartnerKind | undefined;
    if (galleri) rows.push([10, 'Galleri Nord', galleri, 'network']);
    return {
      detected: 'xlsx (Partnere)', header_line: 3,
      columns: [{ header: 'Navn', field: 'name' }, { header: 'Type', field: 'kind' }], ignored_columns: ['Farge'], rows: 8,
      create: rows.filter((r) => !known.has(r[1])).map(([line, name, kind, level]) => ({ line, name, kind, level, place: 'Vadsø', has_phone: false, has_email: false, contact: null, tags: [] })),
      skipped: rows.filter((r) => known.has(r[1])).map(([line, name]) => ({ line, name, reason: 'finnes allerede i Samskap' })),
      bad: [
        { line: 8, reason: "'sjakk@@example' er ikke en e-postadresse" },
        ...(galleri ? [] : [{ line: 10, reason: '«Galleri» er ikke en partnertype Samskap kjenner; typene er: Lag og forening (association), …' }]),
      ],
      warnings: [{ line: 9, message: '«Guovdageaidnu girjer?jus venner» har «?» der det skulle stått en bokstav' }],
      unknown_terms: galleri ? [] : [{ field: 'kind', term: 'Galleri', lines: [10] }],
    };
  };

  const h: Handlers = {
    app_status: () => status(),
    init_store: ({ input }) => {
      if (!input.staff.trim()) fail('invalid', 'staff name must not be empty');
      ready = true;
      profile = { ...me, name: input.staff, branch: input.branch };
      return status();
    },
    mark_interactive: () => ({ since_start_ms: 1 }),
    log_encounter: ({ form }) => {
      needStore();
      if (form.note.length > 10000) fail('invalid', 'note is too long (10001 characters, at most 10000)');
      // Partners typed into the picker are made only now, with the encounter.
      const made = form.new_partners.map((np) => partner(np.name.trim(), np.kind, 'network', np.place || form.place.trim()).id);
      const id = uuid(n++);
      encounters.unshift({
        id, when: form.when ?? new Date().toISOString(), place: form.place.trim(), outside: form.outside, perspective: form.perspective,
        counterpart: form.counterpart, initiative: form.initiative, role: form.role, staff: profile.id, staff_name: profile.name,
        branch: profile.branch, preview: form.note.trim().slice(0, 64), tags: form.tags.split(/[\s,]+/).filter(Boolean),
        partners: [...form.partners, ...made], local_only: true,
      });
      encounters.sort((a, b) => b.when.localeCompare(a.when));
      if (form.follow_up && (form.follow_up.text.trim() || form.follow_up.due)) {
        followUps[id] = [{ id: `f${n++}`, text: form.follow_up.text.trim(), due: form.follow_up.due, owner: profile.id, done: false }];
      }
      unshared++;
      return { encounter: id, partners: made };
    },
    undo_log: ({ logged }) => {
      deleted.add(logged.encounter);
      for (const p of logged.partners) partners.splice(partners.findIndex((x) => x.id === p), 1);
      return null;
    },
    quick_picks: () => {
      const mine = encounters.filter((e) => e.staff === profile.id && !deleted.has(e.id));
      const ps = [...new Set(mine.flatMap((e) => e.partners))].map(getPartner)
        .map((p) => ({ id: p.id, name: p.name, kind: p.kind, counterpart: (p.kind === 'volunteer-group' ? 'volunteer' : p.kind) as G.CounterpartKind }));
      const places = [...new Set(mine.map((e) => e.place).filter(Boolean))]
        .map((place) => ({ place, outside: mine.find((e) => e.place === place)!.outside }));
      return { partners: ps.slice(0, 8), places: places.slice(0, 8) };
    },
    popup_tally: ({ since }) => {
      const mine = encounters.filter((e) => e.staff === profile.id && !deleted.has(e.id) && e.when >= since);
      const tally = <T extends string>(of: (e: (typeof mine)[number]) => T): [T, number][] => {
        const n = new Map<T, number>();
        for (const e of mine) n.set(of(e), (n.get(of(e)) ?? 0) + 1);
        return [...n].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      };
      const minutes = Math.max(0, Math.floor((Date.now() - Date.parse(since)) / 60000));
      return { count: mine.length, minutes, by_perspective: tally((e) => e.perspective), by_counterpart: tally((e) => e.counterpart) };
    },
    load_draft: () => structuredClone(draft),
    save_draft: ({ draft: d }) => {
      draft = d;
      return null;
    },
    list_encounters: ({ filter: f }) => {
      needStore();
      const words = (f.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
      return encounters
        .filter((e) => !deleted.has(e.id))
        .filter((e) => !f.perspective || e.perspective === f.perspective)
        .filter((e) => !f.staff || e.staff === f.staff)
        .filter((e) => !f.partner || e.partners.includes(f.partner))
        .filter((e) => !f.place || e.place.toLowerCase().includes(f.place.toLowerCase()))
        .filter((e) => !f.since || e.when >= f.since)
        .filter((e) => words.every((w) => `${e.place} ${e.preview} ${e.tags.join(' ')}`.toLowerCase().includes(w)))
        .slice(f.offset, f.offset + (f.limit ?? 50))
        .map(strip);
    },
    get_encounter: ({ id }) => encounter(id),
    list_staff: () => [me, other].map(({ id, name, branch }) => ({ id, name, branch })),
    list_partners: ({ filter: f }) => listed(f).slice(f.offset, f.offset + (f.limit ?? 50)).map(row),
    count_partners: ({ filter: f }) => listed(f).length,
    partner_overview: ({ id }) => {
      getPartner(id);
      const merged = partners.filter((p) => p.merged_into && survivorOf(p.id) === id).map((p) => ({
        id: p.id, name: p.name, contacts: p.contacts, level_history: p.level_history, note: p.note, agreements: [], evaluations: [],
      }));
      return { survivor: survivorOf(id) === id ? null : survivorOf(id), merged, last_met: lastMet(id) };
    },
    update_partner: ({ id, edit }) => {
      const p = getPartner(id);
      if (!edit.name.trim()) fail('invalid', 'name must not be empty');
      const next = {
        name: edit.name.trim(), kind: edit.kind, place: edit.place.trim(), phone: edit.phone.trim() || null, email: edit.email.trim() || null,
        tags: edit.tags.split(/[\s,]+/).map((t) => t.replace(/^#/, '')).filter(Boolean), note: edit.note.trim(), personal_note: edit.personal_note.trim(),
      };
      const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => JSON.stringify(p[k]) !== JSON.stringify(next[k]));
      if (changed.length) logChange(id, 'edited', changed);
      Object.assign(p, next);
      return p;
    },
    update_contact: ({ id, edit }) => {
      const p = getPartner(id);
      const c = p.contacts.find((x) => x.id === edit.id) ?? noItem('contact person', edit.id);
      if (!edit.contact.name.trim()) fail('invalid', 'contact name must not be empty');
      Object.assign(c, { name: edit.contact.name.trim(), role: edit.contact.role.trim(), phone: edit.contact.phone.trim() || null, email: edit.contact.email.trim() || null, basis: edit.contact.basis });
      logChange(id, 'edited', ['contacts.name']);
      return p;
    },
    update_agreement: ({ id, edit }) => {
      const p = getPartner(id);
      const a = p.agreements.find((x) => x.id === edit.id) ?? noItem('agreement', edit.id);
      Object.assign(a, edit);
      logChange(id, 'edited', ['agreements.title']);
      return p;
    },
    update_evaluation: ({ id, edit }) => {
      const p = getPartner(id);
      const e = p.evaluations.find((x) => x.id === edit.id) ?? noItem('evaluation', edit.id);
      Object.assign(e, edit);
      logChange(id, 'edited', ['evaluations.rating']);
      return p;
    },
    remove_partner_item: ({ id, item, itemId }) => {
      const p = getPartner(id);
      const list = item === 'agreement' ? p.agreements : p.evaluations;
      const at = list.findIndex((x) => x.id === itemId);
      if (at < 0) noItem(item, itemId);
      list.splice(at, 1);
      logChange(id, 'edited', [item === 'agreement' ? 'agreements' : 'evaluations']);
      return p;
    },
    erase_contact: ({ id, contact }) => {
      const p = getPartner(id);
      const at = p.contacts.findIndex((c) => c.id === contact);
      if (at < 0) noItem('contact person', contact);
      p.contacts.splice(at, 1);
      return p;
    },
    erase_partner: ({ id }) => {
      const at = partners.findIndex((p) => p.id === id);
      if (at < 0) fail('not_found', `no record with id ${id}`);
      partners.splice(at, 1);
      const erased_ms = Date.now();
      const status: G.ErasureStatus = { record: id, erased_ms, receipts: [{ device: myDevice, name: 'Ingrids nettbrett', this_device: true, at_ms: erased_ms }] };
      erasureList.unshift(status);
      return status;
    },
    erasures: () => erasureList,
    plan_merge: ({ keep, drop }) => planOf(keep, drop),
    merge_partners: ({ keep, drop }) => {
      const plan = planOf(keep, drop);
      const k = getPartner(keep), d = getPartner(drop);
      for (const e of encounters) if (e.partners.includes(drop)) e.partners = [...new Set(e.partners.map((x) => (x === drop ? keep : x)))];
      for (const a of activities) if (a.partners.includes(drop)) a.partners = [...new Set(a.partners.map((x) => (x === drop ? keep : x)))];
      k.agreements.push(...d.agreements.filter((a) => !k.agreements.some((x) => x.id === a.id)));
      k.evaluations.push(...d.evaluations.filter((e) => !k.evaluations.some((x) => x.id === e.id)));
      k.tags = [...new Set([...k.tags, ...d.tags])];
      d.merged_into = keep;
      return plan;
    },
    list_devices: () => structuredClone(devices),
    revoke_device: ({ device }) => {
      const d = devices.find((x) => x.id === device) ?? fail('not_found', `no device ${device}`);
      if (d.this_device) fail('own_device', 'this device cannot revoke itself; revoke it from another device');
      d.revoked = true;
      return structuredClone(devices);
    },
    retention_months: () => retention,
    set_retention_months: ({ months }) => {
      if (!(months >= 1)) fail('invalid', `retention period: '${months}' is not at least 1 month`);
      retention = months;
      return retention;
    },
    create_partner: ({ form }) => {
      if (!form.name.trim()) fail('invalid', 'name must not be empty');
      return partner(form.name.trim(), form.kind, 'network', form.place);
    },
    get_partner: ({ id }) => getPartner(id),
    move_partner: ({ id, level }) => {
      const p = getPartner(id);
      if (p.level !== level) logChange(id, 'edited', ['level']);
      if (p.level !== level) p.level_history.push({ at: new Date().toISOString(), from: p.level, to: level, by: me.id });
      p.level = level;
      return p;
    },
    add_contact: ({ id, contact }) => {
      const p = getPartner(id);
      if (!contact.name.trim()) fail('invalid', 'contact name must not be empty');
      logChange(id, 'edited', ['contacts']);
      p.contacts.push({ id: `c${n++}`, name: contact.name, role: contact.role, phone: contact.phone || null, email: contact.email || null, basis: contact.basis });
      return p;
    },
    add_agreement: ({ id, agreement: a }) => {
      const p = getPartner(id);
      logChange(id, 'edited', ['agreements']);
      p.agreements.push({ id: `a${n++}`, ...a, roles: '', resources: '', results: '', agreed_on: '2026-05-17' });
      return p;
    },
    add_evaluation: ({ id, evaluation: e }) => {
      const p = getPartner(id);
      logChange(id, 'edited', ['evaluations']);
      p.evaluations.push({ id: `e${n++}`, by: me.id, ...e });
      return p;
    },
    list_activities: ({ filter: f }) =>
      activities.filter((a) => !f.status || a.status === f.status).filter((a) => !f.partner || a.partners.includes(f.partner)).map(stripActivity),
    create_activity: ({ form }) => {
      const a = {
        id: uuid(n++), title: form.title.trim(), status: form.status, outside: form.outside, extra_resources: null,
        place: form.place, tags: [], created_at: new Date().toISOString(), partners: form.partners, note: '',
        from_encounters: form.from_encounters,
      };
      activities.unshift(a);
      unshared++;
      return loadedActivity(a);
    },
    set_activity_status: ({ id, status: s }) => {
      const a = getActivity(id);
      if (a.status !== s) logChange(id, 'edited', ['status']);
      a.status = s;
      return loadedActivity(a);
    },
    get_activity: ({ id }) => loadedActivity(getActivity(id)),
    update_activity: ({ id, edit }) => {
      const a = getActivity(id);
      if (!edit.title.trim()) fail('invalid', 'title must not be empty');
      const before = loadedActivity(a);
      Object.assign(a, {
        title: edit.title.trim(), status: edit.status, partners: [...new Set(edit.partners)], from_encounters: [...new Set(edit.from_encounters)],
        outside: edit.outside, place: edit.place.trim(), extra_resources: edit.extra_resources, note: edit.note.trim(),
        tags: edit.tags.split(/[\s,]+/).filter(Boolean),
      });
      const after = loadedActivity(a);
      const keys = ['title', 'status', 'partners', 'from_encounters', 'outside', 'place', 'extra_resources', 'note', 'tags'] as const;
      const fields = keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
      if (fields.length) logChange(id, 'edited', fields);
      pending++;
      return after;
    },
    activity_from_encounter: ({ id }) => {
      const e = encounter(id);
      const a = {
        id: uuid(n++), title: e.idea || e.note.split('\n')[0] || `Aktivitet fra møtet på ${e.place}`, status: 'idea' as const,
        outside: e.outside, extra_resources: null, place: e.place, tags: [], created_at: new Date().toISOString(),
        partners: [...e.partners], note: '', from_encounters: [id],
      };
      activities.unshift(a);
      unshared++;
      return a.id;
    },
    list_follow_ups: ({ filter }) => followUpRows(filter),
    overdue_follow_ups: () => followUpRows({ all: false, include_done: false }).filter((r) => r.overdue).length,
    set_follow_up_done: ({ encounter: id, item, done }) => {
      const x = (followUps[id] ?? []).find((f) => f.id === item) ?? fail('no_follow_up', `encounter ${id} has no follow-up ${item}`);
      x.done = done;
      logChange(id, 'edited', ['follow_ups.done']);
      pending++;
      if (!encounters.find((e) => e.id === id)?.local_only) unshared++;
      return encounter(id);
    },
    save_settings: ({ settings: s }) => {
      if (s.hub_url && !/^https:\/\//.test(s.hub_url)) {
        fail('bad_hub_url', `'${s.hub_url}' is not a hub address; use https://…, or http:// only on this machine or the local network`);
      }
      settings = s;
      return s;
    },
    update_profile: ({ edit }) => (profile = { ...profile, ...edit }),
    conflicts_inbox: () => ({ records: structuredClone(conflicts), checked: partners.length + activities.length + 2 }),
    resolve_conflicts: ({ id, choices }) => {
      const i = conflicts.findIndex((c) => c.id === id);
      if (i < 0) fail('not_found', `no record with id ${id}`);
      const p = getPartner(id);
      for (const c of choices) if (c.field === 'place') p.place = c.value; else if (c.field === 'phone') p.phone = c.value;
      conflicts.splice(i, 1);
      return null;
    },
    report: ({ filter }) => (needStore(), report(filter)),
    export: ({ options, path }) => {
      const p = report(options.filter).period;
      return { format: options.format, path: path ?? `/home/bibliotek/.local/share/no.samskap.app/exports/samskap-effects-${p.from}-${p.to}.${options.format}`, rows: 1234, bytes: 56789 };
    },
    save_export: ({ options }) => {
      if (picked === null) return null;
      return { format: options.format, path: `/home/bibliotek/Dokumenter/samskap-effects.${options.format}`, rows: 1234, bytes: 56789 };
    },
    choose_partner_import: ({ options }) => {
      if (picked === null) return null;
      return { path: picked, name: picked.split('/').at(-1) ?? picked, plan: importPlan(picked, options) };
    },
    preview_partner_import: ({ path, options }) => importPlan(path, options),
    import_partners: ({ path, options }) => {
      const plan = importPlan(path, options);
      for (const c of plan.create) partner(c.name, c.kind, c.level, c.place);
      return { created: plan.create.length, ids: [] };
    },
    update_encounter: ({ id, edit }) => {
      const r = encounters.find((e) => e.id === id) ?? fail('not_found', `no record with id ${id}`);
      const before = encounter(id);
      const tags = edit.tags.split(/[\s,]+/).filter(Boolean);
      Object.assign(r, { when: edit.when, place: edit.place.trim(), outside: edit.outside, perspective: edit.perspective,
        counterpart: edit.counterpart, initiative: edit.initiative, role: edit.role, preview: edit.note.trim().slice(0, 64), tags,
        partners: edit.partners });
      details[id] = { idea: edit.idea.trim(), note: edit.note.trim(), outcomes: edit.outcomes };
      pending++;
      const after = encounter(id);
      const keys = ['when', 'place', 'outside', 'perspective', 'counterpart', 'initiative', 'role', 'idea', 'note', 'tags', 'outcomes'] as const;
      const fields = keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
      if (fields.length) logChange(id, 'edited', fields);
      return after;
    },
    delete_record: ({ id }) => {
      encounter(id);
      deleted.add(id);
      logChange(id, 'deleted', []);
      return 'encounter';
    },
    restore_record: ({ id }) => {
      deleted.delete(id);
      logChange(id, 'restored', []);
      return 'encounter';
    },
    record_history: ({ id }) => ({
      id, kind: encounters.some((e) => e.id === id) ? 'encounter' : partners.some((p) => p.id === id) ? 'partner' : 'activity',
      entries: structuredClone(historyOf(id)),
    }),
    sync_status: () => syncStatus(),
    sync_state: () => sharing(),
    sync_now: ({ url, progress }) => {
      const target = url ?? hubUrl ?? fail('not_joined', 'this device has not joined a workspace yet');
      if (scenario === 'sync-error' || !target.startsWith('http')) {
        online = false;
        fail('unreachable', `could not reach ${target}: connection refused`);
      }
      const rounds: G.SyncProgress[] = [
        { round_trips: 1, sent: pending, received: 40, new_changes: 40, records_changed: 12, done: false },
        { round_trips: 2, sent: pending, received: 52, new_changes: 52, records_changed: 15, done: false },
      ];
      // Round trips take a moment, so the screen's progress can be seen.
      const pause = () => new Promise((r) => setTimeout(r, 400));
      return (async () => {
        for (const r of rounds) {
          progress.onmessage(r);
          await pause();
        }
        seen(target, url === null);
        return { ...rounds[1], done: true };
      })();
    },
    join_workspace: ({ url, invite }) => {
      if (!/^https?:\/\//.test(url)) fail('bad_url', `${url} is not a hub address`);
      if (invite !== 'ABCD-EFGH-JKLM') fail('unauthorized', "not allowed: that invite code is not this session's");
      member = true;
      if (url.startsWith('https')) hubUrl = url;
      return syncStatus();
    },
    host_lan: () => {
      member = true;
      hosting ??= {
        url: 'http://192.168.43.17:41873', invite: 'QRST-VWXY-2345',
        link: 'samskap:join?url=http://192.168.43.17:41873&invite=QRST-VWXY-2345',
        qr_svg: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 29 29"><rect width="29" height="29" fill="#fff"/><path d="M4 4h7v7H4zM18 4h7v7h-7zM4 18h7v7H4zM13 13h3v3h-3z" fill="#000"/></svg>',
      };
      return hosting;
    },
    lan_hosting: () => hosting,
    stop_lan: () => {
      hosting = null;
      return null;
    },
    discover_lan: () => [{ name: 'samskap-0190f1f48a1c._samskap._tcp.local.', workspace: 'Finnmark', url: 'http://192.168.43.17:41873' }],
    export_bundle: () => 48213,
    import_bundle: ({ progress }) => {
      return (async () => {
        for (const done of [0, 4000, 8000]) {
          progress.onmessage({ done, total: 8000 });
          await new Promise((r) => setTimeout(r, 300));
        }
        return { new_changes: 8123, records: 8000 };
      })();
    },
  };

  const calls: Fake['calls'] = [];
  return {
    calls,
    pick(path) {
      picked = path;
    },
    handle(cmd, args) {
      calls.push({ cmd, args });
      const f = (h as Record<string, (a: unknown) => unknown>)[cmd];
      if (!f) fail('ipc', `command ${cmd} not found`);
      return f(args);
    },
  };
}
