//! The site's hotlines as pages and shortcodes show them: each with its label in a language.

use serde::Serialize;

/// A hotline with its label in the page's language.
#[derive(Debug, Clone, Serialize)]
pub struct HotlineView {
    /// Identifier.
    pub id: String,
    /// Digits, for `tel:` links.
    pub number: String,
    /// Display form.
    pub display: String,
    /// Opening hours.
    pub hours: Option<String>,
    /// Free of charge.
    pub free: bool,
    /// Label from `hotline.<id>` in the locale.
    pub label: String,
}

/// Every hotline of the site, labelled in language `lang`.
pub fn hotline_views(
    config: &crate::load::config::Config,
    locales: &crate::load::locales::Locales,
    lang: usize,
) -> Vec<HotlineView> {
    config
        .hotlines
        .iter()
        .map(|h| HotlineView {
            id: h.id.clone(),
            number: h.number.clone(),
            display: h.display.clone(),
            hours: h.hours.clone(),
            free: h.free,
            label: locales.get(lang, &format!("hotline.{}", h.id)).unwrap_or(&h.display).to_owned(),
        })
        .collect()
}
