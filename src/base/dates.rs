//! Dates as authors write them: `2024-07-30`, RFC 3339 or the Vietnamese `30/7/2024`.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone};

use crate::base::messages::Message;

/// The offset dates without a zone are read in (Vietnam, UTC+7) unless the site says otherwise.
pub const DEFAULT_UTC_OFFSET_HOURS: i32 = 7;

/// A moment parsed from front matter or `--now`.
pub type Moment = DateTime<FixedOffset>;

/// Parses a date in one of the accepted forms; dates without a time mean midnight at `offset`.
pub fn parse_date(text: &str, offset: FixedOffset) -> Result<Moment, Message> {
    let text = text.trim();
    if let Ok(moment) = DateTime::parse_from_rfc3339(text) {
        return Ok(moment);
    }
    if let Ok(naive) = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S") {
        return offset.from_local_datetime(&naive).single().ok_or_else(|| impossible(text));
    }
    let day = if text.contains('/') { parse_day_first(text)? } else { parse_iso_day(text)? };
    offset
        .from_local_datetime(&day.and_time(NaiveTime::MIN))
        .single()
        .ok_or_else(|| impossible(text))
}

fn parse_iso_day(text: &str) -> Result<NaiveDate, Message> {
    let parts: Vec<&str> = text.split('-').collect();
    if parts.len() != 3 || parts[0].len() != 4 {
        return Err(not_a_date(text));
    }
    let (year, month, day) =
        (number(parts[0], text)?, number(parts[1], text)?, number(parts[2], text)?);
    NaiveDate::from_ymd_opt(year as i32, month, day).ok_or_else(|| impossible(text))
}

fn parse_day_first(text: &str) -> Result<NaiveDate, Message> {
    let parts: Vec<&str> = text.split('/').collect();
    if parts.len() != 3 || parts[2].len() != 4 {
        return Err(not_a_date(text));
    }
    let (day, month, year) =
        (number(parts[0], text)?, number(parts[1], text)?, number(parts[2], text)?);
    NaiveDate::from_ymd_opt(year as i32, month, day).ok_or_else(|| impossible(text))
}

fn number(part: &str, whole: &str) -> Result<u32, Message> {
    if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) || part.len() > 4 {
        return Err(not_a_date(whole));
    }
    part.parse().map_err(|_| not_a_date(whole))
}

fn impossible(text: &str) -> Message {
    msg!("date.impossible", text = text)
}

fn not_a_date(text: &str) -> Message {
    msg!("date.invalid", text = text)
}

/// The hint shown with every date error.
pub fn date_hint() -> Message {
    msg!("date.hint")
}

/// The site's default offset.
pub fn default_offset() -> FixedOffset {
    FixedOffset::east_opt(DEFAULT_UTC_OFFSET_HOURS * 3600).expect("a valid offset")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> String {
        parse_date(text, default_offset())
            .map(|m| m.format("%Y-%m-%d %H:%M %z").to_string())
            .unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn can_parse_every_accepted_form() {
        assert_eq!(day("2024-07-30"), "2024-07-30 00:00 +0700");
        assert_eq!(day("30/7/2024"), "2024-07-30 00:00 +0700");
        assert_eq!(day("01/07/2024"), "2024-07-01 00:00 +0700");
        assert_eq!(day("2024-07-30T08:30:00Z"), "2024-07-30 08:30 +0000");
    }

    #[test]
    fn errors_on_impossible_dates() {
        assert_eq!(day("31/2/2024"), "`31/2/2024` is not a day that exists");
        assert_eq!(day("2024-13-01"), "`2024-13-01` is not a day that exists");
        assert_eq!(day("7/30"), "`7/30` is not a date");
        assert_eq!(day("hôm qua"), "`hôm qua` is not a date");
    }
}
