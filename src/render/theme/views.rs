//! The values every template gets about the site and the page's languages; documented in
//! `docs/templates.md`.

use serde::Serialize;

use crate::model::hotlines::HotlineView;

/// A link with a title.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Text of the link.
    pub title: String,
    /// Root-relative URL.
    pub url: String,
}

/// A language version of the current page, for the language switcher.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageLink {
    /// Language code.
    pub code: String,
    /// The language's name in itself.
    pub name: String,
    /// The language's name inside a sentence of the page's language ("tiếng Việt").
    pub in_text: String,
    /// Root-relative URL of the page in that language.
    pub url: String,
    /// Whether this is the page being rendered.
    pub current: bool,
    /// Whether the page is really translated into that language (not a fallback).
    pub translated: bool,
}

/// An `hreflang` alternate.
#[derive(Debug, Clone, Serialize)]
pub struct Alternate {
    /// `hreflang` value (a language code or `x-default`).
    pub hreflang: String,
    /// Absolute URL.
    pub url: String,
}

/// Site-wide values in one language.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    /// `site.title` in the language.
    pub title: String,
    /// Absolute base URL.
    pub base_url: String,
    /// Every language, with its home page.
    pub languages: Vec<LanguageLink>,
    /// Every hotline, labelled.
    pub hotlines: Vec<HotlineView>,
    /// `extra:` of site.yaml.
    pub extra: std::collections::BTreeMap<String, serde_json::Value>,
    /// Absolute URL of the language's 1200×630 banner, when the theme makes banners.
    pub banner: Option<String>,
    /// Where the quick exit button leads; `None` when `site.yaml` turns it off.
    pub quick_exit: Option<String>,
    /// Root-relative URL of the language's "browse safely" page, when the theme makes one.
    pub safety_url: Option<String>,
    /// Root-relative URL of the service worker, when the site keeps pages offline.
    pub service_worker: Option<String>,
    /// The Zalo Official Account id for Zalo's share button, if any.
    pub zalo_oa_id: Option<String>,
    /// Root-relative URL of the loudspeaker scripts' index for this language (or the first
    /// language it falls back to that has scripts).
    pub loudspeaker_url: Option<String>,
}
