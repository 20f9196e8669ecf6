// The partner page's forms and words: edit forms filled in from a partner,
// tap-to-call and tap-to-mail links.
import type { Agreement, AgreementEdit, Contact, ContactEdit, Evaluation, EvaluationEdit, Partner, PartnerEdit } from '../generated';

export const partnerEditOf = (p: Partner): PartnerEdit => ({
  name: p.name, kind: p.kind, place: p.place, phone: p.phone ?? '', email: p.email ?? '', tags: p.tags.join(' '),
  note: p.note, personal_note: p.personal_note,
});

export const contactEditOf = (c: Contact): ContactEdit => ({
  id: c.id, contact: { name: c.name, role: c.role, phone: c.phone ?? '', email: c.email ?? '', basis: c.basis },
});

export const agreementEditOf = (a: Agreement): AgreementEdit => ({ ...a });

export const evaluationEditOf = (e: Evaluation): EvaluationEdit => ({ id: e.id, on: e.on, rating: e.rating, note: e.note });

/** A `tel:` link: digits and a leading +, whatever spacing the number was typed with. */
export function telHref(phone: string): string {
  const plus = phone.trim().startsWith('+') ? '+' : '';
  return `tel:${plus}${phone.replace(/[^0-9]/g, '')}`;
}

export const mailHref = (email: string) => `mailto:${email.trim()}`;

/** Does what the person typed match the name (case and surrounding blanks aside)? */
export const confirms = (typed: string, name: string) =>
  typed.trim().toLocaleLowerCase() !== '' && typed.trim().toLocaleLowerCase() === name.trim().toLocaleLowerCase();
