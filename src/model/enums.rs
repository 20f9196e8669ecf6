//! The vocabulary of the domain (see shared/domain.md).

use crate::slug_enum;

slug_enum!(
    /// The perspective a staff member met a person with (seed 002, docs/domain.md).
    /// Choosing `CoCreative` in a daily meeting is everyday co-creation.
    Perspective, "perspective" {
        CoCreative = (1, "co-creative"),
        Professional = (2, "professional"),
        Authority = (3, "authority"),
        Service = (4, "service"),
    }
);

slug_enum!(
    /// Who the library met in an encounter.
    CounterpartKind, "counterpart" {
        Citizen = (1, "citizen"),
        Association = (2, "association"),
        Volunteer = (3, "volunteer"),
        Business = (4, "business"),
        MunicipalDepartment = (5, "municipal-department"),
        School = (6, "school"),
        PublicBody = (7, "public-body"),
    }
);

slug_enum!(
    /// What kind of organisation or person a partner is.
    PartnerKind, "partner kind" {
        Association = (1, "association"),
        Business = (2, "business"),
        PublicBody = (3, "public-body"),
        MunicipalDepartment = (4, "municipal-department"),
        School = (5, "school"),
        VolunteerGroup = (6, "volunteer-group"),
        Citizen = (7, "citizen"),
    }
);

impl CounterpartKind {
    /// Who you met when you met a partner of this kind: picking a partner in
    /// the quick log presets "who did you meet" with it.
    pub fn for_partner(kind: PartnerKind) -> CounterpartKind {
        match kind {
            PartnerKind::Association => CounterpartKind::Association,
            PartnerKind::Business => CounterpartKind::Business,
            PartnerKind::PublicBody => CounterpartKind::PublicBody,
            PartnerKind::MunicipalDepartment => CounterpartKind::MunicipalDepartment,
            PartnerKind::School => CounterpartKind::School,
            PartnerKind::VolunteerGroup => CounterpartKind::Volunteer,
            PartnerKind::Citizen => CounterpartKind::Citizen,
        }
    }
}

slug_enum!(
    /// The network circle (seed 004, docs/domain.md): network → collaboration → partnership.
    Level, "level" {
        Network = (1, "network"),
        Collaboration = (2, "collaboration"),
        Partnership = (3, "partnership"),
    }
);

slug_enum!(
    /// Who took the initiative: the citizen/partner ("tilkoblingsduelig")
    /// or the library ("opsøgende").
    Initiative, "initiative" {
        Citizen = (1, "citizen"),
        Library = (2, "library"),
    }
);

slug_enum!(
    /// The library's role: active co-creator, or facilitating a citizen's own idea.
    Role, "role" {
        Active = (1, "active"),
        Facilitating = (2, "facilitating"),
    }
);

slug_enum!(
    ActivityStatus, "status" {
        Idea = (1, "idea"),
        Planned = (2, "planned"),
        Running = (3, "running"),
        Ended = (4, "ended"),
        Dropped = (5, "dropped"),
    }
);

slug_enum!(
    /// What an encounter led to.
    Outcome, "outcome" {
        NewActivity = (1, "new-activity"),
        GrewNetwork = (2, "grew-network"),
        Visibility = (3, "visibility"),
        Invitation = (4, "invitation"),
        NewVolunteer = (5, "new-volunteer"),
    }
);

slug_enum!(
    /// The five-step scale the seeds' surveys use, for evaluations.
    Degree, "degree" {
        VeryHigh = (5, "very-high"),
        High = (4, "high"),
        Some = (3, "some"),
        Low = (2, "low"),
        NotAtAll = (1, "not-at-all"),
    }
);

slug_enum!(
    /// The GDPR basis for storing a contact person's data.
    ConsentBasis, "consent basis" {
        Consent = (1, "consent"),
        Agreement = (2, "agreement"),
        LegitimateInterest = (3, "legitimate-interest"),
        PublicTask = (4, "public-task"),
    }
);

slug_enum!(
    /// Which kind of record a document holds.
    RecordKind, "record kind" {
        Encounter = (1, "encounter"),
        Partner = (2, "partner"),
        Activity = (3, "activity"),
        Staff = (4, "staff"),
    }
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Slug;

    #[test]
    fn every_partner_kind_presets_the_counterpart_of_the_same_name() {
        for k in PartnerKind::ALL {
            let c = CounterpartKind::for_partner(*k);
            let expected = if *k == PartnerKind::VolunteerGroup { "volunteer" } else { k.slug() };
            assert_eq!(c.slug(), expected, "{k}");
        }
    }

    #[test]
    fn unknown_perspective_names_the_valid_ones() {
        let err = "friendly".parse::<Perspective>().unwrap_err().to_string();
        assert!(err.contains("unknown perspective 'friendly'"), "{err}");
        assert!(err.contains("co-creative, professional, authority, service"), "{err}");
    }

    #[test]
    fn slugs_and_codes_round_trip() {
        for p in PartnerKind::ALL {
            assert_eq!(PartnerKind::from_slug(p.slug()), Some(*p));
            assert_eq!(PartnerKind::from_code(p.code()), Some(*p));
        }
        assert_eq!("Municipal_Department".parse::<CounterpartKind>().ok(), Some(CounterpartKind::MunicipalDepartment));
        assert_eq!("municipal_department".parse::<CounterpartKind>().ok(), Some(CounterpartKind::MunicipalDepartment));
        assert_eq!("CO-CREATIVE".parse::<Perspective>().ok(), Some(Perspective::CoCreative));
    }

    #[test]
    fn serde_uses_slugs() {
        let json = serde_json::to_string(&CounterpartKind::PublicBody).unwrap();
        assert_eq!(json, "\"public-body\"");
        let back: CounterpartKind = serde_json::from_str(&json).unwrap();
        assert_eq!(back, CounterpartKind::PublicBody);
    }
}
