//! What the app's forms send, and how each becomes a record or an edit.
//! The app's commands stay thin: they deserialize one of these, call one
//! function here and hand the result to the store.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::model::*;

/// The quick-log screen: an encounter in under 30 seconds.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuickLog {
    pub perspective: Perspective,
    pub counterpart: CounterpartKind,
    pub partners: Vec<RecordId>,
    /// Partners typed into the picker that do not exist yet: they are created
    /// only when the encounter is saved, so an abandoned form leaves no orphans.
    #[serde(default)]
    pub new_partners: Vec<NewPartner>,
    pub place: String,
    pub outside: bool,
    pub note: String,
    /// Free text; split on spaces and commas ("marked, strikking").
    pub tags: String,
    pub initiative: Option<Initiative>,
    pub role: Option<Role>,
    pub follow_up: Option<FollowUpInput>,
    /// When it happened; now when left out.
    pub when: Option<DateTime<Utc>>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpInput {
    pub text: String,
    pub due: Option<NaiveDate>,
}

/// Splits typed tags on spaces and commas, drops a leading '#', keeps the first of duplicates.
pub fn split_tags(text: &str) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for t in text.split(|c: char| c.is_whitespace() || c == ',') {
        let t = t.trim_start_matches('#');
        if !t.is_empty() && !out.iter().any(|o| o.to_lowercase() == t.to_lowercase()) {
            out.push(t.to_string());
        }
    }
    out
}

impl QuickLog {
    /// The encounter this form describes. `me` owns the follow-up.
    pub fn to_encounter(&self, me: Option<RecordId>) -> Encounter {
        let mut e = Encounter::new(self.perspective, self.counterpart);
        if let Some(when) = self.when {
            e.when = when;
        }
        e.partners = self.partners.clone();
        e.place = self.place.trim().to_string();
        e.outside = self.outside;
        e.note = self.note.trim().to_string();
        e.tags = split_tags(&self.tags);
        e.initiative = self.initiative;
        e.role = self.role;
        if let Some(f) = self.follow_up.as_ref().filter(|f| !f.text.trim().is_empty() || f.due.is_some()) {
            e.follow_ups.push(FollowUp {
                id: item_id(),
                text: f.text.trim().to_string(),
                due: f.due,
                owner: me,
                done: false,
            });
        }
        e
    }

    /// The records saving this form makes: the partners typed into the
    /// picker (placed where the encounter happened) and the encounter, which
    /// links them after the partners picked from the directory.
    pub fn records(&self, me: Option<RecordId>) -> (Vec<Partner>, Encounter) {
        let mut e = self.to_encounter(me);
        let fresh: Vec<Partner> = self
            .new_partners
            .iter()
            .map(|n| {
                let mut p = n.to_partner(me);
                if p.place.is_empty() {
                    p.place = e.place.clone();
                }
                p
            })
            .collect();
        e.partners.extend(fresh.iter().map(|p| p.id));
        (fresh, e)
    }
}

/// The encounter details screen's edit form: every field a person edits
/// after logging (follow-ups and colleagues keep their values).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EncounterEdit {
    pub when: DateTime<Utc>,
    pub place: String,
    pub outside: bool,
    pub perspective: Perspective,
    pub counterpart: CounterpartKind,
    pub partners: Vec<RecordId>,
    pub initiative: Option<Initiative>,
    pub role: Option<Role>,
    pub idea: String,
    pub note: String,
    /// Free text, as in the quick log.
    pub tags: String,
    pub outcomes: Vec<Outcome>,
}

impl EncounterEdit {
    pub fn apply(&self, e: &mut Encounter) {
        e.when = self.when;
        e.place = self.place.trim().to_string();
        e.outside = self.outside;
        e.perspective = self.perspective;
        e.counterpart = self.counterpart;
        e.partners = self.partners.clone();
        e.initiative = self.initiative;
        e.role = self.role;
        e.idea = self.idea.trim().to_string();
        e.note = self.note.trim().to_string();
        e.tags = split_tags(&self.tags);
        e.outcomes = self.outcomes.clone();
    }
}

/// A partner created inline (from the quick log) or in the directory.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPartner {
    pub name: String,
    pub kind: PartnerKind,
    pub place: String,
}

impl NewPartner {
    /// New partners start on the outer ring of the network circle.
    pub fn to_partner(&self, me: Option<RecordId>) -> Partner {
        let mut p = Partner::new(self.name.trim(), self.kind, Level::Network);
        p.place = self.place.trim().to_string();
        p.level_history[0].by = me;
        p
    }
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewContact {
    pub name: String,
    pub role: String,
    pub phone: String,
    pub email: String,
    pub basis: Option<ConsentBasis>,
}

impl NewContact {
    pub fn to_contact(&self) -> Contact {
        let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        Contact {
            id: item_id(),
            name: self.name.trim().to_string(),
            role: self.role.trim().to_string(),
            phone: opt(&self.phone),
            email: opt(&self.email),
            basis: self.basis,
        }
    }
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAgreement {
    pub title: String,
    pub expectations: String,
    pub library_gets: String,
    pub partner_gets: String,
    pub review_on: Option<NaiveDate>,
}

impl NewAgreement {
    pub fn to_agreement(&self, today: NaiveDate) -> Agreement {
        Agreement {
            id: item_id(),
            title: self.title.trim().to_string(),
            expectations: self.expectations.trim().to_string(),
            roles: String::new(),
            resources: String::new(),
            results: String::new(),
            library_gets: self.library_gets.trim().to_string(),
            partner_gets: self.partner_gets.trim().to_string(),
            agreed_on: Some(today),
            review_on: self.review_on,
        }
    }
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEvaluation {
    pub on: NaiveDate,
    pub rating: Degree,
    pub note: String,
}

impl NewEvaluation {
    pub fn to_evaluation(&self, me: Option<RecordId>) -> Evaluation {
        Evaluation { id: item_id(), on: self.on, by: me, rating: self.rating, note: self.note.trim().to_string() }
    }
}

/// The partner page's edit form: every field of the partner itself (its
/// items — contacts, agreements, evaluations — have forms of their own).
/// Only fields that differ from the document are written.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerEdit {
    pub name: String,
    pub kind: PartnerKind,
    pub place: String,
    pub phone: String,
    pub email: String,
    /// Free text, as in the quick log.
    pub tags: String,
    pub note: String,
    pub personal_note: String,
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

impl PartnerEdit {
    /// The form filled in from a partner, as the edit mode opens.
    pub fn of(p: &Partner) -> Self {
        PartnerEdit {
            name: p.name.clone(),
            kind: p.kind,
            place: p.place.clone(),
            phone: p.phone.clone().unwrap_or_default(),
            email: p.email.clone().unwrap_or_default(),
            tags: p.tags.join(" "),
            note: p.note.clone(),
            personal_note: p.personal_note.clone(),
        }
    }

    pub fn apply(&self, p: &mut Partner) {
        p.name = self.name.trim().to_string();
        p.kind = self.kind;
        p.place = self.place.trim().to_string();
        p.phone = opt(&self.phone);
        p.email = opt(&self.email);
        p.tags = split_tags(&self.tags);
        // Notes keep inner spacing; trimming the ends only avoids rewriting
        // the shared text when nothing but surrounding blanks changed.
        if self.note.trim() != p.note.trim() {
            p.note = self.note.trim().to_string();
        }
        p.personal_note = self.personal_note.trim().to_string();
    }
}

/// A contact person edited in place (its id names it).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactEdit {
    pub id: String,
    pub contact: NewContact,
}

impl ContactEdit {
    /// False when the partner has no such contact (removed elsewhere).
    pub fn apply(&self, p: &mut Partner) -> bool {
        let Some(c) = p.contacts.iter_mut().find(|c| c.id == self.id) else { return false };
        *c = Contact { id: c.id.clone(), ..self.contact.to_contact() };
        true
    }
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementEdit {
    pub id: String,
    pub title: String,
    pub expectations: String,
    pub roles: String,
    pub resources: String,
    pub results: String,
    pub library_gets: String,
    pub partner_gets: String,
    pub agreed_on: Option<NaiveDate>,
    pub review_on: Option<NaiveDate>,
}

impl AgreementEdit {
    pub fn apply(&self, p: &mut Partner) -> bool {
        let Some(a) = p.agreements.iter_mut().find(|a| a.id == self.id) else { return false };
        a.title = self.title.trim().to_string();
        a.expectations = self.expectations.trim().to_string();
        a.roles = self.roles.trim().to_string();
        a.resources = self.resources.trim().to_string();
        a.results = self.results.trim().to_string();
        a.library_gets = self.library_gets.trim().to_string();
        a.partner_gets = self.partner_gets.trim().to_string();
        a.agreed_on = self.agreed_on;
        a.review_on = self.review_on;
        true
    }
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationEdit {
    pub id: String,
    pub on: NaiveDate,
    pub rating: Degree,
    pub note: String,
}

impl EvaluationEdit {
    pub fn apply(&self, p: &mut Partner) -> bool {
        let Some(e) = p.evaluations.iter_mut().find(|e| e.id == self.id) else { return false };
        e.on = self.on;
        e.rating = self.rating;
        e.note = self.note.trim().to_string();
        true
    }
}

/// Which item of a partner to remove. Removing a contact person is not
/// this: it is an erasure (`Store::erase_contact`), so no copy stays readable.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartnerItem {
    Agreement,
    Evaluation,
}

impl PartnerItem {
    /// False when there was no such item.
    pub fn remove(self, p: &mut Partner, id: &str) -> bool {
        let before = p.agreements.len() + p.evaluations.len();
        match self {
            PartnerItem::Agreement => p.agreements.retain(|a| a.id != id),
            PartnerItem::Evaluation => p.evaluations.retain(|e| e.id != id),
        }
        before != p.agreements.len() + p.evaluations.len()
    }
}

/// An idea on the activities board, or an activity that grew out of an encounter.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewActivity {
    pub title: String,
    pub status: ActivityStatus,
    pub partners: Vec<RecordId>,
    pub from_encounters: Vec<RecordId>,
    pub outside: bool,
    pub place: String,
}

impl NewActivity {
    pub fn to_activity(&self) -> Activity {
        let mut a = Activity::new(self.title.trim(), self.status);
        a.partners = self.partners.clone();
        a.from_encounters = self.from_encounters.clone();
        a.outside = self.outside;
        a.place = self.place.trim().to_string();
        a
    }
}

/// The activity page's edit form: every field of an activity. Like the
/// encounter edit, only fields that differ from the record are written.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityEdit {
    pub title: String,
    pub status: ActivityStatus,
    pub partners: Vec<RecordId>,
    pub from_encounters: Vec<RecordId>,
    pub outside: bool,
    pub place: String,
    /// Did it need extra resources? `None`: nobody has said.
    pub extra_resources: Option<bool>,
    pub note: String,
    /// Free text, as in the quick log.
    pub tags: String,
}

impl ActivityEdit {
    pub fn apply(&self, a: &mut Activity) {
        a.title = self.title.trim().to_string();
        a.status = self.status;
        a.partners = dedup(&self.partners);
        a.from_encounters = dedup(&self.from_encounters);
        a.outside = self.outside;
        a.place = self.place.trim().to_string();
        a.extra_resources = self.extra_resources;
        a.note = self.note.trim().to_string();
        a.tags = split_tags(&self.tags);
    }
}

fn dedup(ids: &[RecordId]) -> Vec<RecordId> {
    let mut out: Vec<RecordId> = vec![];
    for id in ids {
        if !out.contains(id) {
            out.push(*id);
        }
    }
    out
}

/// "Make an activity of this encounter": an idea with the encounter as its
/// origin, its partners, and its place; titled after the encounter's idea
/// (or note, or place) so the card is recognisable on the board.
pub fn activity_from_encounter(e: &Encounter, lang: crate::i18n::Language) -> Activity {
    let from = [e.idea.as_str(), e.note.as_str()].into_iter().map(str::trim).find(|t| !t.is_empty());
    let title = match from {
        Some(t) => first_words(t, 80),
        None if !e.place.trim().is_empty() => crate::tr!(lang,
            nb: "Aktivitet fra møtet på {}", da: "Aktivitet fra mødet på {}", en: "Activity from the encounter at {}",
            e.place.trim()),
        None => {
            crate::tr!(lang, nb: "Ny aktivitet fra et møte", da: "Ny aktivitet fra et møde", en: "New activity from an encounter")
        }
    };
    let mut a = Activity::new(&title, ActivityStatus::Idea);
    a.partners = dedup(&e.partners);
    a.from_encounters = vec![e.id];
    a.outside = e.outside;
    a.place = e.place.trim().to_string();
    a
}

/// At most `max` characters, cut at a word boundary when there is one.
fn first_words(s: &str, max: usize) -> String {
    let line = s.lines().next().unwrap_or("").trim();
    match line.char_indices().nth(max) {
        None => line.to_string(),
        Some((cut, _)) => {
            let head = &line[..cut];
            let head = head.rsplit_once(' ').map_or(head, |(h, _)| h);
            format!("{}…", head.trim_end())
        }
    }
}

/// Marks one follow-up of an encounter done (or open again). Unknown item
/// ids are an error, so a stale screen does not silently change nothing.
pub fn set_follow_up_done(e: &mut Encounter, item: &str, done: bool) -> bool {
    match e.follow_ups.iter_mut().find(|f| f.id == item) {
        Some(f) => {
            f.done = done;
            true
        }
        None => false,
    }
}

/// Edits to the signed-in staff member's profile.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileEdit {
    pub name: String,
    pub branch: String,
}

impl ProfileEdit {
    pub fn apply(&self, s: &mut StaffMember) {
        s.name = self.name.trim().to_string();
        s.branch = self.branch.trim().to_string();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> QuickLog {
        QuickLog {
            perspective: Perspective::CoCreative,
            counterpart: CounterpartKind::Association,
            partners: vec![],
            new_partners: vec![],
            place: "  Kárášjohka torg ".into(),
            outside: true,
            note: " Vil starte strikkekafé ".into(),
            tags: "#marked, strikking  marked Strikking".into(),
            initiative: Some(Initiative::Citizen),
            role: None,
            follow_up: Some(FollowUpInput { text: "Sjekk nøkler".into(), due: None }),
            when: None,
        }
    }

    #[test]
    fn an_edit_rewrites_the_edited_fields_and_keeps_follow_ups() {
        let mut e = form().to_encounter(None);
        let edit = EncounterEdit {
            when: e.when,
            place: " Deatnu skole ".into(),
            outside: false,
            perspective: Perspective::Service,
            counterpart: CounterpartKind::School,
            partners: vec![],
            initiative: None,
            role: Some(Role::Facilitating),
            idea: " Lesekveld ".into(),
            note: "Ny avtale".into(),
            tags: "skole, skole lesing".into(),
            outcomes: vec![Outcome::NewActivity],
        };
        edit.apply(&mut e);
        assert_eq!((e.place.as_str(), e.outside, e.idea.as_str()), ("Deatnu skole", false, "Lesekveld"));
        assert_eq!(e.tags, vec!["skole", "lesing"]);
        assert_eq!(e.role, Some(Role::Facilitating));
        assert_eq!(e.follow_ups.len(), 1, "follow-ups are not part of the edit");
    }

    #[test]
    fn quick_log_becomes_a_valid_encounter() {
        let me = RecordId::new();
        let e = form().to_encounter(Some(me));
        assert_eq!(e.place, "Kárášjohka torg");
        assert_eq!(e.note, "Vil starte strikkekafé");
        assert_eq!(e.tags, vec!["marked", "strikking"]);
        assert_eq!(e.follow_ups.len(), 1);
        assert_eq!(e.follow_ups[0].owner, Some(me));
        assert!(e.outside);
        assert_eq!(e.validate(), Ok(()));
    }

    #[test]
    fn an_empty_follow_up_is_left_out_but_a_dated_empty_one_fails_validation() {
        let mut f = form();
        f.follow_up = Some(FollowUpInput { text: " ".into(), due: None });
        assert!(f.to_encounter(None).follow_ups.is_empty());
        f.follow_up = Some(FollowUpInput { text: "".into(), due: NaiveDate::from_ymd_opt(2026, 6, 1) });
        assert!(f.to_encounter(None).validate().is_err());
    }

    #[test]
    fn partners_typed_in_the_picker_are_made_with_the_encounter_and_linked_to_it() {
        let known = RecordId::new();
        let mut f = form();
        f.partners = vec![known];
        f.new_partners =
            vec![NewPartner { name: " Sjakkvennene ".into(), kind: PartnerKind::VolunteerGroup, place: "".into() }];
        let (fresh, e) = f.records(None);
        assert_eq!(fresh.len(), 1);
        assert_eq!((fresh[0].name.as_str(), fresh[0].place.as_str()), ("Sjakkvennene", "Kárášjohka torg"));
        assert_eq!(e.partners, vec![known, fresh[0].id]);
        assert!(form().records(None).0.is_empty(), "no typed partner, no new record");
    }

    #[test]
    fn a_partner_edit_changes_every_field_and_leaves_its_items() {
        let mut p = NewPartner { name: "Vadsø husflidslag".into(), kind: PartnerKind::Association, place: "".into() }
            .to_partner(None);
        p.contacts.push(
            NewContact { name: "Máret".into(), role: "".into(), phone: "".into(), email: "".into(), basis: None }
                .to_contact(),
        );
        let mut edit = PartnerEdit::of(&p);
        assert_eq!(edit.phone, "");
        edit.name = " Vadsø husflidslag og venner ".into();
        edit.kind = PartnerKind::VolunteerGroup;
        edit.place = "Vadsø".into();
        edit.phone = " 900 11 222 ".into();
        edit.email = "post@husflid.no".into();
        edit.tags = "#strikking, vev".into();
        edit.note = "Møtes tirsdager".into();
        edit.apply(&mut p);
        assert_eq!(p.name, "Vadsø husflidslag og venner");
        assert_eq!((p.kind, p.place.as_str()), (PartnerKind::VolunteerGroup, "Vadsø"));
        assert_eq!((p.phone.as_deref(), p.email.as_deref()), (Some("900 11 222"), Some("post@husflid.no")));
        assert_eq!(p.tags, vec!["strikking", "vev"]);
        assert_eq!(p.contacts.len(), 1, "contacts are not part of the edit");
        edit.phone = " ".into();
        edit.apply(&mut p);
        assert_eq!(p.phone, None, "an emptied phone is removed");
    }

    #[test]
    fn item_edits_find_their_item_by_id_and_say_when_it_is_gone() {
        let mut p = Partner::new("Čáhcesuolu bygdelag", PartnerKind::Association, Level::Partnership);
        p.evaluations.push(
            NewEvaluation { on: "2026-02-01".parse().unwrap(), rating: Degree::High, note: "".into() }
                .to_evaluation(None),
        );
        let id = p.evaluations[0].id.clone();
        let edit = EvaluationEdit {
            id: id.clone(),
            on: "2026-02-03".parse().unwrap(),
            rating: Degree::Low,
            note: " ok ".into(),
        };
        assert!(edit.apply(&mut p));
        assert_eq!((p.evaluations[0].rating, p.evaluations[0].note.as_str()), (Degree::Low, "ok"));
        assert!(PartnerItem::Evaluation.remove(&mut p, &id));
        assert!(!PartnerItem::Evaluation.remove(&mut p, &id), "removing twice finds nothing");
        assert!(!edit.apply(&mut p), "editing a removed item finds nothing");
    }

    #[test]
    fn new_partner_starts_in_the_network_ring() {
        let me = RecordId::new();
        let p =
            NewPartner { name: " Vadsø husflidslag ".into(), kind: PartnerKind::Association, place: "Vadsø".into() }
                .to_partner(Some(me));
        assert_eq!((p.name.as_str(), p.level), ("Vadsø husflidslag", Level::Network));
        assert_eq!(p.level_history[0].by, Some(me));
        let c =
            NewContact {
                name: "Máret".into(), role: "leder".into(), phone: " ".into(), email: "".into(), basis: None
            }
            .to_contact();
        assert_eq!((c.phone, c.email), (None, None));
    }

    #[test]
    fn an_activity_edit_sets_every_field_and_drops_repeated_links() {
        let mut a = Activity::new("Strikkekafé", ActivityStatus::Idea);
        let (p, e) = (RecordId::new(), RecordId::new());
        ActivityEdit {
            title: " Strikkekafé på torget ".into(),
            status: ActivityStatus::Running,
            partners: vec![p, p],
            from_encounters: vec![e],
            outside: true,
            place: " Kárášjohka ".into(),
            extra_resources: Some(false),
            note: " Hver tirsdag ".into(),
            tags: "strikk, marked strikk".into(),
        }
        .apply(&mut a);
        assert_eq!(
            (a.title.as_str(), a.status, a.place.as_str()),
            ("Strikkekafé på torget", ActivityStatus::Running, "Kárášjohka")
        );
        assert_eq!((a.partners.clone(), a.from_encounters.clone()), (vec![p], vec![e]));
        assert_eq!((a.outside, a.extra_resources, a.note.as_str()), (true, Some(false), "Hver tirsdag"));
        assert_eq!(a.tags, vec!["strikk", "marked"]);
        assert_eq!(a.validate(), Ok(()));
    }

    #[test]
    fn an_activity_made_of_an_encounter_keeps_its_origin_partners_and_place() {
        use crate::i18n::Language;
        let mut e = form().to_encounter(None);
        let p = RecordId::new();
        e.partners = vec![p];
        e.idea = "Strikkekafé hver tirsdag på torget, med garn fra husflidslaget og kaffe fra menigheten".into();
        let a = activity_from_encounter(&e, Language::Nb);
        assert_eq!((a.from_encounters.clone(), a.partners.clone()), (vec![e.id], vec![p]));
        assert_eq!((a.status, a.outside, a.place.as_str()), (ActivityStatus::Idea, true, "Kárášjohka torg"));
        assert!(a.title.starts_with("Strikkekafé hver tirsdag") && a.title.ends_with('…'), "{}", a.title);
        assert!(a.title.chars().count() <= 81);
        e.idea.clear();
        e.note.clear();
        assert_eq!(activity_from_encounter(&e, Language::Da).title, "Aktivitet fra mødet på Kárášjohka torg");
        assert_eq!(a.validate(), Ok(()));
    }
}
