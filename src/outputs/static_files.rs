//! Static files: the theme's `static/`, the site's `static/` (which wins) and co-located files
//! other than images (see [`super::images`]).

use std::collections::BTreeMap;

use crate::error::Result;
use crate::model::Site;
use crate::outputs::{Artifact, Body, Edit, Output};
use crate::theme::Source;

/// Copies static and co-located files.
pub struct StaticFiles;

impl Output for StaticFiles {
    fn name(&self) -> &'static str {
        "static"
    }

    fn render(&self, site: &Site) -> Result<Vec<Artifact>> {
        let mut files: BTreeMap<String, Body> = BTreeMap::new();
        for file in crate::theme::layered_files(&site.config, "static")? {
            let body = match file.source {
                Source::Disk(path) => Body::Copy(path),
                Source::Embedded(bytes) => Body::Bytes(bytes.to_vec()),
            };
            files.insert(file.relative, body);
        }
        for asset in site.assets.iter().filter(|a| !site.images.contains(&a.path)) {
            files.insert(super::file_for_url(&asset.path), Body::Copy(asset.source.clone()));
        }
        Ok(files.into_iter().map(|(path, body)| Artifact { path, body }).collect())
    }

    /// Edits of pages change nothing here (co-located files change the site: it is loaded again).
    fn render_edit(&self, _site: &Site, _edit: &Edit) -> Option<Result<Vec<Artifact>>> {
        Some(Ok(Vec::new()))
    }
}
