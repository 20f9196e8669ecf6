//! Realistic demo data: Norwegian and Sámi places, partners at every level
//! of the network circle, encounters over two years, activities. Seeded,
//! so benchmarks can rebuild exactly the same data elsewhere.

use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;

use crate::model::*;
use crate::store::{Result, Store};

mod notes;

pub struct DemoOptions {
    pub encounters: usize,
    pub seed: u64,
}

#[derive(Debug, Serialize)]
pub struct DemoSummary {
    pub encounters: usize,
    pub partners: usize,
    pub activities: usize,
    pub staff: usize,
}

pub struct DemoData {
    pub staff: Vec<StaffMember>,
    pub partners: Vec<Partner>,
    pub encounters: Vec<Encounter>,
    pub activities: Vec<Activity>,
}

const PLACES: &[(&str, &str)] = &[
    ("Vadsø", "Finnmark"),
    ("Alta", "Finnmark"),
    ("Guovdageaidnu", "Finnmark"),
    ("Kárášjohka", "Finnmark"),
    ("Hammerfest", "Finnmark"),
    ("Deatnu", "Finnmark"),
    ("Unjárga", "Finnmark"),
    ("Båtsfjord", "Finnmark"),
    ("Tromsø", "Troms"),
    ("Harstad", "Troms"),
    ("Senja", "Troms"),
    ("Storfjord", "Troms"),
    ("Gáivuotna", "Troms"),
    ("Lillehammer", "Innlandet"),
    ("Hamar", "Innlandet"),
    ("Gjøvik", "Innlandet"),
    ("Tynset", "Innlandet"),
    ("Vågå", "Innlandet"),
];

/// A spot in town, whether it is outside the library, and how a note says
/// "there" ("på torget").
const SPOTS: &[(&str, bool, &str)] = &[
    ("bibliotek", false, "på biblioteket"),
    ("bibliotekets møterom", false, "på møterommet"),
    ("torget", true, "på torget"),
    ("ungdomshuset", true, "på ungdomshuset"),
    ("skolen", true, "på skolen"),
    ("bålplassen", true, "ved bålplassen"),
    ("frivilligsentralen", true, "på frivilligsentralen"),
    ("kjøpesenteret", true, "på kjøpesenteret"),
    ("biblioteksfilialen", false, "på filialen"),
    ("parken", true, "i parken"),
    ("sjøfronten", true, "nede ved sjøen"),
    ("lesesalen", false, "i lesesalen"),
];

const ORGS: &[(&str, PartnerKind)] = &[
    ("husflidslag", PartnerKind::Association),
    ("sjakklubb", PartnerKind::Association),
    ("historielag", PartnerKind::Association),
    ("sanitetsforening", PartnerKind::Association),
    ("samiske forening", PartnerKind::Association),
    ("fotoklubb", PartnerKind::Association),
    ("frivilligsentral", PartnerKind::VolunteerGroup),
    ("Røde Kors", PartnerKind::VolunteerGroup),
    ("leksehjelp-gruppe", PartnerKind::VolunteerGroup),
    ("kulturskole", PartnerKind::MunicipalDepartment),
    ("helsestasjon", PartnerKind::MunicipalDepartment),
    ("flyktningtjeneste", PartnerKind::MunicipalDepartment),
    ("ungdomsskole", PartnerKind::School),
    ("videregående skole", PartnerKind::School),
    ("barnehage", PartnerKind::School),
    ("NAV", PartnerKind::PublicBody),
    ("museum", PartnerKind::PublicBody),
    ("Coop Extra", PartnerKind::Business),
    ("bokhandel", PartnerKind::Business),
    ("kafé", PartnerKind::Business),
    ("snekkerverksted", PartnerKind::Business),
];

const FIRST: &[&str] = &[
    "Ingrid", "Máret", "Ánte", "Ole", "Kari", "Per", "Áile", "Nils", "Siri", "Jon", "Elle", "Mathis", "Astrid",
    "Ahmed", "Fatima", "Liv", "Sigrid", "Johan", "Biret", "Tor",
];
const LAST: &[&str] = &[
    "Haugen", "Sara", "Somby", "Eira", "Hansen", "Johansen", "Gaup", "Olsen", "Berg", "Bals", "Utsi", "Nilsen",
    "Hætta", "Karlsen", "Andersen",
];

const IDEAS: &[&str] = &[
    "strikkekafé for nye og gamle strikkere",
    "språkkafé på norsk og nordsamisk",
    "sjakk for alle aldre",
    "kodeklubb for barn",
    "fuglekassebygging med snekkerverkstedet",
    "plantebytte om våren",
    "konsert med lokale artister",
    "ungdommens eget møterom",
    "pop-up-bibliotek på torget",
    "blomstereng bak biblioteket",
    "bøker rundt bålet",
    "lesesirkel på nordsamisk",
    "reparasjonskafé for klær og sykler",
    "slektsforskning med historielaget",
    "digital hjelp for eldre",
    "fortellerkveld om sjøsamisk kultur",
];

const NOTES: &[&str] = &[
    "Kom innom og lurte på om biblioteket kunne låne ut rommet på kveldstid. Vi snakket om hvordan de selv kan drive det, og jeg lovet å sjekke nøkler og åpningstider.",
    "Foreningen vil gjerne bidra med frivillige hvis vi stiller med lokaler og kaffe. De har allerede en liste med ti interesserte, og ønsker å starte etter høstferien.",
    "Møtte dem på torget under pop-up-biblioteket. Mange spurte etter bøker på samisk og ukrainsk, og flere ville være med på en fast lesegruppe.",
    "Rektor ønsker et samarbeid om lesestimulering på mellomtrinnet. Vi ble enige om å lage et opplegg sammen med elevrådet, ikke bare for dem.",
    "Kommunens flyktningtjeneste spør om vi kan være arena for språktrening. Vi foreslo at deltakerne selv planlegger temaene for hver kveld.",
    "Innbygger med idé om reparasjonskafé. Biblioteket stiller med lokale og reklame, han rigger verktøy og finner folk som kan sy og skru.",
    "Ungdommene vil ha et eget rom med spill og sofaer. De lager forslag til regler selv, og vi tar det videre til kultursjefen.",
    "Samtale ved skranken om slektsforskning. Henviste til historielaget og avtalte at de kan holde et åpent kurs hos oss i vinter.",
    "Låntaker ville ha hjelp med BankID. Vi hjalp, og spurte om hun kunne tenke seg å være med og hjelpe andre eldre på digitalkafeen.",
    "Samisk forening inviterte oss til markering av samefolkets dag. Vi tar med bokbussen og lager utstilling sammen med dem.",
];

const TAGS: &[&str] = &[
    "språk",
    "barn",
    "ungdom",
    "eldre",
    "frivillige",
    "samisk",
    "kultur",
    "digital",
    "håndverk",
    "natur",
    "musikk",
    "lesing",
];

fn pick<'a, T>(rng: &mut StdRng, v: &'a [T]) -> &'a T {
    &v[rng.random_range(0..v.len())]
}

fn at_ms(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(t.timestamp_millis()).unwrap_or(t)
}

fn person(rng: &mut StdRng) -> String {
    format!("{} {}", pick(rng, FIRST), pick(rng, LAST))
}

fn phone(rng: &mut StdRng) -> String {
    format!("+47 {} {:02} {:03}", rng.random_range(400..999), rng.random_range(0..100), rng.random_range(0..1000))
}

fn mail(name: &str, org: &str) -> String {
    let clean = |s: &str| -> String {
        s.to_lowercase()
            .chars()
            .map(|c| match c {
                'æ' => 'a',
                'ø' => 'o',
                'å' | 'á' => 'a',
                'č' => 'c',
                'đ' => 'd',
                'ŋ' => 'n',
                'š' => 's',
                'ŧ' => 't',
                'ž' => 'z',
                c if c.is_ascii_alphanumeric() => c,
                _ => '.',
            })
            .collect()
    };
    format!("{}@{}.example.no", clean(name), clean(org).replace('.', ""))
}

/// Generates demo records, deterministically for a seed.
/// Generates demo records, deterministically for a seed (ids aside: they are
/// fresh UUID v7s).
pub fn generate(opts: &DemoOptions, me: Option<&StaffMember>) -> DemoData {
    generate_at(opts, me, crate::model::now())
}

/// [`generate`] as of `now`, so a test can pin every date.
fn generate_at(opts: &DemoOptions, me: Option<&StaffMember>, now: DateTime<Utc>) -> DemoData {
    let mut dice = Dice {
        rng: StdRng::seed_from_u64(opts.seed),
        // Notes draw from their own stream, so how long a note is never shifts
        // the perspectives, partners and dates the benchmarks count.
        text: StdRng::seed_from_u64(opts.seed ^ 0x6e6f_7465),
        now,
    };
    let staff: Vec<StaffMember> = (0..8).map(|i| dice.staff_member(i)).collect();
    let mut authors = staff.clone();
    if let Some(me) = me {
        authors.push(me.clone());
    }
    let n_partners = (opts.encounters / 50).clamp(12, 2000);
    let partners: Vec<Partner> = (0..n_partners).map(|i| dice.partner(i, &authors)).collect();
    let encounters: Vec<Encounter> = (0..opts.encounters).map(|_| dice.encounter(&authors, &partners)).collect();
    // Activities come of encounters: none without them.
    let n_activities = if encounters.is_empty() { 0 } else { (opts.encounters / 100).max(5) };
    let activities: Vec<Activity> = (0..n_activities).map(|_| dice.activity(&encounters)).collect();
    DemoData { staff, partners, encounters, activities }
}

/// The two random streams and the moment the data is generated at. Every
/// method draws in a fixed order: moving a draw changes the data every seed
/// gives (the fingerprint test below catches that).
struct Dice {
    rng: StdRng,
    text: StdRng,
    now: DateTime<Utc>,
}

impl Dice {
    /// Some moment in the two years before now.
    fn in_last_two_years(&mut self) -> DateTime<Utc> {
        let two_years = Duration::days(730);
        at_ms(self.now - Duration::milliseconds(self.rng.random_range(0..two_years.num_milliseconds())))
    }

    fn staff_member(&mut self, i: usize) -> StaffMember {
        StaffMember {
            id: RecordId::new(),
            name: person(&mut self.rng),
            branch: PLACES[i % 6].0.to_string(),
            deleted: false,
        }
    }

    /// Partner `i`: levels take turns so every level is well filled.
    fn partner(&mut self, i: usize, authors: &[StaffMember]) -> Partner {
        let (place, _) = *pick(&mut self.rng, PLACES);
        let (org, kind) = *pick(&mut self.rng, ORGS);
        // Names repeat once every place has every kind of organisation.
        let name =
            if i < PLACES.len() * ORGS.len() { format!("{place} {org}") } else { format!("{place} {org} {}", i / 50) };
        let level = [Level::Network, Level::Collaboration, Level::Partnership][i % 3];
        let mut p = Partner::new(name.clone(), kind, Level::Network);
        let created = self.in_last_two_years();
        p.created_at = created;
        p.level_history[0].at = created;
        p.level_history[0].by = Some(pick(&mut self.rng, authors).id);
        let reached = self.walk_up_the_circle(&mut p, level, authors);
        p.place = place.to_string();
        p.tags = vec![pick(&mut self.rng, TAGS).to_string()];
        let (_, _, at) = *pick(&mut self.text, SPOTS);
        let idea = pick::<&str>(&mut self.text, IDEAS);
        let slots = notes::Slots { org: &name, at, town: place, idea, when: created };
        p.note = format!("{} {}", pick(&mut self.rng, NOTES), notes::note(&mut self.text, &slots));
        let contact = person(&mut self.rng);
        p.phone = Some(phone(&mut self.rng));
        p.email = Some(mail("post", &name));
        p.contacts.push(self.contact(contact, &name));
        if p.level == Level::Partnership {
            p.agreements.push(self.agreement(reached));
        }
        p
    }

    /// Moves `p` up the circle to `level`, sometimes stepping back once on
    /// the way; returns when it reached the level.
    fn walk_up_the_circle(&mut self, p: &mut Partner, level: Level, authors: &[StaffMember]) -> DateTime<Utc> {
        let now = self.now;
        let mut t = p.created_at;
        for target in [Level::Collaboration, Level::Partnership].into_iter().filter(|l| *l <= level) {
            t = at_ms(t + Duration::days(self.rng.random_range(10..120)).min(now - t));
            p.move_to(target, Some(pick(&mut self.rng, authors).id), t);
        }
        if level == Level::Collaboration && self.rng.random_bool(0.2) {
            p.move_to(Level::Network, Some(pick(&mut self.rng, authors).id), at_ms(t + (now - t) / 2));
        }
        t
    }

    /// The contact person `name` at organisation `org`.
    fn contact(&mut self, name: String, org: &str) -> Contact {
        // Field order is draw order: role, phone, basis.
        Contact {
            id: item_id(),
            email: Some(mail(&name, org)),
            name,
            role: (*pick(&mut self.rng, &["leder", "kasserer", "kontaktperson", "rektor", "daglig leder"])).to_string(),
            phone: Some(phone(&mut self.rng)),
            basis: Some(*pick(
                &mut self.rng,
                &[ConsentBasis::Consent, ConsentBasis::Agreement, ConsentBasis::LegitimateInterest],
            )),
        }
    }

    /// A written agreement made when the partnership began (`on`).
    fn agreement(&mut self, on: DateTime<Utc>) -> Agreement {
        Agreement {
            id: item_id(),
            title: format!("Samarbeidsavtale om {}", pick(&mut self.rng, IDEAS)),
            expectations: "Faste møter hver måned; begge parter stiller med folk.".into(),
            roles: "Foreningen driver, biblioteket er vertskap og hjelper med markedsføring.".into(),
            resources: "Lokaler og kaffe fra biblioteket; frivillige fra foreningen.".into(),
            results: "Minst ti samlinger i året, åpne for alle.".into(),
            library_gets: "Nye brukere og et levende rom på kveldstid.".into(),
            partner_gets: "Gratis lokaler og synlighet.".into(),
            agreed_on: Some(on.date_naive()),
            review_on: Some((on + Duration::days(365)).date_naive()),
        }
    }

    fn encounter(&mut self, authors: &[StaffMember], partners: &[Partner]) -> Encounter {
        let perspective = match self.rng.random_range(0..100) {
            0..35 => Perspective::CoCreative,
            35..70 => Perspective::Service,
            70..90 => Perspective::Professional,
            _ => Perspective::Authority,
        };
        let counterpart = *pick(&mut self.rng, CounterpartKind::ALL);
        let mut e = Encounter::new(perspective, counterpart);
        e.when = self.in_last_two_years();
        let author = pick(&mut self.rng, authors);
        e.staff = Some(author.id);
        e.branch = author.branch.clone();
        let (place, _) = *pick(&mut self.rng, PLACES);
        let (spot, outside, at) = *pick(&mut self.rng, SPOTS);
        e.place = format!("{place} {spot}");
        e.outside = outside;
        let met = self.meet_partners(&mut e, partners);
        e.initiative = Some(if self.rng.random_bool(0.5) { Initiative::Citizen } else { Initiative::Library });
        self.outcomes(&mut e);
        let idea = if e.idea.is_empty() { *pick(&mut self.text, IDEAS) } else { e.idea.as_str() };
        let org = met.unwrap_or_else(|| *pick(&mut self.text, notes::ORGS));
        let slots = notes::Slots { org, at, town: place, idea, when: e.when };
        // Now and then a longer note, written out in full.
        e.note = if self.text.random_bool(0.1) {
            pick(&mut self.text, NOTES).to_string()
        } else {
            notes::note(&mut self.text, &slots)
        };
        e.tags = vec![pick(&mut self.rng, TAGS).to_string()];
        if self.rng.random_bool(0.15) {
            e.follow_ups.push(self.follow_up(&e));
        }
        e
    }

    /// Adds up to two partners met; returns the first one's name, for the note.
    fn meet_partners<'p>(&mut self, e: &mut Encounter, partners: &'p [Partner]) -> Option<&'p str> {
        let mut met = None;
        for _ in 0..self.rng.random_range(0..3) {
            let p = pick(&mut self.rng, partners);
            if !e.partners.contains(&p.id) {
                e.partners.push(p.id);
                met.get_or_insert(p.name.as_str());
            }
        }
        met
    }

    /// Role, idea and outcomes: co-creative encounters raise ideas and bear
    /// fruit; a municipal department sometimes invites the library in.
    fn outcomes(&mut self, e: &mut Encounter) {
        if e.perspective == Perspective::CoCreative {
            e.role = Some(if self.rng.random_bool(0.6) { Role::Facilitating } else { Role::Active });
            e.idea = pick(&mut self.rng, IDEAS).to_string();
            if self.rng.random_bool(0.3) {
                e.outcomes.push(Outcome::NewActivity);
            }
            if self.rng.random_bool(0.3) {
                e.outcomes.push(Outcome::GrewNetwork);
            }
        }
        if e.counterpart == CounterpartKind::MunicipalDepartment && self.rng.random_bool(0.3) {
            e.outcomes.push(Outcome::Invitation);
        }
    }

    /// A call-back two weeks on; done when the encounter is over a month old.
    fn follow_up(&self, e: &Encounter) -> FollowUp {
        FollowUp {
            id: item_id(),
            text: "Ring tilbake og avtal oppstart".into(),
            due: Some((e.when + Duration::days(14)).date_naive()),
            owner: e.staff,
            done: e.when < self.now - Duration::days(30),
        }
    }

    /// An activity grown from one of the encounters, with its partners.
    fn activity(&mut self, encounters: &[Encounter]) -> Activity {
        let status = *pick(&mut self.rng, ActivityStatus::ALL);
        let idea: &str = pick::<&str>(&mut self.rng, IDEAS);
        let mut a = Activity::new(capitalize(idea), status);
        let origin = pick(&mut self.rng, encounters);
        let (town, _) = *pick(&mut self.text, PLACES);
        let (_, _, at) = *pick(&mut self.text, SPOTS);
        let org = *pick(&mut self.text, notes::ORGS);
        a.note = notes::activity_note(&mut self.text, &notes::Slots { org, at, town, idea, when: origin.when });
        a.from_encounters = vec![origin.id];
        a.partners = origin.partners.clone();
        a.created_at = at_ms(origin.when + Duration::days(self.rng.random_range(1..30)).min(self.now - origin.when));
        a.outside = self.rng.random_bool(0.4);
        a.place = origin.place.clone();
        a.extra_resources = Some(self.rng.random_bool(0.3));
        a.tags = vec![pick(&mut self.rng, TAGS).to_string()];
        a
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

/// Fills a store with demo data, in batches of one transaction each.
pub fn fill(store: &mut Store, opts: &DemoOptions) -> Result<DemoSummary> {
    let me = store.my_profile().cloned();
    let data = generate(opts, me.as_ref());
    let summary = DemoSummary {
        encounters: data.encounters.len(),
        partners: data.partners.len(),
        activities: data.activities.len(),
        staff: data.staff.len(),
    };
    // Into an empty store, the query indexes and the report's rollups are
    // built once at the end, as a first sync does (`Store::open` finishes
    // the job should the fill be cut off).
    let deferred = store.defer_query_indexes()?;
    store.create_many(data.staff)?;
    for batch in data.partners.chunks(1000) {
        store.create_many(batch.to_vec())?;
    }
    for batch in data.encounters.chunks(2000) {
        store.create_many(batch.to_vec())?;
    }
    store.create_many(data.activities)?;
    if deferred {
        store.restore_query_indexes()?;
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_data_covers_every_level_and_validates() {
        let d = generate(&DemoOptions { encounters: 300, seed: 7 }, None);
        for l in Level::ALL {
            assert!(d.partners.iter().any(|p| p.level == *l), "no partner at {l}");
        }
        assert!(d.partners.iter().any(|p| p.level_history.len() >= 3), "some partner moved twice");
        for p in &d.partners {
            p.validate().unwrap();
        }
        for e in &d.encounters {
            e.validate().unwrap();
        }
        assert!(d.encounters.iter().any(|e| e.outside) && d.encounters.iter().any(|e| !e.outside));
        let again = generate(&DemoOptions { encounters: 300, seed: 7 }, None);
        assert_eq!(again.encounters[17].note, d.encounters[17].note, "seeded");
    }

    #[test]
    fn notes_are_whole_sentences_that_vary_and_name_the_partner_met() {
        let d = generate(&DemoOptions { encounters: 2000, seed: 7 }, None);
        let names: std::collections::HashMap<RecordId, &str> =
            d.partners.iter().map(|p| (p.id, p.name.as_str())).collect();
        let mut naming = 0;
        for e in &d.encounters {
            assert!(e.note.ends_with('.') && e.note.split(". ").count() <= 3, "{}", e.note);
            if e.partners.first().is_some_and(|p| e.note.contains(names[p])) {
                naming += 1;
            }
        }
        assert!(naming > 200, "only {naming} notes name a partner met");
        let distinct: std::collections::HashSet<&str> = d.encounters.iter().map(|e| e.note.as_str()).collect();
        assert!(distinct.len() > 1500, "only {} different notes in 2000", distinct.len());
        for a in &d.activities {
            assert!(a.note.ends_with('.'), "{}", a.note);
        }
    }

    /// The data a seed gives, with each fresh id replaced by the order it
    /// first appears in, hashed: pins every RNG draw, so a refactor that
    /// reorders draws (and so changes every benchmark's data) fails here.
    fn fingerprint(d: &DemoData) -> String {
        use sha2::{Digest, Sha256};
        fn renumber(v: &mut serde_json::Value, seen: &mut std::collections::HashMap<String, usize>) {
            match v {
                serde_json::Value::String(s) if uuid::Uuid::parse_str(s).is_ok() => {
                    let n = seen.len();
                    *s = format!("id{}", *seen.entry(s.clone()).or_insert(n));
                }
                serde_json::Value::Array(a) => a.iter_mut().for_each(|x| renumber(x, seen)),
                serde_json::Value::Object(o) => o.values_mut().for_each(|x| renumber(x, seen)),
                _ => {}
            }
        }
        let mut v = serde_json::json!([d.staff, d.partners, d.encounters, d.activities]);
        renumber(&mut v, &mut Default::default());
        let hash = Sha256::digest(v.to_string().as_bytes());
        hash.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn a_seed_gives_the_same_data_as_before_the_generator_was_split() {
        // Recorded from the one-function generator (commit 1465c93) before
        // it was split into helpers; a change here changes every benchmark.
        let now = DateTime::parse_from_rfc3339("2026-12-01T12:00:00.123Z").unwrap().to_utc();
        let me = StaffMember {
            id: RecordId::from_bytes([7; 16]),
            name: "Meg Selv".into(),
            branch: "Vadsø".into(),
            deleted: false,
        };
        let d = generate_at(&DemoOptions { encounters: 3000, seed: 42 }, Some(&me), now);
        assert_eq!(fingerprint(&d), "00c01c5feb65b33e0fa62471ad37a92d589a60ce1c59bfb660a21751bbc00237");
        let small = generate_at(&DemoOptions { encounters: 0, seed: 7 }, None, now);
        assert_eq!(fingerprint(&small), "4c182827c32fe2fbd91d5f81a3c0c51325cf82998b42896945670753bbe128af");
    }

    #[test]
    fn no_encounters_means_partners_and_staff_only() {
        let d = generate(&DemoOptions { encounters: 0, seed: 7 }, None);
        assert!(d.encounters.is_empty() && d.activities.is_empty());
        assert_eq!((d.partners.len(), d.staff.len()), (12, 8));
    }
}
