//! What the editor's form changes in a source: the front matter keys it shows, one by one in
//! place (every other key, comment, BOM and line end kept byte for byte), and the body.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::base::error::{Error, Result};
use crate::load::staleness;

/// The front matter keys the form shows; others are never touched.
pub const FORM_KEYS: [&str; 12] = [
    "title",
    "description",
    "date",
    "tags",
    "image",
    "image_alt",
    "hotlines",
    "print",
    "draft",
    "publish_date",
    "expiry_date",
    "campaign",
];

/// A source as the editor opens it.
#[derive(Debug, Serialize)]
pub struct Opened {
    /// The form keys present, as YAML read them.
    pub fields: BTreeMap<String, serde_json::Value>,
    /// The body with `\n` line ends.
    pub body: String,
    /// The whole file as text, for showing both versions in a conflict.
    pub text: String,
}

/// What a save changes: form keys (a value, or `null` to remove the key) and the body.
#[derive(Debug, Default, Deserialize)]
pub struct Changes {
    /// Changed form keys only.
    #[serde(default)]
    pub fields: BTreeMap<String, serde_json::Value>,
    /// The new body (`\n` line ends), or `None` to keep it.
    #[serde(default)]
    pub body: Option<String>,
}

/// Reads a source for the editor.
pub fn open(text: &str, shown: &Path) -> Result<Opened> {
    let (front_end, body_start) = bounds(text, shown)?;
    let front = &text[..front_end];
    let yaml = front.split_once('\n').map_or("", |(_, rest)| rest);
    let all: BTreeMap<String, serde_json::Value> =
        serde_saphyr::from_str(&yaml.replace("\r\n", "\n")).unwrap_or_default();
    let fields = all.into_iter().filter(|(key, _)| FORM_KEYS.contains(&key.as_str())).collect();
    let body = text[body_start..].replace("\r\n", "\n");
    Ok(Opened { fields, body, text: text.trim_start_matches('\u{feff}').to_owned() })
}

/// `original` with `changes` applied: each changed key rewritten in place, the body replaced
/// with the file's own line ends; the result must still read as front matter loa accepts.
pub fn apply(original: &str, changes: &Changes, shown: &Path) -> Result<String> {
    let mut text = original.to_owned();
    for (key, value) in &changes.fields {
        if !FORM_KEYS.contains(&key.as_str()) {
            return Err(Error::at(shown, None, msg!("studio.unknown_field", key = key))
                .with_hint(msg!("studio.unknown_field.hint")));
        }
        if key == "campaign" {
            text = super::campaign::with_campaign(&text, value, shown)?;
            continue;
        }
        text = staleness::with_yaml(&text, key, yaml_of(key, value, shown)?.as_deref(), shown)?;
    }
    if let Some(body) = &changes.body {
        let (_, body_start) = bounds(&text, shown)?;
        if text[body_start..].replace("\r\n", "\n") != *body {
            let newline = if original.contains("\r\n") { "\r\n" } else { "\n" };
            let body = body.replace("\r\n", "\n").replace('\n', newline);
            text = format!("{}{body}", &text[..body_start]);
        }
    }
    check(&text, shown)?;
    Ok(text)
}

/// The YAML for a form value: strings double-quoted, lists in brackets, `true`/`false`;
/// `None` (remove the key) for `null`, an empty string or an empty list. Dates are checked.
fn yaml_of(key: &str, value: &serde_json::Value, shown: &Path) -> Result<Option<String>> {
    use serde_json::Value;
    let yaml = match value {
        Value::Null => None,
        Value::String(text) if text.trim().is_empty() => None,
        Value::Array(items) if items.is_empty() => None,
        Value::String(text) if key.ends_with("date") => {
            crate::base::dates::parse_date(text, crate::base::dates::default_offset()).map_err(
                |problem| {
                    Error::at(shown, None, msg!("studio.bad_date", field = key, detail = problem))
                        .with_hint(crate::base::dates::date_hint())
                },
            )?;
            Some(value.to_string())
        }
        Value::String(_) | Value::Bool(_) | Value::Number(_) => Some(value.to_string()),
        Value::Array(items) if items.iter().all(Value::is_string) => Some(value.to_string()),
        _ => {
            return Err(Error::at(shown, None, msg!("studio.bad_field", field = key))
                .with_hint(msg!("studio.unknown_field.hint")));
        }
    };
    Ok(yaml)
}

/// Where the front matter ends (before its closing `---`) and the body starts, in the raw text
/// (BOM and CRLF allowed).
fn bounds(text: &str, shown: &Path) -> Result<(usize, usize)> {
    let missing = || {
        Error::at(
            shown,
            Some(crate::base::error::Position::new(1, 1)),
            msg!("front_matter.missing"),
        )
        .with_hint(msg!("front_matter.missing.hint"))
    };
    let mut offset = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let mut lines = text[offset..].split_inclusive('\n');
    let first = lines.next().ok_or_else(missing)?;
    if first.trim_end() != "---" {
        return Err(missing());
    }
    offset += first.len();
    for line in lines {
        if line.trim_end() == "---" {
            return Ok((offset, offset + line.len()));
        }
        offset += line.len();
    }
    Err(Error::at(
        shown,
        Some(crate::base::error::Position::new(1, 1)),
        msg!("front_matter.unclosed"),
    )
    .with_hint(msg!("front_matter.unclosed.hint")))
}

/// Refuses text whose front matter loa would not accept (so a save never breaks the build).
fn check(text: &str, shown: &Path) -> Result<()> {
    let normalised = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let split = crate::load::front_matter::split(&normalised, shown)?;
    crate::load::front_matter::parse(
        split.front,
        shown,
        split.front_line_offset,
        crate::base::dates::default_offset(),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "\u{feff}---\r\ntitle: Cũ # giữ\r\n# ghi chú\r\nweight: 3\r\nextra:\r\n  a: b\r\ntags: [x]\r\n---\r\nThân bài.\r\n";

    fn changes(fields: serde_json::Value, body: Option<&str>) -> Changes {
        Changes { fields: serde_json::from_value(fields).unwrap(), body: body.map(str::to_owned) }
    }

    #[test]
    fn changing_the_title_keeps_every_other_byte() {
        let shown = Path::new("content/a.md");
        let edited =
            apply(FILE, &changes(serde_json::json!({"title": "Mới"}), Some("Thân bài.\n")), shown)
                .unwrap();
        assert_eq!(edited, FILE.replace("title: Cũ # giữ", "title: \"Mới\""));
        let nothing =
            apply(FILE, &changes(serde_json::json!({}), Some("Thân bài.\n")), shown).unwrap();
        assert_eq!(nothing, FILE);
    }

    #[test]
    fn a_new_body_takes_the_files_line_ends_and_tags_and_draft_are_yaml() {
        let shown = Path::new("content/a.md");
        let fields =
            serde_json::json!({"tags": ["lừa đảo", "30-7"], "draft": true, "date": "30/7/2025"});
        let edited = apply(FILE, &changes(fields, Some("Một\n\nHai\n")), shown).unwrap();
        assert!(edited.ends_with("---\r\nMột\r\n\r\nHai\r\n"), "{edited:?}");
        assert!(edited.contains("tags: [\"lừa đảo\",\"30-7\"]\r\n"));
        assert!(edited.contains("date: \"30/7/2025\"\r\ndraft: true\r\n---"), "{edited:?}");
        assert!(edited.contains("# ghi chú\r\nweight: 3\r\nextra:\r\n  a: b\r\n"));
        let removed =
            apply(&edited, &changes(serde_json::json!({"tags": []}), None), shown).unwrap();
        assert!(!removed.contains("tags:") && removed.contains("weight: 3\r\n"));
    }

    #[test]
    fn bad_values_and_keys_the_form_does_not_show_are_refused() {
        let shown = Path::new("content/a.md");
        for fields in [
            serde_json::json!({"date": "31/2/2025"}),
            serde_json::json!({"weight": "x"}),
            serde_json::json!({"tags": [{"a": 1}]}),
        ] {
            assert!(apply(FILE, &changes(fields.clone(), None), shown).is_err(), "{fields}");
        }
    }

    #[test]
    fn opening_shows_the_form_keys_and_the_body() {
        let opened = open(FILE, Path::new("content/a.md")).unwrap();
        assert_eq!(opened.body, "Thân bài.\n");
        assert_eq!(opened.fields["title"], "Cũ");
        assert!(!opened.fields.contains_key("weight"));
    }
}
