//! The base layer: what every other layer uses and that knows nothing of a site's content —
//! errors and messages, text, paths and files, encodings, dates, YAML and the bundled files.

#[macro_use]
pub mod messages;

pub mod bundle;
pub mod dates;
pub mod diff;
pub mod encoding;
pub mod error;
pub mod files;
pub mod html;
pub mod memory;
pub mod paths;
pub mod percent;
pub mod text;
pub mod yaml;
