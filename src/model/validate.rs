//! Validation with messages a person can act on.

use chrono::NaiveDate;
use thiserror::Error;

use super::records::*;
use crate::i18n::{noun, Language, Localize};
use crate::tr;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ValidationError {
    #[error("unknown {what} '{given}'; valid: {valid}")]
    UnknownValue { what: &'static str, given: String, valid: String },
    #[error("'{0}' is not a record id (expected a UUID such as 0190f1f4-8a1c-7cc3-9b8e-2f4f7d1a2b3c)")]
    BadId(String),
    #[error("{field} must not be empty")]
    Empty { field: &'static str },
    #[error("{field} is too long ({len} characters; at most {max})")]
    TooLong { field: &'static str, len: usize, max: usize },
    #[error("'{0}' is not an e-mail address")]
    BadEmail(String),
    #[error("'{0}' is not a phone number")]
    BadPhone(String),
    #[error("'{given}' is not a date; use YYYY-MM-DD")]
    BadDate { given: String },
    #[error("'{given}' is not a time; use RFC 3339, e.g. 2026-05-04T10:30:00+02:00")]
    BadTime { given: String },
    #[error("{what} '{given}' should be {format}")]
    BadFormat { what: &'static str, given: String, format: &'static str },
    #[error("'{0}' is not yes or no")]
    BadYesNo(String),
}

impl ValidationError {
    /// A stable machine-readable code: what was wrong, not in which field.
    pub fn code(&self) -> &'static str {
        match self {
            ValidationError::UnknownValue { .. } => "unknown_value",
            ValidationError::BadId(_) => "bad_id",
            ValidationError::Empty { .. } => "empty",
            ValidationError::TooLong { .. } => "too_long",
            ValidationError::BadEmail(_) => "bad_email",
            ValidationError::BadPhone(_) => "bad_phone",
            ValidationError::BadDate { .. } => "bad_date",
            ValidationError::BadTime { .. } => "bad_time",
            ValidationError::BadFormat { .. } => "bad_format",
            ValidationError::BadYesNo(_) => "bad_yes_no",
        }
    }
}

impl Localize for ValidationError {
    fn localize(&self, lang: Language) -> String {
        let n = |w: &str| noun(w, lang);
        match self {
            ValidationError::UnknownValue { what, given, valid } => tr!(lang,
                nb: "«{given}» er ikke en gyldig verdi for {}; velg en av disse: {valid}",
                da: "»{given}« er ikke en gyldig værdi for {}; vælg en af disse: {valid}",
                en: "unknown {} '{given}'; valid: {valid}", n(what)),
            ValidationError::BadId(given) => tr!(lang,
                nb: "«{given}» er ikke en post-ID (den ser slik ut: 0190f1f4-8a1c-7cc3-9b8e-2f4f7d1a2b3c)",
                da: "»{given}« er ikke et post-id (det ser sådan ud: 0190f1f4-8a1c-7cc3-9b8e-2f4f7d1a2b3c)",
                en: "'{given}' is not a record id (expected a UUID such as 0190f1f4-8a1c-7cc3-9b8e-2f4f7d1a2b3c)"),
            ValidationError::Empty { field } => tr!(lang,
                nb: "Fyll inn {}; feltet kan ikke stå tomt",
                da: "Udfyld {}; feltet må ikke være tomt",
                en: "{} must not be empty", n(field)),
            ValidationError::TooLong { field, len, max } => tr!(lang,
                nb: "Feltet {} er for langt ({len} tegn; høyst {max}); kort ned teksten og prøv igjen",
                da: "Feltet {} er for langt ({len} tegn; højst {max}); forkort teksten, og prøv igen",
                en: "{} is too long ({len} characters; at most {max})", n(field)),
            ValidationError::BadEmail(given) => tr!(lang,
                nb: "«{given}» er ikke en e-postadresse; skriv den som navn@eksempel.no",
                da: "»{given}« er ikke en e-mailadresse; skriv den som navn@eksempel.dk",
                en: "'{given}' is not an e-mail address"),
            ValidationError::BadPhone(given) => tr!(lang,
                nb: "«{given}» er ikke et telefonnummer; bruk bare sifre, mellomrom og +",
                da: "»{given}« er ikke et telefonnummer; brug kun cifre, mellemrum og +",
                en: "'{given}' is not a phone number"),
            ValidationError::BadDate { given } => tr!(lang,
                nb: "«{given}» er ikke en dato; skriv den som ÅÅÅÅ-MM-DD, for eksempel 2026-05-17",
                da: "»{given}« er ikke en dato; skriv den som ÅÅÅÅ-MM-DD, for eksempel 2026-06-05",
                en: "'{given}' is not a date; use YYYY-MM-DD"),
            ValidationError::BadTime { given } => tr!(lang,
                nb: "«{given}» er ikke et tidspunkt; skriv for eksempel 2026-05-04T10:30:00+02:00",
                da: "»{given}« er ikke et tidspunkt; skriv for eksempel 2026-05-04T10:30:00+02:00",
                en: "'{given}' is not a time; use RFC 3339, e.g. 2026-05-04T10:30:00+02:00"),
            ValidationError::BadFormat { what, given, format } => tr!(lang,
                nb: "«{given}» kan ikke brukes som {}: det må være {}",
                da: "»{given}« kan ikke bruges som {}: det skal være {}",
                en: "{} '{given}' should be {}", n(what), n(format)),
            ValidationError::BadYesNo(given) => tr!(lang,
                nb: "«{given}» er verken ja eller nei",
                da: "»{given}« er hverken ja eller nej",
                en: "'{given}' is not yes or no"),
        }
    }
}

const MAX_SHORT: usize = 300;
const MAX_LONG: usize = 100_000;

fn short(field: &'static str, v: &str) -> Result<(), ValidationError> {
    let len = v.chars().count();
    if len > MAX_SHORT {
        return Err(ValidationError::TooLong { field, len, max: MAX_SHORT });
    }
    Ok(())
}

fn long(field: &'static str, v: &str) -> Result<(), ValidationError> {
    let len = v.chars().count();
    if len > MAX_LONG {
        return Err(ValidationError::TooLong { field, len, max: MAX_LONG });
    }
    Ok(())
}

fn required(field: &'static str, v: &str) -> Result<(), ValidationError> {
    if v.trim().is_empty() {
        return Err(ValidationError::Empty { field });
    }
    short(field, v)
}

pub fn check_email(v: &str) -> Result<(), ValidationError> {
    let ok = v
        .split_once('@')
        .is_some_and(|(a, b)| !a.is_empty() && b.contains('.') && !b.starts_with('.') && !b.ends_with('.'))
        && !v.chars().any(char::is_whitespace);
    if ok {
        Ok(())
    } else {
        Err(ValidationError::BadEmail(v.to_string()))
    }
}

pub fn check_phone(v: &str) -> Result<(), ValidationError> {
    let digits = v.chars().filter(char::is_ascii_digit).count();
    let ok = (3..=20).contains(&digits) && v.chars().all(|c| c.is_ascii_digit() || " +-()./".contains(c));
    if ok {
        Ok(())
    } else {
        Err(ValidationError::BadPhone(v.to_string()))
    }
}

pub fn parse_date(v: &str) -> Result<NaiveDate, ValidationError> {
    NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").map_err(|_| ValidationError::BadDate { given: v.to_string() })
}

/// An RFC 3339 time, or a date (taken as midnight UTC).
pub fn parse_time(v: &str) -> Result<chrono::DateTime<chrono::Utc>, ValidationError> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(v.trim()) {
        return Ok(t.with_timezone(&chrono::Utc));
    }
    match parse_date(v) {
        Ok(d) => Ok(d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc()),
        Err(_) => Err(ValidationError::BadTime { given: v.to_string() }),
    }
}

pub fn parse_yes_no(v: &str) -> Result<bool, ValidationError> {
    match v.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "ja" | "j" | "1" => Ok(true),
        "no" | "n" | "false" | "nei" | "nej" | "0" => Ok(false),
        _ => Err(ValidationError::BadYesNo(v.to_string())),
    }
}

fn tags(v: &[String]) -> Result<(), ValidationError> {
    for t in v {
        required("tag", t)?;
    }
    Ok(())
}

/// Records check themselves before they are written.
pub trait Validate {
    fn validate(&self) -> Result<(), ValidationError>;
}

impl Validate for Encounter {
    fn validate(&self) -> Result<(), ValidationError> {
        short("place", &self.place)?;
        short("branch", &self.branch)?;
        long("idea", &self.idea)?;
        long("note", &self.note)?;
        tags(&self.tags)?;
        for f in &self.follow_ups {
            required("follow-up text", &f.text)?;
        }
        Ok(())
    }
}

impl Validate for Partner {
    fn validate(&self) -> Result<(), ValidationError> {
        required("name", &self.name)?;
        short("place", &self.place)?;
        if let Some(p) = &self.phone {
            check_phone(p)?;
        }
        if let Some(e) = &self.email {
            check_email(e)?;
        }
        long("note", &self.note)?;
        long("personal note", &self.personal_note)?;
        tags(&self.tags)?;
        for c in &self.contacts {
            required("contact name", &c.name)?;
            short("contact role", &c.role)?;
            if let Some(p) = &c.phone {
                check_phone(p)?;
            }
            if let Some(e) = &c.email {
                check_email(e)?;
            }
        }
        for a in &self.agreements {
            required("agreement title", &a.title)?;
        }
        Ok(())
    }
}

impl Validate for Activity {
    fn validate(&self) -> Result<(), ValidationError> {
        required("title", &self.title)?;
        short("place", &self.place)?;
        long("note", &self.note)?;
        tags(&self.tags)
    }
}

impl Validate for StaffMember {
    fn validate(&self) -> Result<(), ValidationError> {
        required("staff name", &self.name)?;
        short("branch", &self.branch)
    }
}

impl Contact {
    /// Parses "NAME;ROLE;PHONE;EMAIL"; trailing parts may be left out.
    pub fn parse_line(line: &str) -> Result<Contact, ValidationError> {
        let mut parts = line.split(';').map(str::trim);
        let name = parts.next().unwrap_or_default().to_string();
        let opt = |s: Option<&str>| s.filter(|s| !s.is_empty()).map(str::to_string);
        let c = Contact {
            id: item_id(),
            name,
            role: parts.next().unwrap_or_default().to_string(),
            phone: opt(parts.next()),
            email: opt(parts.next()),
            basis: None,
        };
        if parts.next().is_some() {
            return Err(ValidationError::BadFormat {
                what: "contact",
                given: line.to_string(),
                format: "NAME;ROLE;PHONE;EMAIL",
            });
        }
        required("contact name", &c.name)?;
        if let Some(p) = &c.phone {
            check_phone(p)?;
        }
        if let Some(e) = &c.email {
            check_email(e)?;
        }
        Ok(c)
    }
}

impl FollowUp {
    /// Parses "TEXT;YYYY-MM-DD"; the date may be left out.
    pub fn parse_line(line: &str) -> Result<FollowUp, ValidationError> {
        let (text, due) = match line.rsplit_once(';') {
            Some((t, d)) => (t.trim(), Some(parse_date(d)?)),
            None => (line.trim(), None),
        };
        required("follow-up text", text)?;
        Ok(FollowUp { id: item_id(), text: text.to_string(), due, owner: None, done: false })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    #[test]
    fn contact_and_follow_up_lines() {
        let c = Contact::parse_line("Áile Somby; leder; 915 00 000; aile@example.no").unwrap();
        assert_eq!((c.name.as_str(), c.role.as_str()), ("Áile Somby", "leder"));
        assert_eq!(c.email.as_deref(), Some("aile@example.no"));
        assert_eq!(Contact::parse_line("Per").unwrap().phone, None);
        assert!(Contact::parse_line(";leder").is_err());
        assert!(Contact::parse_line("a;b;c;d;e").unwrap_err().to_string().contains("NAME;ROLE;PHONE;EMAIL"));
        let f = FollowUp::parse_line("Ring tilbake om lokaler;2026-06-01").unwrap();
        assert_eq!(f.due.unwrap().to_string(), "2026-06-01");
        assert!(FollowUp::parse_line("Ring;juni").is_err());
        assert_eq!(parse_time("2026-05-04").unwrap().to_rfc3339(), "2026-05-04T00:00:00+00:00");
        assert!(parse_time("i går").is_err());
    }

    #[test]
    fn partner_needs_a_name_and_valid_contacts() {
        let mut p = Partner::new("  ", PartnerKind::Association, Level::Network);
        assert_eq!(p.validate(), Err(ValidationError::Empty { field: "name" }));
        p.name = "Vadsø husflidslag".into();
        p.email = Some("not-an-address".into());
        assert!(p.validate().unwrap_err().to_string().contains("not an e-mail"));
        p.email = Some("post@husflid.no".into());
        p.phone = Some("+47 789 55 123".into());
        assert_eq!(p.validate(), Ok(()));
    }

    #[test]
    fn dates_and_yes_no() {
        assert!(parse_date("2026-13-01").is_err());
        assert_eq!(parse_date("2026-05-17").unwrap().to_string(), "2026-05-17");
        assert_eq!(parse_yes_no("Ja"), Ok(true));
        assert!(parse_yes_no("kanskje").is_err());
    }
}
