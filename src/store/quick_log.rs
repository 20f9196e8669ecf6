//! What the quick log needs of the store: saving a form (with the partners
//! typed into its picker) and the one-tap choices, the partners and places
//! this staff member met most recently and most often. Both read only the
//! index; the choices look at a bounded window of one's own latest
//! encounters, so they cost the same in a store of any size.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::query::id_of;
use super::{Result, Store};
use crate::forms::QuickLog;
use crate::model::*;

/// How many of my latest encounters the choices are drawn from.
const WINDOW: i64 = 200;
/// The most recent ones always get a chip; the rest go to the most frequent.
const RECENT: usize = 3;

/// A partner as a one-tap chip, with the counterpart it presets.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PartnerPick {
    pub id: RecordId,
    pub name: String,
    pub kind: PartnerKind,
    pub counterpart: CounterpartKind,
}

/// A place as a one-tap chip; `outside` is how it was logged last time.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlacePick {
    pub place: String,
    pub outside: bool,
}

/// What saving a quick-log form made: undoing it deletes all of it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Logged {
    pub encounter: RecordId,
    /// Partners typed into the picker, created with the encounter.
    pub partners: Vec<RecordId>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct QuickPicks {
    pub partners: Vec<PartnerPick>,
    pub places: Vec<PlacePick>,
}

/// The `RECENT` latest, then the most frequent (ties: the latest), `limit` in all.
fn rank<T>(mut rows: Vec<(T, i64, i64)>, limit: usize) -> Vec<T> {
    rows.sort_by_key(|r| std::cmp::Reverse(r.2));
    let mut rest = rows.split_off(RECENT.min(rows.len()));
    rest.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)));
    rows.into_iter().chain(rest).take(limit).map(|r| r.0).collect()
}

/// Pop-up mode's counter and closing summary: what I logged since the
/// session began, counted in SQL (largest first) so it is exact however long
/// the session ran and survives the app being closed in between.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PopupTally {
    pub count: u32,
    pub minutes: u32,
    pub by_perspective: Vec<(Perspective, u32)>,
    pub by_counterpart: Vec<(CounterpartKind, u32)>,
}

impl Store {
    /// What I logged from `since` until `now`, for pop-up mode.
    pub fn popup_tally(&self, since: DateTime<Utc>, now: DateTime<Utc>) -> Result<PopupTally> {
        let minutes = u32::try_from((now - since).num_minutes().max(0)).unwrap_or(u32::MAX);
        let Some(me) = self.me() else { return Ok(PopupTally { minutes, ..Default::default() }) };
        let by = |column: &str| -> Result<Vec<(i64, u32)>> {
            let mut stmt = self.conn().prepare_cached(&format!(
                "SELECT {column}, COUNT(*) AS n FROM encounters
                 WHERE staff = (SELECT n FROM refs WHERE id = ?1) AND when_ms >= ?2
                 GROUP BY {column} ORDER BY n DESC, {column}"
            ))?;
            let rows = stmt.query_map(rusqlite::params![me.as_bytes().to_vec(), since.timestamp_millis()], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let by_perspective: Vec<_> =
            by("perspective")?.into_iter().filter_map(|(c, n)| Some((Perspective::from_code(c)?, n))).collect();
        let by_counterpart =
            by("counterpart")?.into_iter().filter_map(|(c, n)| Some((CounterpartKind::from_code(c)?, n))).collect();
        Ok(PopupTally { count: by_perspective.iter().map(|p| p.1).sum(), minutes, by_perspective, by_counterpart })
    }

    /// Saves a quick-log form: the encounter is checked first, so a form the
    /// core refuses creates no partner either.
    pub fn log_quick(&mut self, form: &QuickLog) -> Result<Logged> {
        let (fresh, encounter) = form.records(self.me());
        encounter.validate()?;
        for p in &fresh {
            p.validate()?;
        }
        let partners = fresh.iter().map(|p| p.id).collect();
        if !fresh.is_empty() {
            self.create_many(fresh)?;
        }
        Ok(Logged { encounter: self.create(&encounter)?, partners })
    }

    /// Undoes a quick log: deletes the encounter and the partners made with it
    /// (tombstones, like every delete; `restore` brings each back).
    pub fn undo_log(&mut self, logged: &Logged) -> Result<()> {
        self.delete(logged.encounter)?;
        for p in &logged.partners {
            self.delete(*p)?;
        }
        Ok(())
    }

    /// The partners and places of my latest encounters, for one-tap chips.
    pub fn quick_picks(&self, limit: usize) -> Result<QuickPicks> {
        let Some(me) = self.me() else { return Ok(QuickPicks::default()) };
        let mine = "WITH mine AS (SELECT rowid, when_ms, place, outside FROM encounters
                     WHERE staff = (SELECT n FROM refs WHERE id = ?1) ORDER BY when_ms DESC LIMIT ?2)";
        let mut stmt = self.conn().prepare_cached(&format!(
            "{mine} SELECT d.id, p.name, p.kind, COUNT(*), MAX(m.when_ms)
             FROM mine m JOIN encounter_partners ep ON ep.encounter = m.rowid
             JOIN refs r ON r.n = ep.partner JOIN docs d ON d.id = r.id JOIN partners p ON p.rowid = d.rowid
             GROUP BY ep.partner"
        ))?;
        let partners = stmt
            .query_map(rusqlite::params![me.as_bytes().to_vec(), WINDOW], |r| {
                let kind: PartnerKind = super::query::slug_of(r, 2)?;
                let pick = PartnerPick {
                    id: id_of(r, 0)?,
                    name: r.get(1)?,
                    kind,
                    counterpart: CounterpartKind::for_partner(kind),
                };
                Ok((pick, r.get::<_, i64>(3)?, r.get::<_, i64>(4)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        // SQLite fills bare columns of a MAX() aggregate from the row with the maximum:
        // `outside` is how the place was logged the last time.
        let mut stmt = self.conn().prepare_cached(&format!(
            "{mine} SELECT place, outside, COUNT(*), MAX(when_ms) FROM mine WHERE place != '' GROUP BY place"
        ))?;
        let places = stmt
            .query_map(rusqlite::params![me.as_bytes().to_vec(), WINDOW], |r| {
                Ok((PlacePick { place: r.get(0)?, outside: r.get(1)? }, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(QuickPicks { partners: rank(partners, limit), places: rank(places, limit) })
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, Utc};

    use super::*;
    use crate::forms::{NewPartner, QuickLog};

    fn fresh() -> (tempfile::TempDir, Store) {
        crate::testing::temp_store("Ingrid Haugen", "Vadsø")
    }

    fn form(place: &str, partners: Vec<RecordId>, hours_ago: i64) -> QuickLog {
        QuickLog {
            perspective: Perspective::CoCreative,
            counterpart: CounterpartKind::Citizen,
            partners,
            new_partners: vec![],
            place: place.into(),
            outside: place.contains("torg"),
            note: String::new(),
            tags: String::new(),
            initiative: None,
            role: None,
            follow_up: None,
            when: Some(Utc::now() - Duration::hours(hours_ago)),
        }
    }

    #[test]
    fn the_latest_come_first_then_the_most_frequent() {
        let (_d, mut s) = fresh();
        let husflid = s.create(&Partner::new("Vadsø husflidslag", PartnerKind::Association, Level::Network)).unwrap();
        let skole = s.create(&Partner::new("Kárášjohka skole", PartnerKind::School, Level::Network)).unwrap();
        let rad = s.create(&Partner::new("Ungdomsrådet", PartnerKind::MunicipalDepartment, Level::Network)).unwrap();
        let sjakk = s.create(&Partner::new("Sjakkvennene", PartnerKind::VolunteerGroup, Level::Network)).unwrap();
        // Husflidslaget often but long ago; the other three once each, lately.
        for h in 0..5 {
            s.log_quick(&form("Vadsø torg", vec![husflid], 100 + h)).unwrap();
        }
        s.log_quick(&form("Biblioteket", vec![rad], 3)).unwrap();
        s.log_quick(&form("Kárášjohka skole", vec![skole], 2)).unwrap();
        s.log_quick(&form("Biblioteket", vec![sjakk], 1)).unwrap();
        let picks = s.quick_picks(8).unwrap();
        let names: Vec<_> = picks.partners.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Sjakkvennene", "Kárášjohka skole", "Ungdomsrådet", "Vadsø husflidslag"]);
        assert_eq!(picks.partners[0].counterpart, CounterpartKind::Volunteer);
        assert_eq!(picks.partners[1].counterpart, CounterpartKind::School);
        let places: Vec<_> = picks.places.iter().map(|p| (p.place.as_str(), p.outside)).collect();
        assert_eq!(places, [("Biblioteket", false), ("Kárášjohka skole", false), ("Vadsø torg", true)]);
        assert_eq!(s.quick_picks(2).unwrap().partners.len(), 2);
    }

    #[test]
    fn the_popup_tally_counts_my_encounters_since_the_start_largest_first() {
        let (_d, mut s) = fresh();
        let start = Utc::now() - Duration::minutes(90);
        s.log_quick(&form("Vadsø torg", vec![], 2)).unwrap(); // before the session
        let mut logged = vec![];
        for (p, c) in [
            (Perspective::Service, CounterpartKind::Citizen),
            (Perspective::CoCreative, CounterpartKind::Citizen),
            (Perspective::Service, CounterpartKind::Volunteer),
            (Perspective::Service, CounterpartKind::Citizen),
        ] {
            let mut f = form("Vadsø torg", vec![], 0);
            (f.perspective, f.counterpart) = (p, c);
            logged.push(s.log_quick(&f).unwrap());
        }
        // A colleague's encounter in the same store is not mine.
        let colleague =
            StaffMember { id: RecordId::new(), name: "Per".into(), branch: "Vadsø".into(), deleted: false };
        let colleague = s.create(&colleague).unwrap();
        let (_, mut theirs) = form("Vadsø torg", vec![], 0).records(None);
        theirs.staff = Some(colleague);
        s.create(&theirs).unwrap();
        s.undo_log(&logged[3]).unwrap();

        let t = s.popup_tally(start, start + Duration::minutes(47)).unwrap();
        assert_eq!(t.count, 3);
        assert_eq!(t.minutes, 47);
        assert_eq!(t.by_perspective, [(Perspective::Service, 2), (Perspective::CoCreative, 1)]);
        assert_eq!(t.by_counterpart, [(CounterpartKind::Citizen, 2), (CounterpartKind::Volunteer, 1)]);
    }

    #[test]
    fn a_deleted_partner_is_no_longer_offered() {
        let (_d, mut s) = fresh();
        let p = s.create(&Partner::new("Vadsø husflidslag", PartnerKind::Association, Level::Network)).unwrap();
        s.log_quick(&form("Vadsø torg", vec![p], 1)).unwrap();
        assert_eq!(s.quick_picks(8).unwrap().partners.len(), 1);
        s.delete(p).unwrap();
        assert!(s.quick_picks(8).unwrap().partners.is_empty());
    }

    #[test]
    fn typed_partners_are_created_only_with_a_valid_encounter() {
        let (_d, mut s) = fresh();
        let mut f = form("Vadsø torg", vec![], 0);
        f.new_partners =
            vec![NewPartner { name: "Sjakkvennene".into(), kind: PartnerKind::VolunteerGroup, place: "".into() }];
        f.note = "x".repeat(100_001);
        assert!(s.log_quick(&f).is_err(), "a note this long is refused");
        assert_eq!(s.counts().unwrap().partners, 0, "and no partner was made");
        f.note = "Vil starte sjakkklubb".into();
        let logged = s.log_quick(&f).unwrap();
        let e = s.get::<Encounter>(logged.encounter).unwrap().record;
        assert_eq!(e.partners, logged.partners);
        let p = s.get::<Partner>(e.partners[0]).unwrap().record;
        assert_eq!((p.name.as_str(), p.place.as_str()), ("Sjakkvennene", "Vadsø torg"));
        assert_eq!(s.counts().unwrap().encounters, 1);

        s.undo_log(&logged).unwrap();
        assert_eq!(s.counts().unwrap().encounters, 0, "undo takes the encounter away");
        assert_eq!(s.counts().unwrap().partners, 0, "and the partner typed for it");
        assert!(s.get::<Encounter>(logged.encounter).unwrap().record.deleted);
    }
}
