// The quick log's guide: what each choice means, with an everyday library
// example (seed 002's perspectives, initiative and role; see docs/domain.md).
// Typed per language, so a missing translation does not compile.
import type { Initiative, Language, Perspective, Role } from '../generated';

export interface GuideEntry {
  text: string;
  example: string;
}
export interface Guide {
  perspective: { intro: string } & Record<Perspective, GuideEntry>;
  initiative: { intro: string } & Record<Initiative, GuideEntry>;
  role: { intro: string } & Record<Role, GuideEntry>;
}
export type GuideGroup = keyof Guide;

export const GUIDE: Record<Language, Guide> = {
  nb: {
    perspective: {
      intro: 'Hvordan møtte du personen? Velg det perspektivet som preget møtet mest. Det samskapende perspektivet i et vanlig møte er hverdagssamskaping.',
      professional: {
        text: 'Du møter personen med fagkunnskapen din: du gir råd, anbefaler og viser hvordan.',
        example: 'En elev trenger kilder til en særoppgave, og du viser henne databasene og to gode bøker.',
      },
      authority: {
        text: 'Du forvalter regler og tar avgjørelser: lånereglement, gebyrer, åpningstider, husregler.',
        example: 'Du forklarer en gjeng ungdommer at møterommet må bookes og ryddes før klokka 21.',
      },
      service: {
        text: 'Du hjelper personen med det hen kom for, raskt og vennlig.',
        example: 'En mann vil hente reserveringen sin og trenger hjelp med utlånsautomaten.',
      },
      'co-creative': {
        text: 'Du møter personen i øyehøyde, som en likeverdig partner, og dere utvikler noe sammen med hennes ideer og ressurser og bibliotekets.',
        example: 'En kvinne ved skranken forteller at hun strikker mye. Du spør om hun vil starte en strikkekafé på biblioteket, og dere legger planen sammen.',
      },
    },
    initiative: {
      intro: 'Hvem tok initiativet til møtet eller ideen?',
      citizen: {
        text: 'Innbyggeren eller partneren kom til dere med et ønske eller en idé. Biblioteket er «tilkoblingsdyktig».',
        example: 'Sjakklubben spør om de kan bruke biblioteket torsdagskvelder.',
      },
      library: {
        text: 'Biblioteket oppsøkte dem og inviterte til samarbeid.',
        example: 'Du besøker ungdomsrådet og ber dem være med å forme det nye ungdomsrommet.',
      },
    },
    role: {
      intro: 'Hvilken rolle hadde biblioteket i det som ble til?',
      active: {
        text: 'Biblioteket skaper sammen med dem og tar del i arbeidet; det blir et tiltak biblioteket står bak.',
        example: 'Biblioteket og historielaget lager en utstilling sammen; dere henger den opp og holder åpningen.',
      },
      facilitating: {
        text: 'Biblioteket støtter innbyggerne i å gjennomføre sin egen idé, uten at det blir bibliotekets tiltak: lokale, plakat, kontakter.',
        example: 'Noen foreldre vil ha plantebytte. Du låner dem foajeen og et bord, og de står for resten.',
      },
    },
  },
  da: {
    perspective: {
      intro: 'Hvordan mødte du personen? Vælg det perspektiv, der prægede mødet mest. Det samskabende perspektiv i et almindeligt møde er hverdagssamskabelse.',
      professional: {
        text: 'Du møder personen med din faglighed: du rådgiver, anbefaler og viser hvordan.',
        example: 'En elev skal bruge kilder til en opgave, og du viser hende databaserne og to gode bøger.',
      },
      authority: {
        text: 'Du forvalter regler og træffer afgørelser: lånereglement, gebyrer, åbningstider, husorden.',
        example: 'Du forklarer en gruppe unge, at mødelokalet skal bookes og ryddes inden klokken 21.',
      },
      service: {
        text: 'Du hjælper personen med det, hun eller han kom for, hurtigt og venligt.',
        example: 'En mand vil hente sin reservering og har brug for hjælp til udlånsautomaten.',
      },
      'co-creative': {
        text: 'Du møder personen i øjenhøjde som en ligeværdig partner, og I udvikler noget sammen med hendes idéer og ressourcer og bibliotekets.',
        example: 'En kvinde ved skranken fortæller, at hun strikker meget. Du spørger, om hun vil starte en strikkecafé på biblioteket, og I lægger planen sammen.',
      },
    },
    initiative: {
      intro: 'Hvem tog initiativet til mødet eller idéen?',
      citizen: {
        text: 'Borgeren eller partneren kom til jer med et ønske eller en idé. Biblioteket er tilkoblingsdueligt.',
        example: 'Skakklubben spørger, om de må bruge biblioteket torsdag aften.',
      },
      library: {
        text: 'Biblioteket opsøgte dem og inviterede til samarbejde.',
        example: 'Du besøger ungdomsrådet og beder dem være med til at forme det nye ungerum.',
      },
    },
    role: {
      intro: 'Hvilken rolle havde biblioteket i det, der blev til?',
      active: {
        text: 'Biblioteket skaber sammen med dem og tager del i arbejdet; det bliver en aktivitet, biblioteket står bag.',
        example: 'Biblioteket og lokalhistorisk forening laver en udstilling sammen; I hænger den op og holder ferniseringen.',
      },
      facilitating: {
        text: 'Biblioteket støtter borgerne i at gennemføre deres egen idé, uden at det bliver bibliotekets aktivitet: lokaler, plakat, kontakter.',
        example: 'Nogle forældre vil holde plantebyttedag. Du låner dem foyeren og et bord, og de står for resten.',
      },
    },
  },
  en: {
    perspective: {
      intro: 'How did you meet the person? Choose the perspective that shaped the encounter most. The co-creative perspective in an ordinary encounter is everyday co-creation.',
      professional: {
        text: 'You meet the person with your professional knowledge: you advise, recommend and show how.',
        example: 'A pupil needs sources for a project, and you show her the databases and two good books.',
      },
      authority: {
        text: 'You apply rules and make decisions: lending rules, fines, opening hours, house rules.',
        example: 'You explain to a group of teenagers that the meeting room must be booked and cleared by 9 pm.',
      },
      service: {
        text: 'You help the person with what they came for, quickly and kindly.',
        example: 'A man wants to collect his reservation and needs help with the self-service machine.',
      },
      'co-creative': {
        text: 'You meet the person at eye level, as an equal partner, and develop something together from their ideas and resources and the library’s.',
        example: 'A woman at the desk says she knits a lot. You ask whether she would like to start a knitting café in the library, and you plan it together.',
      },
    },
    initiative: {
      intro: 'Who took the initiative for the encounter or the idea?',
      citizen: {
        text: 'The citizen or partner came to you with a wish or an idea; the library is open to being connected to.',
        example: 'The chess club asks whether they may use the library on Thursday evenings.',
      },
      library: {
        text: 'The library sought them out and invited them to work together.',
        example: 'You visit the youth council and ask them to help shape the new youth room.',
      },
    },
    role: {
      intro: 'What role did the library have in what came of it?',
      active: {
        text: 'The library creates together with them and shares the work; it becomes an activity the library stands behind.',
        example: 'The library and the local history society make an exhibition together; you hang it and host the opening.',
      },
      facilitating: {
        text: 'The library supports citizens in carrying out their own idea without it becoming a library activity: a room, a poster, contacts.',
        example: 'Some parents want a plant swap. You lend them the foyer and a table, and they run the rest.',
      },
    },
  },
};
