//! Every message loa prints for people, in English and Vietnamese, from one catalogue
//! (`src/base/messages/en.yaml`, `src/base/messages/vi.yaml`).

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
    args: Vec<(&'static str, Arg)>,
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

    /// The message with `{name}` filled by `value`.
    pub fn arg(mut self, name: &'static str, value: impl fmt::Display) -> Message {
        self.args.push((name, Arg::Text(value.to_string())));
        self
    }

    /// The message with `{name}` filled by another message, in the same language.
    pub fn nested(mut self, name: &'static str, value: Message) -> Message {
        self.args.push((name, Arg::Nested(value)));
        self
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

    fn keys_used_in_sources() -> BTreeSet<String> {
        let mut keys = BTreeSet::new();
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        for entry in walkdir::WalkDir::new(root)
            .into_iter()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for part in text.split("msg!(").skip(1) {
                let key = part
                    .trim_start()
                    .strip_prefix('"')
                    .and_then(|q| q.split_once('"'))
                    .map(|(k, _)| k);
                if let Some(key) = key.filter(|k| {
                    k.chars().all(|c| c.is_ascii_lowercase() || "._0123456789".contains(c))
                }) {
                    keys.insert(key.to_owned());
                }
            }
        }
        keys
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
