import type {
  ActivityStatus, ConsentBasis, CounterpartKind, Degree, Initiative, Language, Level, Outcome, PartnerKind,
  Perspective, RecordKind, Role,
} from '../../generated';
import type { nb } from './nb';

/** A dictionary: the namespaces and keys of nb (the source), each a string. */
export type Dictionary<T = typeof nb> = { readonly [K in keyof T]: T[K] extends string ? string : Dictionary<T[K]> };

/** Every key as written in `t(…)`: its namespaces and name, dotted (`sync.lan.title`). */
export type Key<T = typeof nb, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Key<T[K], `${P}${K}.`>;
}[keyof T & string];

/** A dictionary flattened to its dotted keys. */
export type Strings = { readonly [K in Key]: string };

/** Names of the domain's values, per language. Keys come from the generated Rust enums. */
export interface Labels {
  perspective: Record<Perspective, string>;
  counterpart: Record<CounterpartKind, string>;
  partnerKind: Record<PartnerKind, string>;
  level: Record<Level, string>;
  initiative: Record<Initiative, string>;
  role: Record<Role, string>;
  status: Record<ActivityStatus, string>;
  outcome: Record<Outcome, string>;
  degree: Record<Degree, string>;
  basis: Record<ConsentBasis, string>;
  kind: Record<RecordKind, string>;
  language: Record<Language, string>;
}
