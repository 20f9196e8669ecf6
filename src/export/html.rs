//! The printable report for the municipality: one self-contained HTML page
//! (inline CSS and SVG, no scripts, no external resources), laid out for A4,
//! in the reader's language (nb, da, en). It says what the four levels of
//! effect and the four perspectives mean (seed 002, docs/domain.md) and how the network
//! circle's levels are told apart (seed 004, docs/domain.md), is dated, and leaves out
//! figures per named staff member unless asked for: a report to the
//! municipality is not a staff appraisal.

use std::fmt::Write;

use chrono::NaiveDate;

use super::svg::{self, escape, Series};
use super::words::word;
use crate::i18n::Language;
use crate::model::*;
use crate::report::Report;
use crate::tr;

const PERSPECTIVE_COLORS: [&str; 4] = ["#1b7f5b", "#3d6fb6", "#a05a2c", "#8a8f98"];
const LEVEL_COLORS: [&str; 3] = ["#9cc3e6", "#3d6fb6", "#173f73"];

fn pct(x: f64, lang: Language) -> String {
    let s = format!("{:.1} %", x * 100.0);
    match lang {
        Language::En => s,
        _ => s.replace('.', ","),
    }
}

fn row(s: &mut String, label: &str, value: impl std::fmt::Display) {
    let _ = write!(s, "<tr><th>{}</th><td>{}</td></tr>", escape(label), escape(&value.to_string()));
}

fn date_words(d: NaiveDate, lang: Language) -> String {
    use chrono::Datelike;
    const NB: [&str; 12] = [
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
    const DA: [&str; 12] = [
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let m = d.month0() as usize;
    match lang {
        Language::Nb => format!("{}. {} {}", d.day(), NB[m], d.year()),
        Language::Da => format!("{}. {} {}", d.day(), DA[m], d.year()),
        Language::En => format!("{} {} {}", d.day(), EN[m], d.year()),
    }
}

/// One sentence per perspective (seed 002, docs/domain.md).
fn perspective_sentence(p: Perspective, lang: Language) -> String {
    match p {
        Perspective::CoCreative => tr!(lang,
            nb: "møter innbyggeren som likeverdig partner og skaper noe sammen med hen; valgt i et vanlig møte er dette hverdagssamskaping.",
            da: "møder borgeren som ligeværdig partner og skaber noget sammen med vedkommende; valgt i et almindeligt møde er det hverdagssamskabelse.",
            en: "meets the citizen as an equal partner and creates something together; chosen in an everyday meeting, this is everyday co-creation."),
        Perspective::Professional => tr!(lang,
            nb: "møter innbyggeren med bibliotekets fagkunnskap: veiledning, formidling og råd.",
            da: "møder borgeren med bibliotekets faglighed: vejledning, formidling og råd.",
            en: "meets the citizen with the library's professional knowledge: guidance, outreach and advice."),
        Perspective::Authority => tr!(lang,
            nb: "møter innbyggeren som myndighet: regler, vedtak og det biblioteket må håndheve.",
            da: "møder borgeren som myndighed: regler, afgørelser og det, biblioteket skal håndhæve.",
            en: "meets the citizen as an authority: rules, decisions and what the library must enforce."),
        Perspective::Service => tr!(lang,
            nb: "møter innbyggeren med service: løser det hen ber om, raskt og vennlig.",
            da: "møder borgeren servicerende: løser det, vedkommende beder om, hurtigt og venligt.",
            en: "meets the citizen with service: does what they ask for, quickly and kindly."),
    }
}

fn level_sentence(l: Level, lang: Language) -> String {
    match l {
        Level::Network => tr!(lang,
            nb: "biblioteket kjenner partneren og holder kontakten, men har ingen aktivitet sammen med den nå.",
            da: "biblioteket kender partneren og holder kontakten, men har ingen aktivitet sammen med den nu.",
            en: "the library knows the partner and keeps in touch, but has no activity with it now."),
        Level::Collaboration => tr!(lang,
            nb: "det finnes en aktivitet å samarbeide om; når den er over, blir samarbeidet nettverk igjen.",
            da: "der er en aktivitet at samarbejde om; når den er slut, bliver samarbejdet til netværk igen.",
            en: "there is an activity to work on together; when it ends, the collaboration becomes network again."),
        Level::Partnership => tr!(lang,
            nb: "samarbeidet gjentas eller har fått en fast ramme, med avtaler om forventninger, roller og resultater.",
            da: "samarbejdet gentages eller har fået en fast ramme, med aftaler om forventninger, roller og resultater.",
            en: "the collaboration is repeated or framed, with agreements on expectations, roles and results."),
    }
}

pub fn report(r: &Report, workspace: &str, lang: Language, per_staff: bool, today: NaiveDate) -> String {
    let mut s = String::new();
    head(&mut s, r, workspace, lang, today);
    reading_guide(&mut s, lang);
    personal(&mut s, r, lang, per_staff);
    institutional(&mut s, r, lang);
    relevance(&mut s, r, lang);
    visibility(&mut s, r, lang);
    s
}

/// The page head, title, date and what the report covers.
fn head(s: &mut String, r: &Report, workspace: &str, lang: Language, today: NaiveDate) {
    let (from, to) = (r.period.from, r.period.to);
    let title = tr!(lang,
        nb: "Effekter av samskaping {from} – {to}",
        da: "Effekter af samskabelse {from} – {to}",
        en: "Effects of co-creation {from} – {to}");
    let code = lang.slug();
    let _ = write!(
        s,
        r#"<!doctype html><html lang="{code}"><head><meta charset="utf-8"><title>{}</title><style>
body{{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2329;max-width:760px;margin:24px auto;padding:0 16px;line-height:1.45}}
h1{{font-size:24px;margin-bottom:4px}} h2{{font-size:19px;margin-top:28px;border-bottom:2px solid #1b7f5b;padding-bottom:4px}}
h3{{font-size:15px;margin:14px 0 4px}} dl{{margin:4px 0 12px}} dt{{font-weight:600;float:left;clear:left;width:11em}} dd{{margin:0 0 4px 11.5em}}
table{{border-collapse:collapse;width:100%;margin:8px 0 16px}} th,td{{text-align:left;padding:4px 8px;border-bottom:1px solid #e3e6ea;font-size:14px}}
td{{text-align:right}} .lead{{color:#56606b}} .dated{{color:#56606b;font-size:13px;margin-top:0}} figure{{margin:12px 0;break-inside:avoid}} figcaption{{font-size:13px;color:#56606b}}
tr{{break-inside:avoid}} @page{{size:A4;margin:16mm}} @media print{{body{{margin:0;max-width:none}} h2,h3{{break-after:avoid}}}}
</style></head><body>"#,
        escape(&title)
    );
    let _ = write!(s, "<h1>{}</h1>", escape(&title));
    let made = date_words(today, lang);
    let _ = write!(
        s,
        r#"<p class="dated">{}</p>"#,
        escape(
            &tr!(lang, nb: "Laget {made} i Samskap.", da: "Lavet {made} i Samskap.", en: "Made on {made} in Samskap.")
        )
    );
    let mut scope = vec![];
    if !workspace.is_empty() {
        scope.push(workspace.to_string());
    }
    if let Some(b) = &r.filter.branch {
        scope.push(tr!(lang, nb: "avdeling {b}", da: "afdeling {b}", en: "branch {b}"));
    }
    if let Some(k) = r.filter.partner_kind {
        let k = word(k, lang);
        scope.push(tr!(lang, nb: "partnere av typen {k}", da: "partnere af typen {k}", en: "partners of the kind {k}"));
    }
    let (enc, act, part) = (r.personal.encounters, r.relevance.new_activities, r.visibility.levels_at_end.total());
    let lead = tr!(lang,
        nb: "Talt fra bibliotekets egne registreringer: {enc} møter, {act} nye aktiviteter, {part} partnere ved periodens slutt.",
        da: "Talt fra bibliotekets egne registreringer: {enc} møder, {act} nye aktiviteter, {part} partnere ved periodens slutning.",
        en: "Counted from the library's own logs: {enc} encounters, {act} new activities, {part} partners at the period's end.");
    let _ = write!(
        s,
        r#"<p class="lead">{}{}</p>"#,
        scope.iter().map(|x| format!("{} · ", escape(x))).collect::<String>(),
        escape(&lead)
    );
}

/// What the figures mean: on the first page, so it is never nearly empty.
fn reading_guide(s: &mut String, lang: Language) {
    // What the figures mean: on the first page, so it is never nearly empty.
    let _ = write!(
        s,
        "<h2>{}</h2><p>{}</p><dl>",
        escape(
            &tr!(lang, nb: "Slik leser du rapporten", da: "Sådan læser du rapporten", en: "How to read this report")
        ),
        escape(&tr!(lang,
            nb: "Rapporten måler effekten av samskaping på fire nivåer, som i undersøkelsen «Samskabelse – de langsigtede effekter af kompetenceudvikling»:",
            da: "Rapporten måler effekten af samskabelse på fire niveauer, som i undersøgelsen »Samskabelse – de langsigtede effekter af kompetenceudvikling«:",
            en: "The report measures the effect of co-creation at four levels, as the study «Samskabelse – de langsigtede effekter af kompetenceudvikling» does:"))
    );
    let levels = [
        (
            tr!(lang, nb: "1 Personlig", da: "1 Personligt", en: "1 Personal"),
            tr!(lang,
                nb: "hvor ofte de ansatte møter folk med et samskapende perspektiv, og hvem som tok initiativet.",
                da: "hvor ofte medarbejderne møder folk med et samskabende perspektiv, og hvem der tog initiativet.",
                en: "how often staff meet people with a co-creative perspective, and who took the initiative."),
        ),
        (
            tr!(lang, nb: "2 Institusjonelt", da: "2 Institutionelt", en: "2 Institutional"),
            tr!(lang,
                nb: "hvor mange i personalet som samskaper, og hvordan det sprer seg i staben over tid.",
                da: "hvor mange i personalet der samskaber, og hvordan det spreder sig over tid.",
                en: "how many colleagues co-create, and how that spreads across the team over time."),
        ),
        (
            tr!(lang, nb: "3 Relevans", da: "3 Relevans", en: "3 Relevance"),
            tr!(lang,
                nb: "hva innbyggerne får: nye aktiviteter, aktiviteter utenfor biblioteksrommet og aktiviteter startet uten ekstra ressurser.",
                da: "hvad borgerne får: nye aktiviteter, aktiviteter uden for biblioteksrummet og aktiviteter startet uden ekstra ressourcer.",
                en: "what citizens get: new activities, activities outside the library room, and activities started without extra resources."),
        ),
        (
            tr!(lang, nb: "4 Synlighet", da: "4 Synlighed", en: "4 Visibility"),
            tr!(lang,
                nb: "hvordan nettverket vokser (partnere per nivå i nettverkssirkelen) og samarbeidet med andre kommunale enheter.",
                da: "hvordan netværket vokser (partnere pr. niveau i netværkscirklen) og samarbejdet med andre kommunale enheder.",
                en: "how the network grows (partners per level of the network circle) and the work with other municipal departments."),
        ),
    ];
    for (name, sentence) in &levels {
        let _ = write!(s, "<dt>{}</dt><dd>{}</dd>", escape(name), escape(sentence));
    }
    let _ = write!(
        s,
        "</dl><h3>{}</h3><dl>",
        escape(&tr!(lang, nb: "De fire perspektivene", da: "De fire perspektiver", en: "The four perspectives"))
    );
    for p in Perspective::ALL {
        let _ = write!(s, "<dt>{}</dt><dd>{}</dd>", escape(word(*p, lang)), escape(&perspective_sentence(*p, lang)));
    }
    let _ = write!(
        s,
        "</dl><h3>{}</h3><dl>",
        escape(&tr!(lang, nb: "Nettverkssirkelen", da: "Netværkscirklen", en: "The network circle"))
    );
    for l in Level::ALL {
        let _ = write!(s, "<dt>{}</dt><dd>{}</dd>", escape(word(*l, lang)), escape(&level_sentence(*l, lang)));
    }
    s.push_str("</dl>");
}

/// Level 1: how staff meet people.
fn personal(s: &mut String, r: &Report, lang: Language, per_staff: bool) {
    // 1 Personal
    let p = &r.personal;
    let _ = write!(
        s,
        "<section><h2>{}</h2>",
        escape(
            &tr!(lang, nb: "1 Personlig: hvordan de ansatte møter folk", da: "1 Personligt: hvordan medarbejderne møder folk", en: "1 Personal: how staff meet people")
        )
    );
    let items: Vec<(String, u64, &str)> = Perspective::ALL
        .iter()
        .zip(PERSPECTIVE_COLORS)
        .map(|(v, c)| (word(*v, lang).to_string(), p.by_perspective.get(*v), c))
        .collect();
    let share = pct(p.co_creative_share, lang);
    let _ = write!(
        s,
        "<figure>{}<figcaption>{}</figcaption></figure>",
        svg::bars(
            &tr!(lang, nb: "Møter per perspektiv", da: "Møder pr. perspektiv", en: "Encounters by perspective"),
            &items
        ),
        escape(&tr!(lang,
            nb: "Møter etter perspektivet de ansatte møtte folk med. Samskapende: {share}.",
            da: "Møder efter det perspektiv, medarbejderne mødte folk med. Samskabende: {share}.",
            en: "Encounters by the perspective staff met people with. Co-creative: {share}."))
    );
    let co: Vec<u64> = p.per_month.iter().map(|m| m.by_perspective.co_creative).collect();
    let other: Vec<u64> = p.per_month.iter().map(|m| m.encounters - m.by_perspective.co_creative).collect();
    let co_name = word(Perspective::CoCreative, lang).to_lowercase();
    let other_name = tr!(lang, nb: "andre", da: "andre", en: "other");
    let _ = write!(
        s,
        "<figure>{}<figcaption>{}</figcaption></figure>",
        svg::stacked_bars(
            &tr!(lang, nb: "Møter per måned", da: "Møder pr. måned", en: "Encounters per month"),
            &r.months,
            &[
                Series { name: &co_name, color: PERSPECTIVE_COLORS[0], values: co },
                Series { name: &other_name, color: "#c9ced4", values: other }
            ]
        ),
        escape(&tr!(lang,
            nb: "Møter per måned, samskapende og andre.",
            da: "Møder pr. måned, samskabende og andre.",
            en: "Encounters per month, co-creative and other."))
    );
    s.push_str("<table>");
    row(
        s,
        &tr!(lang, nb: "Initiativ: innbygger eller partner", da: "Initiativ: borger eller partner", en: "Initiative: citizen or partner"),
        p.initiative.citizen,
    );
    row(
        s,
        &tr!(lang, nb: "Initiativ: biblioteket (oppsøkende)", da: "Initiativ: biblioteket (opsøgende)", en: "Initiative: the library (outreach)"),
        p.initiative.library,
    );
    row(
        s,
        &tr!(lang, nb: "Initiativ: ikke oppgitt", da: "Initiativ: ikke oplyst", en: "Initiative: not said"),
        p.initiative.unknown,
    );
    row(
        s,
        &tr!(lang, nb: "Samskapende, biblioteket aktiv medskaper", da: "Samskabende, biblioteket aktiv medskaber", en: "Co-creative, library active"),
        p.role.active,
    );
    row(
        s,
        &tr!(lang, nb: "Samskapende, biblioteket tilrettelegger", da: "Samskabende, biblioteket faciliterende", en: "Co-creative, library facilitating"),
        p.role.facilitating,
    );
    s.push_str("</table>");
    if per_staff {
        per_staff_table(s, &r.personal, lang);
    }
    s.push_str("</section>");
}

/// Encounters per staff member (only when asked for: it names people).
fn per_staff_table(s: &mut String, p: &crate::report::Personal, lang: Language) {
    let _ = write!(
        s,
        "<table><tr><th>{}</th><td>{}</td><td>{}</td></tr>",
        escape(&tr!(lang, nb: "Ansatt", da: "Medarbejder", en: "Staff member")),
        escape(&tr!(lang, nb: "Møter", da: "Møder", en: "Encounters")),
        escape(word(Perspective::CoCreative, lang))
    );
    let none = tr!(lang, nb: "(ingen ansatt)", da: "(ingen medarbejder)", en: "(no staff member)");
    for st in &p.per_staff {
        let name = if st.name.is_empty() { &none } else { &st.name };
        let _ = write!(
            s,
            "<tr><th>{}</th><td>{}</td><td>{}</td></tr>",
            escape(name),
            st.encounters,
            pct(st.co_creative_share, lang)
        );
    }
    s.push_str("</table>");
}

/// Level 2: how co-creation spreads across the team.
fn institutional(s: &mut String, r: &Report, lang: Language) {
    // 2 Institutional
    let n = &r.institutional;
    let _ = write!(
        s,
        "<section><h2>{}</h2>",
        escape(
            &tr!(lang, nb: "2 Institusjonelt: samskaping i hele staben", da: "2 Institutionelt: samskabelse i hele personalet", en: "2 Institutional: co-creation across the team")
        )
    );
    let team = n.team_size;
    let logging = tr!(lang, nb: "registrerer", da: "registrerer", en: "logging");
    let co_creating = tr!(lang, nb: "samskaper", da: "samskaber", en: "co-creating");
    let _ = write!(
        s,
        "<figure>{}<figcaption>{}</figcaption></figure>",
        svg::lines(
            &tr!(lang, nb: "Ansatte per måned", da: "Medarbejdere pr. måned", en: "Staff per month"),
            &r.months,
            &[
                Series {
                    name: &logging,
                    color: "#56606b",
                    values: n.per_month.iter().map(|m| m.staff_logging).collect()
                },
                Series {
                    name: &co_creating,
                    color: PERSPECTIVE_COLORS[0],
                    values: n.per_month.iter().map(|m| m.staff_co_creative).collect()
                },
            ]
        ),
        escape(&tr!(lang,
            nb: "Ansatte som registrerte møter, og som registrerte samskapende møter, hver måned (staben: {team} ansatte). Heltrukken linje med sirkler: registrerer; stiplet linje med firkanter: samskaper.",
            da: "Medarbejdere, der registrerede møder, og som registrerede samskabende møder, hver måned (personalet: {team} medarbejdere). Fuld linje med cirkler: registrerer; stiplet linje med firkanter: samskaber.",
            en: "Staff who logged encounters, and co-creative ones, each month (team: {team} staff). Solid line with circles: logging; dashed line with squares: co-creating."))
    );
    let _ = write!(
        s,
        "<table><tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
        escape(&tr!(lang, nb: "Avdeling", da: "Afdeling", en: "Branch")),
        escape(&tr!(lang, nb: "Møter", da: "Møder", en: "Encounters")),
        escape(word(Perspective::CoCreative, lang)),
        escape(&tr!(lang, nb: "Ansatte som samskaper", da: "Medarbejdere, der samskaber", en: "Staff co-creating"))
    );
    let no_branch = tr!(lang, nb: "(ingen avdeling)", da: "(ingen afdeling)", en: "(no branch)");
    for b in &n.branches {
        let name = if b.branch.is_empty() { &no_branch } else { &b.branch };
        let _ = write!(
            s,
            "<tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(name),
            b.encounters,
            pct(b.co_creative_share, lang),
            b.staff_co_creative
        );
    }
    s.push_str("</table></section>");
}

/// Level 3: what citizens get.
fn relevance(s: &mut String, r: &Report, lang: Language) {
    // 3 Relevance
    let v = &r.relevance;
    let _ = write!(
        s,
        "<section><h2>{}</h2>",
        escape(
            &tr!(lang, nb: "3 Relevans: hva innbyggerne får", da: "3 Relevans: hvad borgerne får", en: "3 Relevance: what citizens get")
        )
    );
    let inside = tr!(lang, nb: "inne", da: "inde", en: "inside");
    let outside = tr!(lang, nb: "ute", da: "ude", en: "outside");
    let _ = write!(
        s,
        "<figure>{}<figcaption>{}</figcaption></figure>",
        svg::stacked_bars(
            &tr!(lang, nb: "Nye aktiviteter per måned", da: "Nye aktiviteter pr. måned", en: "New activities per month"),
            &r.months,
            &[
                Series { name: &inside, color: "#3d6fb6", values: v.per_month.iter().map(|m| m.inside).collect() },
                Series { name: &outside, color: "#e0a030", values: v.per_month.iter().map(|m| m.outside).collect() },
            ]
        ),
        escape(&tr!(lang,
            nb: "Nye aktiviteter per måned, inne i og utenfor biblioteksrommet.",
            da: "Nye aktiviteter pr. måned, inde i og uden for biblioteksrummet.",
            en: "New activities per month, inside and outside the library room."))
    );
    s.push_str("<table>");
    row(s, &tr!(lang, nb: "Nye aktiviteter", da: "Nye aktiviteter", en: "New activities"), v.new_activities);
    for st in ActivityStatus::ALL {
        let w = word(*st, lang).to_lowercase();
        row(s, &tr!(lang, nb: "… nå {w}", da: "… nu {w}", en: "… now {w}"), v.by_status.get(*st));
    }
    row(
        s,
        &tr!(lang, nb: "Inne i biblioteksrommet", da: "Inde i biblioteksrummet", en: "Inside the library room"),
        v.inside,
    );
    row(
        s,
        &tr!(lang, nb: "Utenfor biblioteksrommet", da: "Uden for biblioteksrummet", en: "Outside the library room"),
        v.outside,
    );
    row(
        s,
        &tr!(lang, nb: "Startet uten ekstra ressurser", da: "Startet uden ekstra ressourcer", en: "Started without extra resources"),
        v.without_extra_resources,
    );
    row(
        s,
        &tr!(lang, nb: "Trengte ekstra ressurser", da: "Krævede ekstra ressourcer", en: "Needed extra resources"),
        v.with_extra_resources,
    );
    row(
        s,
        &tr!(lang, nb: "Møter merket «førte til en aktivitet»", da: "Møder markeret »førte til en aktivitet«", en: "Encounters marked as leading to an activity"),
        v.encounters_marked_new_activity,
    );
    row(
        s,
        &tr!(lang, nb: "Møter som en aktivitet startet i", da: "Møder, som en aktivitet startede i", en: "Encounters named as an activity's origin"),
        v.encounters_origin_of_activity,
    );
    row(
        s,
        &tr!(lang, nb: "Møter utenfor biblioteksrommet", da: "Møder uden for biblioteksrummet", en: "Encounters outside the library room"),
        v.encounters_outside,
    );
    s.push_str("</table></section>");
}

/// Level 4: how the network grows.
fn visibility(s: &mut String, r: &Report, lang: Language) {
    // 4 Visibility
    let w = &r.visibility;
    let _ = write!(
        s,
        "<section><h2>{}</h2>",
        escape(
            &tr!(lang, nb: "4 Synlighet: nettverkssirkelen", da: "4 Synlighed: netværkscirklen", en: "4 Visibility: the network circle")
        )
    );
    let series: Vec<Series<'_>> = Level::ALL
        .iter()
        .zip(LEVEL_COLORS)
        .map(|(l, c)| Series {
            name: word(*l, lang),
            color: c,
            values: w.levels_per_month.iter().map(|m| m.levels.get(*l)).collect(),
        })
        .collect();
    let _ = write!(
        s,
        "<figure>{}<figcaption>{}</figcaption></figure>",
        svg::stacked_area(
            &tr!(lang, nb: "Partnere per nivå", da: "Partnere pr. niveau", en: "Partners per level"),
            &r.months,
            &series
        ),
        escape(&tr!(lang,
            nb: "Partnere på hvert nivå i nettverkssirkelen ved slutten av hver måned.",
            da: "Partnere på hvert niveau i netværkscirklen ved slutningen af hver måned.",
            en: "Partners at each level of the network circle at the end of each month."))
    );
    let _ = write!(
        s,
        "<table><tr><th>{}</th><td>{}</td><td>{}</td></tr>",
        escape(&tr!(lang, nb: "Nivå", da: "Niveau", en: "Level")),
        escape(&tr!(lang, nb: "Ved start", da: "Ved start", en: "At start")),
        escape(&tr!(lang, nb: "Ved slutt", da: "Ved slut", en: "At end"))
    );
    for l in Level::ALL {
        let _ = write!(
            s,
            "<tr><th>{}</th><td>{}</td><td>{}</td></tr>",
            escape(word(*l, lang)),
            w.levels_at_start.get(*l),
            w.levels_at_end.get(*l)
        );
    }
    s.push_str("</table><table>");
    network_tables(s, w, lang);
    s.push_str("</table></section></body></html>\n");
}

/// How the network changed, the work with municipal departments, and partners by kind.
fn network_tables(s: &mut String, w: &crate::report::Visibility, lang: Language) {
    row(s, &tr!(lang, nb: "Nye partnere", da: "Nye partnere", en: "New partners"), w.new_partners);
    row(s, &tr!(lang, nb: "Flytt opp i sirkelen", da: "Skift op i cirklen", en: "Moves up the circle"), w.moves_up);
    row(
        s,
        &tr!(lang, nb: "Flytt ned i sirkelen", da: "Skift ned i cirklen", en: "Moves down the circle"),
        w.moves_down,
    );
    row(
        s,
        &tr!(lang, nb: "Møter med kommunale enheter", da: "Møder med kommunale enheder", en: "Encounters with municipal departments"),
        w.departments.encounters,
    );
    row(
        s,
        &tr!(lang, nb: "… på enhetens initiativ", da: "… på enhedens initiativ", en: "… on the department's initiative"),
        w.departments.from_departments,
    );
    row(
        s,
        &tr!(lang, nb: "… på bibliotekets initiativ", da: "… på bibliotekets initiativ", en: "… on the library's initiative"),
        w.departments.to_departments,
    );
    row(
        s,
        &tr!(lang, nb: "… merket som invitasjoner", da: "… markeret som invitationer", en: "… marked as invitations"),
        w.departments.invitations,
    );
    let _ = write!(
        s,
        "</table><table><tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
        escape(&tr!(lang, nb: "Partnertype", da: "Partnertype", en: "Partner kind")),
        escape(&tr!(lang, nb: "Partnere", da: "Partnere", en: "Partners")),
        escape(&tr!(lang, nb: "Nye", da: "Nye", en: "New")),
        escape(&tr!(lang, nb: "Møtt", da: "Mødt", en: "Met"))
    );
    for k in &w.kinds {
        let _ = write!(
            s,
            "<tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(word(k.kind, lang)),
            k.partners,
            k.new,
            k.met
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Report {
        Report::default()
    }

    #[test]
    fn written_in_the_chosen_language_and_dated() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
        let nb = report(&sample(), "Vadsø", Language::Nb, false, day);
        assert!(nb.contains(r#"<html lang="nb">"#) && nb.contains("Laget 31. mars 2026"), "{nb}");
        assert!(nb.contains("Effekter av samskaping") && nb.contains("Samskapende</dt>"));
        let da = report(&sample(), "Næstved", Language::Da, false, day);
        assert!(da.contains(r#"<html lang="da">"#) && da.contains("Effekter af samskabelse"));
        assert!(da.contains("Lavet 31. marts 2026"));
        let en = report(&sample(), "", Language::En, false, day);
        assert!(en.contains(r#"<html lang="en">"#) && en.contains("Made on 31 March 2026"));
        for html in [&nb, &da, &en] {
            assert!(!html.contains("municipal-department") && !html.contains(">public-body<"), "no slugs");
        }
    }

    #[test]
    fn staff_figures_only_when_asked_for() {
        let mut r = sample();
        r.personal.per_staff.push(Default::default());
        r.personal.per_staff[0].name = "Ingrid Haugen".into();
        let day = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
        assert!(!report(&r, "", Language::Nb, false, day).contains("Ingrid Haugen"));
        assert!(report(&r, "", Language::Nb, true, day).contains("Ingrid Haugen"));
    }
}
