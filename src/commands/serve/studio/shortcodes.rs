//! The theme's shortcodes as the toolbar offers them: each component's name and arguments, read
//! from its signature (`{% component callout(kind: string = "info", @lang) %}`).

use std::path::Path;

use serde::Serialize;

use crate::base::error::Result;

/// One argument of a shortcode.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct Argument {
    /// Its name.
    pub name: String,
    /// Its default, when it has one (then it may be left out).
    pub default: Option<String>,
}

/// One shortcode.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct Shortcode {
    /// Its name.
    pub name: String,
    /// The arguments a writer gives (not those loa fills in, written `@name`).
    pub arguments: Vec<Argument>,
    /// Whether it wraps text (`{% name(…) %}…{% end %}`) rather than standing alone.
    pub block: bool,
}

/// The shortcodes of the site's theme and its own `shortcodes/`.
pub fn list(root: &Path) -> Result<Vec<Shortcode>> {
    let config = crate::load::config::Config::load(root)?;
    let sources = crate::model::shortcodes::component_sources(&config)?;
    Ok(sources.values().filter_map(|(_, text)| signature(text)).collect())
}

/// The shortcode a component file declares.
fn signature(text: &str) -> Option<Shortcode> {
    let start = text.find("{% component ")? + "{% component ".len();
    let rest = &text[start..];
    let open = rest.find('(')?;
    let close = rest.find(')')?;
    let name = rest[..open].trim().to_owned();
    let arguments = rest[open + 1..close]
        .split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty() && !a.starts_with('@'))
        .map(|argument| {
            let (head, default) = match argument.split_once('=') {
                Some((head, default)) => (head, Some(default.trim().trim_matches('"').to_owned())),
                None => (argument, None),
            };
            let name = head.split(':').next().unwrap_or_default().trim().to_owned();
            Argument { name, default }
        })
        .collect();
    let block = text.contains("{{ body");
    Some(Shortcode { name, arguments, block })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_components_signature() {
        let callout = signature("{% component callout(kind: string = \"info\", @lang) %}{{ body | safe }}{% endcomponent callout %}").unwrap();
        assert_eq!(callout.name, "callout");
        assert!(callout.block);
        assert_eq!(
            callout.arguments,
            vec![Argument { name: "kind".into(), default: Some("info".into()) }]
        );
        let hotline = signature("{% component hotline(id: string, @all_hotlines) %}x").unwrap();
        assert_eq!(hotline.arguments, vec![Argument { name: "id".into(), default: None }]);
        assert!(!hotline.block);
    }
}
