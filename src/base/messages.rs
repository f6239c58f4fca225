//! Every message loa prints for people, in English and Vietnamese, from one catalogue
//! (`src/base/messages/en.yaml`, `src/base/messages/vi.yaml`).

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

/// The language of loa's own messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UiLang {
    /// English.
    #[default]
    En,
    /// Vietnamese.
    Vi,
}

impl UiLang {
    /// Vietnamese when `LC_ALL`, `LC_MESSAGES` or `LANG` starts with `vi`, else English.
    pub fn from_env() -> UiLang {
        let value = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()));
        UiLang::from_code(value.as_deref().unwrap_or_default())
    }

    /// The UI language for a code such as `vi`, `vi_VN.UTF-8` or `en`.
    pub fn from_code(code: &str) -> UiLang {
        if code.to_ascii_lowercase().starts_with("vi") { UiLang::Vi } else { UiLang::En }
    }
}

/// A message from the catalogue with its arguments, rendered in a UI language when printed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Message {
    key: &'static str,
    args: Vec<(Cow<'static, str>, Arg)>,
}

/// A value for a placeholder: text, or another message rendered in the same language.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Arg {
    Text(String),
    Nested(Message),
}

impl Message {
    /// The message `key` of the catalogue.
    pub fn new(key: &'static str) -> Message {
        Message { key, args: Vec::new() }
    }

    /// The catalogue message named `key` at run time (a theme's `error(key=…)`), if it exists.
    pub fn from_key(key: &str) -> Option<Message> {
        let (key, _) = catalogue(UiLang::En).get_key_value(key)?;
        Some(Message::new(key.as_str()))
    }

    /// The message with `{name}` filled by `value`.
    pub fn arg(mut self, name: &'static str, value: impl fmt::Display) -> Message {
        self.args.push((Cow::Borrowed(name), Arg::Text(value.to_string())));
        self
    }

    /// The message with `{name}` filled by `value`, for names known only at run time.
    pub fn arg_named(mut self, name: String, value: impl fmt::Display) -> Message {
        self.args.push((Cow::Owned(name), Arg::Text(value.to_string())));
        self
    }

    /// The message with `{name}` filled by another message, in the same language.
    pub fn nested(mut self, name: &'static str, value: Message) -> Message {
        self.args.push((Cow::Borrowed(name), Arg::Nested(value)));
        self
    }

    /// The placeholders filled with text, by name (nested messages left out).
    pub fn text_args(&self) -> impl Iterator<Item = (&str, &str)> {
        self.args.iter().filter_map(|(name, value)| match value {
            Arg::Text(text) => Some((name.as_ref(), text.as_str())),
            Arg::Nested(_) => None,
        })
    }

    /// The catalogue key.
    pub fn key(&self) -> &'static str {
        self.key
    }

    /// The message in `lang`, placeholders filled.
    pub fn render(&self, lang: UiLang) -> String {
        let template =
            catalogue(lang).get(self.key).or_else(|| catalogue(UiLang::En).get(self.key));
        let mut text = template.cloned().unwrap_or_else(|| self.key.to_owned());
        for (name, value) in &self.args {
            let value = match value {
                Arg::Text(text) => text.clone(),
                Arg::Nested(message) => message.render(lang),
            };
            text = text.replace(&format!("{{{name}}}"), &value);
        }
        text
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(UiLang::En))
    }
}

/// Builds a [`Message`]: `msg!("content.empty")`, `msg!("date.impossible", text = t)`.
#[macro_export]
macro_rules! msg {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::base::messages::Message::new($key)$(.arg(stringify!($name), $value))*
    };
}

const ENGLISH: &str = include_str!("messages/en.yaml");
const VIETNAMESE: &str = include_str!("messages/vi.yaml");

/// The catalogue of a language, read once (it is compiled into the binary).
pub fn catalogue(lang: UiLang) -> &'static HashMap<String, String> {
    static EN: OnceLock<HashMap<String, String>> = OnceLock::new();
    static VI: OnceLock<HashMap<String, String>> = OnceLock::new();
    match lang {
        UiLang::En => EN.get_or_init(|| parse_catalogue(ENGLISH)),
        UiLang::Vi => VI.get_or_init(|| parse_catalogue(VIETNAMESE)),
    }
}

/// Reads a catalogue file: a flat YAML map of keys to texts.
pub fn parse_catalogue(text: &str) -> HashMap<String, String> {
    serde_saphyr::from_str(text).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The keys of the `msg!("…")` calls in a Rust source.
    fn keys_in_rust(text: &str) -> BTreeSet<String> {
        let mut keys = BTreeSet::new();
        for part in text.split("msg!(").skip(1) {
            let key =
                part.trim_start().strip_prefix('"').and_then(|q| q.split_once('"')).map(|(k, _)| k);
            if let Some(key) = key
                .filter(|k| k.chars().all(|c| c.is_ascii_lowercase() || "._0123456789".contains(c)))
            {
                keys.insert(key.to_owned());
            }
        }
        keys
    }

    /// The keys a theme template raises with `error(key="…", hint="…")`.
    fn keys_in_template(text: &str) -> BTreeSet<String> {
        let mut keys = BTreeSet::new();
        for call in text.split("error(").skip(1) {
            let call = call.split_once(')').map_or(call, |(args, _)| args);
            for name in ["key=\"", "hint=\""] {
                if let Some((_, rest)) = call.split_once(name) {
                    keys.extend(rest.split_once('"').map(|(key, _)| key.to_owned()));
                }
            }
        }
        keys
    }

    fn files_under(folder: &str, extension: &str) -> Vec<std::path::PathBuf> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
        walkdir::WalkDir::new(root)
            .into_iter()
            .flatten()
            .map(|e| e.into_path())
            .filter(|p| p.extension().is_some_and(|x| x == extension))
            .collect()
    }

    fn keys_used_in_sources() -> BTreeSet<String> {
        let rust = files_under("src", "rs").into_iter().map(|p| (p, true));
        let templates = files_under("themes", "html").into_iter().map(|p| (p, false));
        let mut keys = BTreeSet::new();
        for (path, is_rust) in rust.chain(templates) {
            let text = std::fs::read_to_string(&path).unwrap();
            keys.extend(if is_rust { keys_in_rust(&text) } else { keys_in_template(&text) });
        }
        keys
    }

    #[test]
    fn finding_18_every_message_of_the_command_line_the_theme_and_the_yaml_reader_is_in_vietnamese()
    {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let read = |path: &str| std::fs::read_to_string(root.join(path)).unwrap();
        let mut keys = BTreeSet::new();
        for source in
            ["src/main.rs", "src/commands/cli_locale.rs", "src/base/yaml.rs", "src/load/config.rs"]
        {
            keys.extend(keys_in_rust(&read(source)));
        }
        for template in files_under("themes", "html") {
            keys.extend(keys_in_template(&std::fs::read_to_string(template).unwrap()));
        }
        assert!(keys.contains("cli.unknown_command") && keys.contains("theme.no_hotline"));
        assert!(keys.contains("yaml.colon_in_value") && keys.contains("type.text"));
        let (en, vi) = (catalogue(UiLang::En), catalogue(UiLang::Vi));
        let has_prose = |text: &str| {
            text.split_whitespace().any(|w| w.len() > 2 && w.chars().all(char::is_alphabetic))
        };
        for key in &keys {
            let text = vi.get(key).filter(|t| !t.trim().is_empty());
            assert!(text.is_some(), "`{key}` has no Vietnamese form");
            if en.get(key).is_some_and(|t| has_prose(t)) {
                assert_ne!(text, en.get(key), "`{key}` is still in English in vi.yaml");
            }
        }
    }

    #[test]
    fn every_message_exists_in_both_languages() {
        let en: BTreeSet<String> = parse_catalogue(ENGLISH).into_keys().collect();
        let vi: BTreeSet<String> = parse_catalogue(VIETNAMESE).into_keys().collect();
        assert!(en.len() > 50, "the English catalogue did not parse");
        assert_eq!(
            en.difference(&vi).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "missing in vi.yaml"
        );
        assert_eq!(
            vi.difference(&en).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "missing in en.yaml"
        );
        let used = keys_used_in_sources();
        let missing: Vec<&String> = used.iter().filter(|k| !en.contains(*k)).collect();
        assert!(missing.is_empty(), "used in the code but not in the catalogue: {missing:?}");
        let unused: Vec<&String> = en.iter().filter(|k| !used.contains(*k)).collect();
        assert!(unused.is_empty(), "in the catalogue but never used: {unused:?}");
    }

    #[test]
    fn placeholders_match_between_languages() {
        let (en, vi) = (parse_catalogue(ENGLISH), parse_catalogue(VIETNAMESE));
        let placeholders = |text: &str| -> BTreeSet<String> {
            text.split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(name, _)| name.to_owned()))
                .collect()
        };
        for (key, text) in &en {
            assert_eq!(
                placeholders(text),
                placeholders(&vi[key]),
                "placeholders differ for `{key}`"
            );
        }
    }

    #[test]
    fn can_render_in_each_language() {
        let message = Message::new("date.impossible").arg("text", "31/2/2024");
        assert_eq!(message.render(UiLang::En), "`31/2/2024` is not a day that exists");
        assert_eq!(message.render(UiLang::Vi), "`31/2/2024` không phải là một ngày có thật");
        assert_eq!(UiLang::from_code("vi_VN.UTF-8"), UiLang::Vi);
        assert_eq!(UiLang::from_code("C.UTF-8"), UiLang::En);
    }
}
