//! The campaign fields of the editor's form (a campaign section's day, slogan and events):
//! each one rewritten in place inside the `campaign:` block, every other line of the block
//! (its `start` and `end`, its comments) kept byte for byte.

use std::path::Path;

use serde_json::Value;

use crate::base::error::{Error, Result};

/// The keys of the `campaign:` block the form shows.
pub const CAMPAIGN_KEYS: [&str; 3] = ["day", "slogan", "events"];

/// The keys of an event, in the order they are written.
const EVENT_KEYS: [&str; 5] = ["date", "time", "place", "district", "description"];

/// `text` (a whole source) with the changed keys of `campaign` (a JSON object of
/// [`CAMPAIGN_KEYS`]; `null` or empty removes one) set inside its `campaign:` block, which is
/// added when missing.
pub fn with_campaign(text: &str, campaign: &Value, shown: &Path) -> Result<String> {
    let Value::Object(fields) = campaign else { return Err(bad_field(shown, "campaign")) };
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let (start, end) = block(text).unwrap_or((0, 0));
    let (indent, mut inner) = if end > start {
        let lines: Vec<String> = text[start..end].split(newline).map(str::to_owned).collect();
        let indent = lines
            .iter()
            .find(|l| !l.trim().is_empty())
            .map(|l| l[..l.len() - l.trim_start().len()].to_owned())
            .unwrap_or_else(|| "  ".to_owned());
        let dedented: Vec<String> =
            lines.iter().map(|l| l.strip_prefix(&indent).unwrap_or(l).to_owned()).collect();
        (indent, dedented)
    } else {
        ("  ".to_owned(), Vec::new())
    };
    for (key, value) in fields {
        if !CAMPAIGN_KEYS.contains(&key.as_str()) {
            return Err(bad_field(shown, &format!("campaign.{key}")));
        }
        inner = with_key(inner, key, lines_of(key, value, shown)?);
    }
    let block: Vec<String> = inner
        .iter()
        .map(|l| if l.is_empty() { String::new() } else { format!("{indent}{l}") })
        .collect();
    let block = block.join(newline);
    if end > start {
        return Ok(format!("{}{block}{}", &text[..start], &text[end..]));
    }
    if block.is_empty() {
        return Ok(text.to_owned());
    }
    let added = crate::load::staleness::with_yaml(text, "campaign", Some("\u{0}"), shown)?;
    Ok(added.replacen(" \u{0}", &format!("{newline}{block}"), 1))
}

/// Where the lines under `campaign:` are in `text` (from the first one's start to the last
/// one's end, line end excluded); `None` without a `campaign:` key or with a value on its line.
fn block(text: &str) -> Option<(usize, usize)> {
    let mut offset = 0;
    let mut lines = text.split_inclusive('\n');
    for line in lines.by_ref() {
        offset += line.len();
        let content = line.trim_end_matches(['\r', '\n']);
        if content.trim_end() == "---" && offset > line.len() + 4 {
            return None;
        }
        if let Some(value) = content.strip_prefix("campaign:") {
            if !value.trim().is_empty() {
                return None;
            }
            break;
        }
    }
    let start = offset;
    let mut end = start;
    for line in lines {
        if !line.starts_with([' ', '\t']) {
            break;
        }
        end = offset + line.trim_end_matches(['\r', '\n']).len();
        offset += line.len();
    }
    Some((start, end))
}

/// `lines` (the block, its indent taken off) with `key` and its lines replaced by `new`
/// (appended when missing, removed when `None`).
fn with_key(lines: Vec<String>, key: &str, new: Option<Vec<String>>) -> Vec<String> {
    let starts =
        |l: &str| l.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with(':'));
    let Some(at) = lines.iter().position(|l| starts(l)) else {
        let mut lines = lines;
        lines.extend(new.unwrap_or_default());
        return lines;
    };
    let below = lines[at + 1..].iter().take_while(|l| l.starts_with([' ', '\t', '-'])).count();
    let mut result = lines[..at].to_vec();
    result.extend(new.unwrap_or_default());
    result.extend_from_slice(&lines[at + 1 + below..]);
    result
}

/// The lines of one campaign key, at the block's own level; `None` to remove it.
fn lines_of(key: &str, value: &Value, shown: &Path) -> Result<Option<Vec<String>>> {
    let empty = match value {
        Value::Null => true,
        Value::String(text) => text.trim().is_empty(),
        Value::Array(items) => items.is_empty(),
        _ => false,
    };
    if empty {
        return Ok(None);
    }
    match (key, value) {
        ("day", Value::String(day)) => {
            check_date(day, "campaign.day", shown)?;
            Ok(Some(vec![format!("day: {}", quoted(day))]))
        }
        ("slogan", Value::String(slogan)) => Ok(Some(vec![format!("slogan: {}", quoted(slogan))])),
        ("events", Value::Array(events)) => {
            let mut lines = vec!["events:".to_owned()];
            for event in events {
                lines.extend(event_lines(event, shown)?);
            }
            Ok(Some(lines))
        }
        _ => Err(bad_field(shown, &format!("campaign.{key}"))),
    }
}

/// One event as a sequence entry: its date (checked) first, then time, place and area.
fn event_lines(event: &Value, shown: &Path) -> Result<Vec<String>> {
    let Value::Object(fields) = event else { return Err(bad_field(shown, "campaign.events")) };
    if let Some(key) = fields.keys().find(|k| !EVENT_KEYS.contains(&k.as_str())) {
        return Err(bad_field(shown, &format!("campaign.events.{key}")));
    }
    let date = fields.get("date").and_then(Value::as_str).unwrap_or_default();
    check_date(date, "campaign.events.date", shown)?;
    let mut lines = Vec::new();
    for key in EVENT_KEYS {
        let Some(text) = fields.get(key).and_then(Value::as_str).filter(|t| !t.trim().is_empty())
        else {
            continue;
        };
        let lead = if lines.is_empty() { "  - " } else { "    " };
        lines.push(format!("{lead}{key}: {}", quoted(text.trim())));
    }
    Ok(lines)
}

fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// Refuses a date loa would not read (`30/7/2025`, `2025-07-30`).
fn check_date(text: &str, field: &str, shown: &Path) -> Result<()> {
    crate::base::dates::parse_date(text, crate::base::dates::default_offset()).map(|_| ()).map_err(
        |problem| {
            Error::at(shown, None, msg!("studio.bad_date", field = field, detail = problem))
                .with_hint(crate::base::dates::date_hint())
        },
    )
}

fn bad_field(shown: &Path, field: &str) -> Error {
    Error::at(shown, None, msg!("studio.bad_field", field = field))
        .with_hint(msg!("studio.unknown_field.hint"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECTION: &str = "---\r\ntitle: Tháng hành động\r\ncampaign:\r\n  day: 30/7/2025 # ngày chính\r\n  start: 1/7/2025\r\n  # ghi chú giữ lại\r\n  events:\r\n  - date: 1/7/2025\r\n    place: Xã A\r\n---\r\nThân.\r\n";

    #[test]
    fn changing_the_slogan_and_events_keeps_every_other_line_of_the_block() {
        let shown = Path::new("content/thang/_index.md");
        let campaign = serde_json::json!({
            "slogan": "Nói không với mua bán người",
            "events": [{"date": "5/7/2025", "time": "7:30", "place": "Chợ B", "district": "Huyện C"}]
        });
        let edited = with_campaign(SECTION, &campaign, shown).unwrap();
        assert_eq!(
            edited,
            "---\r\ntitle: Tháng hành động\r\ncampaign:\r\n  day: 30/7/2025 # ngày chính\r\n  start: 1/7/2025\r\n  # ghi chú giữ lại\r\n  events:\r\n    - date: \"5/7/2025\"\r\n      time: \"7:30\"\r\n      place: \"Chợ B\"\r\n      district: \"Huyện C\"\r\n  slogan: \"Nói không với mua bán người\"\r\n---\r\nThân.\r\n"
        );
        let unchanged = with_campaign(SECTION, &serde_json::json!({}), shown).unwrap();
        assert_eq!(unchanged, SECTION);
    }

    #[test]
    fn a_missing_block_is_added_and_bad_dates_are_refused() {
        let shown = Path::new("content/thang/_index.md");
        let text = "---\ntitle: T\n---\nx\n";
        let added = with_campaign(text, &serde_json::json!({"day": "30/7/2025"}), shown).unwrap();
        assert_eq!(added, "---\ntitle: T\ncampaign:\n  day: \"30/7/2025\"\n---\nx\n");
        let bad = serde_json::json!({"events": [{"date": "31/2/2025"}]});
        assert!(with_campaign(text, &bad, shown).is_err());
        assert!(with_campaign(text, &serde_json::json!({"start": "1/7/2025"}), shown).is_err());
    }
}
