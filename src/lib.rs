//! loa turns a folder of multilingual Markdown campaign materials into a static website.
//!
//! The layers, each using only those before it: [`base`] → [`load`] → [`model`] → [`render`]
//! → [`write`], with the [`commands`] on top and the [`engines`] (typesetting, speech, images)
//! beside them. [`model::Site::load`] reads `site.yaml`, `locales/` and `content/` into an
//! immutable [`model::Site`]; each [`render::Output`] turns it into artifacts, which a
//! [`write::Staging`] tree receives as they are made and swaps in atomically at the end. See `docs/architecture.md`.

#![warn(missing_docs)]

#[macro_use]
pub mod base;

pub mod commands;
pub mod engines;
pub mod load;
pub mod model;
pub mod render;
pub mod write;

pub use base::error::{Diagnostics, Error, Result};
pub use commands::build::{BuildReport, Progress, build, build_with_progress, default_output};
pub use model::{BuildOptions, Site};
