import type { Labels } from './types';
import type { Language } from '../../generated';

// Language names are written in their own language, so a person can find theirs.
const language = { nb: 'Norsk bokmål', da: 'Dansk', en: 'English' } as const;

export const labels: Record<Language, Labels> = {
  nb: {
    perspective: { 'co-creative': 'Samskapende', professional: 'Faglig', authority: 'Myndighet', service: 'Service' },
    counterpart: {
      citizen: 'Innbygger', association: 'Lag og forening', volunteer: 'Frivillig', business: 'Næringsliv',
      'municipal-department': 'Kommunal etat', school: 'Skole', 'public-body': 'Offentlig instans',
    },
    partnerKind: {
      association: 'Lag og forening', business: 'Næringsliv', 'public-body': 'Offentlig instans',
      'municipal-department': 'Kommunal etat', school: 'Skole', 'volunteer-group': 'Frivilliggruppe', citizen: 'Innbygger',
    },
    level: { network: 'Nettverk', collaboration: 'Samarbeid', partnership: 'Partnerskap' },
    initiative: { citizen: 'Innbygger/partner', library: 'Biblioteket' },
    role: { active: 'Aktiv medskaper', facilitating: 'Tilrettelegger' },
    status: { idea: 'Idé', planned: 'Planlagt', running: 'Pågår', ended: 'Avsluttet', dropped: 'Droppet' },
    outcome: {
      'new-activity': 'Ny aktivitet', 'grew-network': 'Større nettverk', visibility: 'Synlighet',
      invitation: 'Invitasjon', 'new-volunteer': 'Ny frivillig',
    },
    degree: { 'very-high': 'I svært høy grad', high: 'I høy grad', some: 'I noen grad', low: 'I liten grad', 'not-at-all': 'Ikke i det hele tatt' },
    basis: { consent: 'Samtykke', agreement: 'Avtale', 'legitimate-interest': 'Berettiget interesse', 'public-task': 'Offentlig oppgave' },
    kind: { encounter: 'Møte', partner: 'Partner', activity: 'Aktivitet', staff: 'Ansatt' },
    language,
  },
  da: {
    perspective: { 'co-creative': 'Samskabende', professional: 'Fagligt', authority: 'Myndighed', service: 'Servicerende' },
    counterpart: {
      citizen: 'Borger', association: 'Forening', volunteer: 'Frivillig', business: 'Erhvervsliv',
      'municipal-department': 'Kommunal forvaltning', school: 'Skole', 'public-body': 'Offentlig myndighed',
    },
    partnerKind: {
      association: 'Forening', business: 'Erhvervsliv', 'public-body': 'Offentlig myndighed',
      'municipal-department': 'Kommunal forvaltning', school: 'Skole', 'volunteer-group': 'Frivilliggruppe', citizen: 'Borger',
    },
    level: { network: 'Netværk', collaboration: 'Samarbejde', partnership: 'Partnerskab' },
    initiative: { citizen: 'Borger/partner', library: 'Biblioteket' },
    role: { active: 'Aktiv medskaber', facilitating: 'Faciliterende' },
    status: { idea: 'Idé', planned: 'Planlagt', running: 'I gang', ended: 'Afsluttet', dropped: 'Droppet' },
    outcome: {
      'new-activity': 'Ny aktivitet', 'grew-network': 'Større netværk', visibility: 'Synlighed',
      invitation: 'Invitation', 'new-volunteer': 'Ny frivillig',
    },
    degree: { 'very-high': 'I meget høj grad', high: 'I høj grad', some: 'I nogen grad', low: 'I lav grad', 'not-at-all': 'Slet ikke' },
    basis: { consent: 'Samtykke', agreement: 'Aftale', 'legitimate-interest': 'Legitim interesse', 'public-task': 'Offentlig opgave' },
    kind: { encounter: 'Møde', partner: 'Partner', activity: 'Aktivitet', staff: 'Medarbejder' },
    language,
  },
  en: {
    perspective: { 'co-creative': 'Co-creative', professional: 'Professional', authority: 'Authority', service: 'Service' },
    counterpart: {
      citizen: 'Citizen', association: 'Association', volunteer: 'Volunteer', business: 'Business',
      'municipal-department': 'Municipal department', school: 'School', 'public-body': 'Public body',
    },
    partnerKind: {
      association: 'Association', business: 'Business', 'public-body': 'Public body',
      'municipal-department': 'Municipal department', school: 'School', 'volunteer-group': 'Volunteer group', citizen: 'Citizen',
    },
    level: { network: 'Network', collaboration: 'Collaboration', partnership: 'Partnership' },
    initiative: { citizen: 'Citizen/partner', library: 'The library' },
    role: { active: 'Active co-creator', facilitating: 'Facilitating' },
    status: { idea: 'Idea', planned: 'Planned', running: 'Running', ended: 'Ended', dropped: 'Dropped' },
    outcome: {
      'new-activity': 'New activity', 'grew-network': 'Grew the network', visibility: 'Visibility',
      invitation: 'Invitation', 'new-volunteer': 'New volunteer',
    },
    degree: { 'very-high': 'In very high degree', high: 'In high degree', some: 'In some degree', low: 'In low degree', 'not-at-all': 'Not at all' },
    basis: { consent: 'Consent', agreement: 'Agreement', 'legitimate-interest': 'Legitimate interest', 'public-task': 'Public task' },
    kind: { encounter: 'Encounter', partner: 'Partner', activity: 'Activity', staff: 'Staff member' },
    language,
  },
};
