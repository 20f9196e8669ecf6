import type {
  ActivityStatus, ConsentBasis, CounterpartKind, Degree, Initiative, Language, Level, Outcome, PartnerKind,
  Perspective, RecordKind, Role,
} from '../../generated';
import type { Key } from './en';

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
