//! The load layer: reads `site.yaml`, the theme, the locales and `content/` (discovery, front
//! matter, Markdown and shortcode calls) into checked, parsed sources for the model.

pub mod assets;
pub mod blocks;
pub mod config;
pub mod content;
pub mod document;
pub mod front_matter;
pub mod glossary;
pub mod locales;
pub mod markdown;
pub mod masked;
pub mod safety;
pub mod segments;
pub mod shortcodes;
pub mod staleness;
pub mod templating;
pub mod theme;
