//! Notes that read like the ones librarians in Finnmark, Troms and
//! Innlandet write after a meeting: one to three whole sentences: what
//! happened and with whom, what was said or agreed, and what happens next.
//! Built from templates with slots (person, organisation, place, idea,
//! month, weekday, number), so 100,000 notes vary the way real ones do
//! without any of them being word salad.

use chrono::{DateTime, Datelike, Utc};
use rand::rngs::StdRng;
use rand::Rng;

use super::{capitalize, person, pick};

/// What a note can be about.
pub struct Slots<'a> {
    /// A partner's name ("Alta husflidslag"), or one of [`ORGS`].
    pub org: &'a str,
    /// Where it happened, with its preposition ("på torget").
    pub at: &'a str,
    /// The town ("Vadsø").
    pub town: &'a str,
    /// The idea that came up ("strikkekafé for nye og gamle strikkere").
    pub idea: &'a str,
    pub when: DateTime<Utc>,
}

/// Organisations named in definite form, for notes with no partner.
pub const ORGS: &[&str] = &[
    "husflidslaget",
    "sjakklubben",
    "historielaget",
    "sanitetsforeningen",
    "den samiske foreningen",
    "frivilligsentralen",
    "Røde Kors",
    "leksehjelpgruppa",
    "kulturskolen",
    "helsestasjonen",
    "flyktningtjenesten",
    "ungdomsskolen",
    "barnehagen",
    "NAV",
    "museet",
    "bokhandelen",
    "pensjonistforeningen",
    "ungdomsrådet",
];

const MONTHS: &[&str] = &[
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
];

const WEEKDAYS: &[&str] = &["mandager", "tirsdager", "onsdager", "torsdager", "lørdager"];

const ROLES: &[&str] = &["leder", "nestleder", "sekretær", "lærer", "daglig leder", "kontaktperson"];

const TOPICS: &[&str] = &[
    "bøker på nordsamisk",
    "lydbøker",
    "bøker på ukrainsk og arabisk",
    "hjelp med BankID",
    "lånekort til barna",
    "slektsforskning",
    "lokalhistorie",
    "strikkeoppskrifter",
    "turkart",
    "tegneserier",
];

/// First sentence: what happened, and with whom.
fn opening(rng: &mut StdRng, s: &Slots<'_>) -> String {
    let name = person(rng);
    let topic = *pick(rng, TOPICS);
    let role = *pick(rng, ROLES);
    let (org, at, town, idea) = (s.org, s.at, s.town, s.idea);
    let n = rng.random_range(3..25);
    match rng.random_range(0..12) {
        0 => format!("{name} kom innom skranken og spurte om biblioteket kunne være med på {idea}."),
        1 => format!("Traff {name} fra {org} {at} i {town}."),
        2 => format!("Møte med {org} om {idea}."),
        3 => format!("Ringte {name} i {org} for å følge opp fra sist."),
        4 => format!("Kort prat {at} med {name}, som er {role} i {org}."),
        5 => format!("Stand {at} i {town}; {n} stoppet innom, og flere spurte etter {topic}."),
        6 => format!("{name} vil gjerne starte {idea} her i {town}."),
        7 => format!("{} tok kontakt på e-post og lurte på om vi kunne få til {idea}.", capitalize(org)),
        8 => format!("Besøk av {n} elever og læreren deres, som ville vite mer om {topic}."),
        9 => format!("Pop-up-bibliotek {at}; en god prat med {name} om {idea}."),
        10 => format!("{name} ({role} i {org}) var innom etter lesesirkelen."),
        _ => format!("Oppfølgingsmøte med {org} {at}, denne gangen om {idea}."),
    }
}

/// Second sentence: what was said, offered or agreed.
fn middle(rng: &mut StdRng, s: &Slots<'_>) -> String {
    let n = rng.random_range(3..15);
    let weekday = *pick(rng, WEEKDAYS);
    let month = MONTHS[(s.when.month0() as usize + rng.random_range(1..4)) % 12];
    let org = s.org;
    match rng.random_range(0..12) {
        0 => format!("De kan stille med {n} frivillige hvis vi tar oss av lokaler og kaffe."),
        1 => "Vi ble enige om at de planlegger innholdet selv, og at vi hjelper med rom og plakater.".into(),
        2 => format!("De vil helst starte i {month}, gjerne på {weekday}."),
        3 => "Jeg foreslo at vi prøver én kveld først og ser hvordan det går.".into(),
        4 => "Hun har gjort noe liknende før og vet hva som trengs.".into(),
        5 => "De trenger et sted å være på kveldstid, og møterommet står ofte tomt da.".into(),
        6 => format!("Han har allerede en liste med {n} som er interessert."),
        7 => "Vi snakket om hvem som gjør hva, og hvordan vi når dem som ikke kommer av seg selv.".into(),
        8 => format!("Budsjettet er lite, men {org} kan dekke materialene."),
        9 => "Mange av deltakerne er nye i kommunen, så det bør være gratis og uten påmelding.".into(),
        10 => format!("Det passer best på {weekday} etter skoletid."),
        _ => "De vil gjerne at biblioteket er vertskap, men at de selv driver det.".into(),
    }
}

/// Last sentence: what happens next.
fn follow_up(rng: &mut StdRng, s: &Slots<'_>) -> String {
    let weekday = *pick(rng, WEEKDAYS);
    let month = MONTHS[(s.when.month0() as usize + rng.random_range(1..3)) % 12];
    let first = super::FIRST[rng.random_range(0..super::FIRST.len())];
    match rng.random_range(0..10) {
        0 => "Jeg sjekker nøkler og åpningstider og ringer tilbake innen fredag.".into(),
        1 => format!("Nytt møte i {month}."),
        2 => "Tar det opp med kultursjefen på neste ledermøte.".into(),
        3 => format!("Sender utkast til plakat til {first} neste uke."),
        4 => format!("Må sjekke om møterommet er ledig på {weekday}."),
        5 => "Følger opp på e-post når vi vet mer om lokalene.".into(),
        6 => "Ingen oppfølging nå; de tar kontakt selv.".into(),
        7 => format!("{first} tar med seg saken til styret."),
        8 => "Skal høre med kommunen om vi kan låne utstyr.".into(),
        _ => format!("Vi setter av en dato før {month} er omme."),
    }
}

/// A note of one to three sentences, most often two or three.
pub fn note(rng: &mut StdRng, s: &Slots<'_>) -> String {
    let mut out = opening(rng, s);
    let sentences = match rng.random_range(0..10) {
        0..2 => 1,
        2..6 => 2,
        _ => 3,
    };
    if sentences >= 2 {
        out.push(' ');
        out.push_str(&middle(rng, s));
    }
    if sentences == 3 {
        out.push(' ');
        out.push_str(&follow_up(rng, s));
    }
    out
}

/// A short note on an activity: how it is going.
pub fn activity_note(rng: &mut StdRng, s: &Slots<'_>) -> String {
    let n = rng.random_range(4..30);
    let weekday = *pick(rng, WEEKDAYS);
    let month = MONTHS[s.when.month0() as usize];
    let org = s.org;
    match rng.random_range(0..6) {
        0 => format!("Sammen med {org}. Første samling var i {month}, med {n} deltakere."),
        1 => format!("Går {weekday} {at}; {org} står for innholdet.", at = s.at),
        2 => format!("Planlagt fra {month}. Vi stiller med rom og kaffe, {org} med folk."),
        3 => format!("Rundt {n} faste deltakere. Vi trenger flere voksne frivillige."),
        4 => "Deltakerne bestemmer temaene selv fra gang til gang.".into(),
        _ => format!("Idé fra et møte {at} i {town}; {org} ville gjerne være med.", at = s.at, town = s.town),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn slots(when: DateTime<Utc>) -> Slots<'static> {
        Slots { org: "Alta husflidslag", at: "på torget", town: "Alta", idea: "strikkekafé", when }
    }

    #[test]
    fn notes_are_whole_sentences() {
        let mut rng = StdRng::seed_from_u64(1);
        let when = DateTime::from_timestamp(1_780_000_000, 0).unwrap();
        for _ in 0..2000 {
            let n = note(&mut rng, &slots(when));
            assert!(n.ends_with('.'), "{n}");
            assert!(n.chars().next().unwrap().is_uppercase(), "{n}");
            let sentences = n.matches(". ").count() + 1;
            assert!((1..=3).contains(&sentences), "{n}");
            assert!(!n.contains("  ") && !n.contains('{'), "{n}");
            let a = activity_note(&mut rng, &slots(when));
            assert!(a.ends_with('.') && a.chars().next().unwrap().is_uppercase(), "{a}");
        }
    }
}
