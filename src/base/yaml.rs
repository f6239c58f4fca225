//! The one place YAML is read: strict serde deserialisation with located errors.
//!
//! serde-saphyr is used rather than serde_yaml_ng because it is pure Rust, rejects duplicate
//! keys by default and reports line and column for every error, including type errors.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_saphyr::budget::{Budget, BudgetBreach};

use crate::base::error::{Error, Position};
use crate::base::messages::Message;

/// Deserialises `text` (found in `path`, starting `line_offset` lines into the file).
pub fn from_str<T: DeserializeOwned>(
    text: &str,
    path: &Path,
    line_offset: usize,
) -> Result<T, Error> {
    serde_saphyr::from_str(text).map_err(|e| to_error(&e, path, line_offset))
}

fn to_error(error: &serde_saphyr::Error, path: &Path, line_offset: usize) -> Error {
    let position = error
        .location()
        .map(|l| Position::new(l.line() as usize, l.column() as usize).shifted(line_offset));
    let detail = bare_message(&error.without_snippet().to_string());
    let (message, hint) = match error.without_snippet() {
        serde_saphyr::Error::Budget { breach, .. } => explain_budget(breach),
        _ => explain(&detail),
    };
    let error = Error::at(path, position, message);
    match hint {
        Some(hint) => error.with_hint(hint),
        None => error,
    }
}

/// The first line of saphyr's message without its own `error: line L column C:` prefix.
fn bare_message(rendered: &str) -> String {
    let first = rendered.lines().next().unwrap_or_default();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let without_place = match first.strip_prefix("line ") {
        Some(rest) => rest.split_once(": ").map_or(first, |(_, msg)| msg),
        None => first,
    };
    let message = without_place.replace(", set DuplicateKeyPolicy in Options if acceptable", "");
    strip_trailing_place(&message).trim().to_owned()
}

/// Removes a trailing ` at line L, column C`, since loa prints the place itself.
fn strip_trailing_place(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(i)
            if message[i + 9..].chars().all(|c| c.is_ascii_digit() || ", column".contains(c)) =>
        {
            &message[..i]
        }
        _ => message,
    }
}

/// The message and hint for a file past one of saphyr's limits (nesting, aliases, size).
fn explain_budget(breach: &BudgetBreach) -> (Message, Option<Message>) {
    match breach {
        BudgetBreach::Depth { .. } => (
            msg!("yaml.too_deep", max = Budget::default().max_depth),
            Some(msg!("yaml.too_deep.hint")),
        ),
        other => {
            (msg!("yaml.budget", detail = format!("{other:?}")), Some(msg!("yaml.budget.hint")))
        }
    }
}

/// The message and hint for one of saphyr's messages.
fn explain(detail: &str) -> (Message, Option<Message>) {
    if let Some((unknown, expected)) = unknown_field(detail) {
        let hint = match closest(unknown, &expected) {
            Some(best) => msg!("yaml.did_you_mean", best = best),
            None => msg!("yaml.allowed_keys", keys = expected.join(", ")),
        };
        return (
            msg!("yaml.unknown_key", key = unknown, allowed = expected.join(", ")),
            Some(hint),
        );
    }
    if let Some(key) = detail.strip_prefix("duplicate mapping key: ") {
        return (msg!("yaml.duplicate_key", key = key), Some(msg!("yaml.duplicate_key.hint")));
    }
    if detail.contains("tab") {
        return (msg!("yaml.tab", detail = detail), Some(msg!("yaml.tab.hint")));
    }
    if is_number_type(detail) {
        return (msg!("yaml.not_a_number", detail = detail), Some(msg!("yaml.wrong_type.hint")));
    }
    if detail.starts_with("invalid ")
        || detail.starts_with("expected ")
        || detail.contains("invalid type")
    {
        return (msg!("yaml.wrong_type", detail = detail), Some(msg!("yaml.wrong_type.hint")));
    }
    (msg!("yaml.invalid", detail = detail), None)
}

/// Whether saphyr says a value is not a Rust number type (`invalid i64`), words staff do not know.
fn is_number_type(detail: &str) -> bool {
    let Some(kind) = detail.strip_prefix("invalid ") else { return false };
    let kind = kind.split_whitespace().next().unwrap_or_default();
    let sized = kind.len() > 1 && kind[1..].chars().all(|c| c.is_ascii_digit());
    kind.starts_with(['i', 'u', 'f']) && (sized || kind[1..] == *"size")
}

fn unknown_field(message: &str) -> Option<(&str, Vec<&str>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (name, rest) = rest.split_once('`')?;
    let expected = rest
        .split_once("expected one of ")
        .map(|(_, list)| list)
        .or_else(|| rest.split_once("expected ").map(|(_, l)| l))?;
    let keys =
        expected.split(',').map(|k| k.trim().trim_matches('`')).filter(|k| !k.is_empty()).collect();
    Some((name, keys))
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(word, c), *c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        title: String,
        weight: Option<i64>,
    }

    fn error_of(text: &str) -> String {
        from_str::<Sample>(text, Path::new("a.md"), 1).unwrap_err().to_string()
    }

    #[test]
    fn errors_on_unknown_key_with_suggestion() {
        assert_eq!(
            error_of("title: x\ntitel: y\n"),
            "a.md:3:1: unknown field `titel`, expected one of title, weight\n  hint: did you mean `title`?"
        );
    }

    #[test]
    fn errors_on_duplicate_key() {
        assert!(
            error_of("title: x\ntitle: y\n")
                .starts_with("a.md:3:1: duplicate mapping key: title\n")
        );
    }

    #[test]
    fn finding_yaml_depth_errors_are_loa_messages_with_file_place_and_hint() {
        let deep = format!("a:\n  b: {}1{}\n", "[".repeat(70), "]".repeat(70));
        let error =
            from_str::<serde_json::Value>(&deep, Path::new("a.md"), 1).unwrap_err().to_string();
        assert!(error.starts_with("a.md:3:"), "{error}");
        assert!(error.contains("nested more than 64 levels deep"), "{error}");
        assert!(error.contains("\n  hint: write it with fewer levels"), "{error}");
        assert!(!error.contains("budget"), "{error}");
    }

    #[test]
    fn errors_on_wrong_type() {
        assert!(
            error_of("title: x\nweight: abc\n")
                .starts_with("a.md:3:9: this value must be a number (invalid i64)")
        );
    }
}
