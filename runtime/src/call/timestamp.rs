//! [`Timestamp`]: the value of a date or date-time query parameter, given as text or, with
//! the `time` or `chrono` feature, as a typed value.

use std::fmt;

use serde::{Serialize, Serializer};

/// A date (`2024-10-30`) or an RFC 3339 timestamp (`2024-10-30T12:00:00Z`) for a query
/// parameter the docs type as a date-time.
///
/// Text is sent exactly as given, so whatever the API accepts can be written. With the
/// `time` feature, `time::OffsetDateTime` (RFC 3339) and `time::Date` (`YYYY-MM-DD`)
/// convert into it; with the `chrono` feature, `chrono::DateTime<Tz>` (RFC 3339) and
/// `chrono::NaiveDate` (`YYYY-MM-DD`) do.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp(String);

impl Timestamp {
    /// The text sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Timestamp {
    fn from(text: &str) -> Self {
        Timestamp(text.to_owned())
    }
}

impl From<String> for Timestamp {
    fn from(text: String) -> Self {
        Timestamp(text)
    }
}

impl From<&String> for Timestamp {
    fn from(text: &String) -> Self {
        Timestamp(text.clone())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

#[cfg(feature = "time")]
impl From<time::OffsetDateTime> for Timestamp {
    /// RFC 3339, with the value's own offset (`2024-10-30T12:00:00+02:00`).
    fn from(at: time::OffsetDateTime) -> Self {
        // RFC 3339 cannot write years outside 0000–9999; the API would refuse those anyway,
        // and `Display` still says what was meant.
        let text = at
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_else(|_| at.to_string());
        Timestamp(text)
    }
}

#[cfg(feature = "time")]
impl From<time::Date> for Timestamp {
    /// `YYYY-MM-DD`.
    fn from(date: time::Date) -> Self {
        Timestamp(date.to_string())
    }
}

#[cfg(feature = "chrono")]
impl<Tz: chrono::TimeZone> From<chrono::DateTime<Tz>> for Timestamp
where
    Tz::Offset: fmt::Display,
{
    /// RFC 3339, with the value's own offset.
    fn from(at: chrono::DateTime<Tz>) -> Self {
        Timestamp(at.to_rfc3339())
    }
}

#[cfg(feature = "chrono")]
impl From<chrono::NaiveDate> for Timestamp {
    /// `YYYY-MM-DD`.
    fn from(date: chrono::NaiveDate) -> Self {
        Timestamp(date.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_sent_unchanged() {
        for text in ["2024-10-30", "2024-10-30T00:00:00+00:00", "yesterday"] {
            let t = Timestamp::from(text);
            assert_eq!((t.as_str(), t.to_string()), (text, text.to_owned()));
            assert_eq!(serde_json::to_value(&t).unwrap(), serde_json::json!(text));
        }
    }

    #[cfg(feature = "time")]
    #[test]
    fn time_values_are_written_as_rfc_3339_and_dates() {
        let day = time::Date::from_calendar_date(2024, time::Month::October, 30).unwrap();
        let at = time::PrimitiveDateTime::new(day, time::Time::from_hms(12, 30, 0).unwrap())
            .assume_offset(time::UtcOffset::from_hms(2, 0, 0).unwrap());
        assert_eq!(Timestamp::from(at).as_str(), "2024-10-30T12:30:00+02:00");
        assert_eq!(Timestamp::from(day).as_str(), "2024-10-30");
    }

    #[cfg(feature = "chrono")]
    #[test]
    fn chrono_values_are_written_as_rfc_3339_and_dates() {
        use chrono::TimeZone;
        let at = chrono::Utc
            .with_ymd_and_hms(2024, 10, 30, 12, 30, 0)
            .unwrap();
        assert_eq!(Timestamp::from(at).as_str(), "2024-10-30T12:30:00+00:00");
        let day = chrono::NaiveDate::from_ymd_opt(2024, 10, 30).unwrap();
        assert_eq!(Timestamp::from(day).as_str(), "2024-10-30");
    }
}
