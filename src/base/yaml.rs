//! The one place YAML is read: strict serde deserialisation with located errors.
//!
//! serde-saphyr is used rather than serde_yaml_ng because it is pure Rust, rejects duplicate
//! keys by default and reports line and column for every error, including type errors.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_saphyr::budget::{Budget, BudgetBreach};
use serde_saphyr::granit_parser::ErrorKind;
use serde_saphyr::{Error as SaphyrError, ExternalMessageSource};

use crate::base::error::{Error, Position};
use crate::base::messages::Message;

/// Deserialises `text` (found in `path`, starting `line_offset` lines into the file).
pub fn from_str<T: DeserializeOwned>(
    text: &str,
    path: &Path,
    line_offset: usize,
) -> Result<T, Error> {
    serde_saphyr::from_str(text).map_err(|e| to_error(&e, text, path, line_offset))
}

fn to_error(error: &serde_saphyr::Error, text: &str, path: &Path, line_offset: usize) -> Error {
    let location = error.location();
    let position = location
        .map(|l| Position::new(l.line() as usize, l.column() as usize).shifted(line_offset));
    let line = location.and_then(|l| text.lines().nth((l.line() as usize).saturating_sub(1)));
    let (message, hint) = explain(error.without_snippet(), line.unwrap_or_default());
    let error = Error::at(path, position, message);
    match hint {
        Some(hint) => error.with_hint(hint),
        None => error,
    }
}

/// The message and hint for one of saphyr's errors, by its kind; `line` is the source line
/// the error points at.
fn explain(error: &SaphyrError, line: &str) -> (Message, Option<Message>) {
    match error {
        SaphyrError::Budget { breach, .. } => explain_budget(breach),
        SaphyrError::SerdeUnknownField { field, expected, .. } => unknown_key(field, expected),
        SaphyrError::DuplicateMappingKey { key, .. } => (
            msg!("yaml.duplicate_key", key = key.as_deref().unwrap_or_default()),
            Some(msg!("yaml.duplicate_key.hint")),
        ),
        SaphyrError::SerdeMissingField { field, .. } => (
            msg!("yaml.missing_key", key = field),
            Some(msg!("yaml.missing_key.hint", key = field)),
        ),
        SaphyrError::SerdeUnknownVariant { variant, expected, .. } => {
            unknown_value(variant, expected)
        }
        SaphyrError::InvalidScalar { ty, .. } => wrong_type(kind_of_rust_type(ty)),
        SaphyrError::InvalidBooleanStrict { .. } => wrong_type(Kind::Boolean),
        SaphyrError::NullIntoString { .. } => wrong_type(Kind::Text),
        SaphyrError::SerdeInvalidType { expected, .. }
        | SaphyrError::SerdeInvalidValue { expected, .. } => {
            wrong_type(kind_of_expectation(expected))
        }
        SaphyrError::Unexpected { expected, .. } => wrong_type(kind_of_expectation(expected)),
        SaphyrError::ExternalMessage { source, msg, .. } => match source.as_ref() {
            ExternalMessageSource::Parser(scan) => explain_syntax(scan.kind(), msg, line),
            _ => (msg!("yaml.invalid", detail = msg), None),
        },
        SaphyrError::AliasError { error, .. } => explain(error, line),
        other => (msg!("yaml.invalid", detail = bare_message(&other.to_string())), None),
    }
}

/// The message and hint for a mistake in YAML's own syntax.
fn explain_syntax(kind: &ErrorKind, detail: &str, line: &str) -> (Message, Option<Message>) {
    match kind {
        ErrorKind::TabNotAllowed
        | ErrorKind::TabInBlockIndentation
        | ErrorKind::TabInIndentation
        | ErrorKind::TabInPlainScalar
        | ErrorKind::TabAtBlockScalarStart => (msg!("yaml.tab"), Some(msg!("yaml.tab.hint"))),
        ErrorKind::MappingValueNotAllowed | ErrorKind::InvalidColonPlacement => {
            match quoted_value(line) {
                Some(fixed) => {
                    (msg!("yaml.colon_in_value"), Some(msg!("yaml.quote.hint", fixed = fixed)))
                }
                None if line.contains(": ") && !line.starts_with(' ') => {
                    (msg!("yaml.colon_in_value"), Some(msg!("yaml.colon_in_value.hint")))
                }
                None => (msg!("yaml.indentation"), Some(msg!("yaml.indentation.hint"))),
            }
        }
        ErrorKind::UnclosedQuotedScalar => {
            (msg!("yaml.unclosed_quote"), Some(msg!("yaml.unclosed_quote.hint")))
        }
        ErrorKind::UnclosedFlowCollection { open }
        | ErrorKind::MismatchedFlowCollectionEnd { open, .. } => (
            msg!("yaml.unclosed_bracket", open = open),
            Some(msg!("yaml.unclosed_bracket.hint", close = if *open == '[' { ']' } else { '}' })),
        ),
        ErrorKind::InvalidIndentation
        | ErrorKind::InvalidFlowScalarIndent
        | ErrorKind::InvalidBlockScalarIndent
        | ErrorKind::InvalidQuotedScalarIndent
        | ErrorKind::ExpectedBlockMappingKey
        | ErrorKind::ExpectedBlockSequenceEntry => {
            (msg!("yaml.indentation"), Some(msg!("yaml.indentation.hint")))
        }
        ErrorKind::SimpleKeyExpected | ErrorKind::InvalidSimpleKey => {
            (msg!("yaml.not_a_key"), Some(msg!("yaml.not_a_key.hint")))
        }
        ErrorKind::UnexpectedCharacter { character } => (
            msg!("yaml.reserved_character", character = character),
            Some(msg!("yaml.colon_in_value.hint")),
        ),
        _ => (msg!("yaml.invalid", detail = bare_message(detail)), Some(msg!("yaml.syntax.hint"))),
    }
}

/// `key: value` with the value put in double quotes, when `line` is a key and a plain value.
fn quoted_value(line: &str) -> Option<String> {
    let (key, value) = line.split_once(": ")?;
    let value = value.trim();
    let plain_key = !key.trim().is_empty() && !key.contains(['"', '\'', '#']);
    let quoted = value.starts_with(['"', '\'', '[', '{', '|', '>']);
    if !plain_key || key.starts_with(' ') || !value.contains(": ") || quoted {
        return None;
    }
    let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
    Some(format!("{key}: \"{escaped}\""))
}

/// What kind of value a key expects, in words staff know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Number,
    WholeNumber,
    Boolean,
    Text,
    List,
    Mapping,
    Other,
}

impl Kind {
    fn name(self) -> Message {
        match self {
            Kind::Number => msg!("type.number"),
            Kind::WholeNumber => msg!("type.whole_number"),
            Kind::Boolean => msg!("type.boolean"),
            Kind::Text => msg!("type.text"),
            Kind::List => msg!("type.list"),
            Kind::Mapping => msg!("type.mapping"),
            Kind::Other => msg!("type.other"),
        }
    }
}

/// The kind of a Rust scalar type named by saphyr (`i64`, `bool`, `f32`, `char`).
fn kind_of_rust_type(ty: &str) -> Kind {
    match ty {
        "bool" => Kind::Boolean,
        "f32" | "f64" => Kind::Number,
        "char" | "string" | "str" => Kind::Text,
        t if t.starts_with(['i', 'u']) && t[1..].chars().all(|c| c.is_ascii_alphanumeric()) => {
            Kind::WholeNumber
        }
        other => kind_of_expectation(other),
    }
}

/// The kind of value in serde's or saphyr's description of what was expected.
fn kind_of_expectation(expected: &str) -> Kind {
    let expected = expected.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| expected.contains(w));
    if has(&["sequence", "list", "array", "tuple"]) {
        Kind::List
    } else if has(&["map", "struct"]) {
        Kind::Mapping
    } else if has(&["bool"]) {
        Kind::Boolean
    } else if has(&["integer", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "usize"]) {
        Kind::WholeNumber
    } else if has(&["float", "f32", "f64", "number"]) {
        Kind::Number
    } else if has(&["string", "str", "char", "scalar"]) {
        Kind::Text
    } else {
        Kind::Other
    }
}

fn wrong_type(kind: Kind) -> (Message, Option<Message>) {
    let hint = match kind {
        Kind::Text => msg!("type.text.hint"),
        Kind::Number | Kind::WholeNumber => msg!("type.number.hint"),
        Kind::Boolean => msg!("type.boolean.hint"),
        Kind::List => msg!("type.list.hint"),
        Kind::Mapping => msg!("type.mapping.hint"),
        Kind::Other => msg!("yaml.wrong_type.hint"),
    };
    (msg!("yaml.must_be").nested("kind", kind.name()), Some(hint))
}

fn unknown_key(field: &str, expected: &[&str]) -> (Message, Option<Message>) {
    let hint = match closest(field, expected) {
        Some(best) => msg!("yaml.did_you_mean", best = best),
        None => msg!("yaml.allowed_keys", keys = expected.join(", ")),
    };
    (msg!("yaml.unknown_key", key = field, allowed = expected.join(", ")), Some(hint))
}

fn unknown_value(value: &str, expected: &[&str]) -> (Message, Option<Message>) {
    let hint = match closest(value, expected) {
        Some(best) => msg!("yaml.did_you_mean", best = best),
        None => msg!("yaml.allowed_values", values = expected.join(", ")),
    };
    (msg!("yaml.unknown_value", value = value), Some(hint))
}

/// The first line of saphyr's message without its own `error: line L column C:` prefix.
fn bare_message(rendered: &str) -> String {
    let first = rendered.lines().next().unwrap_or_default();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let without_place = match first.strip_prefix("line ") {
        Some(rest) => rest.split_once(": ").map_or(first, |(_, msg)| msg),
        None => first,
    };
    strip_trailing_place(without_place).trim().to_owned()
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
    use crate::base::messages::UiLang;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        title: String,
        weight: Option<i64>,
    }

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Page {
        title: String,
        description: Option<String>,
        weight: Option<i64>,
        draft: Option<bool>,
        tags: Option<Vec<String>>,
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
                .starts_with("a.md:3:9: this value must be a whole number\n")
        );
    }

    fn vietnamese_error_of<T: DeserializeOwned + std::fmt::Debug>(text: &str) -> String {
        from_str::<T>(text, Path::new("a.md"), 1).unwrap_err().render(UiLang::Vi)
    }

    #[test]
    fn finding_18_yaml_errors_are_loa_messages_in_vietnamese_by_kind() {
        let cases = [
            ("title: x\nweight: abc\n", "a.md:3:9: giá trị này phải là một số nguyên\n"),
            ("title: x\ndraft: có\n", "a.md:3:8: giá trị này phải là true hoặc false\n"),
            ("title: x\ntags: abc\n", "a.md:3:7: giá trị này phải là một danh sách\n"),
            ("title: [1]\n", "a.md:2:8: giá trị này phải là chữ\n"),
            ("title: x\ntitle: y\n", "a.md:3:1: khóa `title` bị lặp lại\n"),
            ("title: x\ntitel: y\n", "a.md:3:1: không có khóa `titel`; các khóa hợp lệ:"),
        ];
        for (text, expected) in cases {
            let error = vietnamese_error_of::<Page>(text);
            assert!(error.starts_with(expected), "{text:?} gave:\n{error}");
            assert!(error.contains("\n  gợi ý: "), "{error}");
        }
    }

    #[test]
    fn finding_18_a_tab_is_named_in_vietnamese() {
        let error = vietnamese_error_of::<Page>("title: x\ntags:\n\t- a\n");
        assert!(error.contains("a.md:4:"), "{error}");
        assert!(error.contains("Tab"), "{error}");
        assert!(!error.contains("disallowed"), "{error}");
    }

    #[test]
    fn finding_18_a_value_with_a_colon_gets_the_quoted_line_as_its_hint() {
        let error = vietnamese_error_of::<Page>("title: x\ndescription: Dấu hiệu: lừa đảo\n");
        assert!(error.starts_with("a.md:3:"), "{error}");
        assert!(error.contains("giá trị này có `: `"), "{error}");
        assert!(
            error.contains(
                "gợi ý: đặt giá trị trong dấu ngoặc kép: `description: \"Dấu hiệu: lừa đảo\"`"
            ),
            "{error}"
        );
        assert!(!error.contains("mapping values"), "{error}");
    }

    #[test]
    fn quoted_value_escapes_quotes_and_leaves_quoted_values() {
        assert_eq!(quoted_value("a: b \"c\": d").as_deref(), Some("a: \"b \\\"c\\\": d\""));
        assert_eq!(quoted_value("a: \"b: c\""), None);
        assert_eq!(quoted_value("  weight: 3"), None);
    }
}
