//! Static files: the theme's `static/`, the site's `static/` (which wins) and co-located files
//! other than catalogued images (see [`super::images`]). Files whose bytes are an image, with
//! any name, are published without their metadata (see [`crate::images::process::clean`]).

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::images::{Budget, kind, process};
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
        let mut files: BTreeMap<String, (PathBuf, Body)> = BTreeMap::new();
        for file in crate::theme::layered_files(&site.config, "static")? {
            let body = match file.source {
                Source::Disk(path) => Body::Copy(path),
                Source::Embedded(bytes) => Body::Bytes(bytes.to_vec()),
            };
            files.insert(file.relative, (file.shown, body));
        }
        for asset in site.assets.iter().filter(|a| !site.images.contains(&a.path)) {
            let shown = asset.source.strip_prefix(&site.config.root).unwrap_or(&asset.source);
            let body = Body::Copy(asset.source.clone());
            files.insert(super::file_for_url(&asset.path), (shown.to_path_buf(), body));
        }
        let budget = &site.images.budget;
        let results: Vec<Result<Artifact>> = files
            .into_par_iter()
            .map(|(path, (shown, body))| {
                Ok(Artifact { path, body: without_metadata(body, &shown, budget)? })
            })
            .collect();
        Error::collect(results)
    }

    /// Edits of pages change nothing here (co-located files change the site: it is loaded again).
    fn render_edit(&self, _site: &Site, _edit: &Edit) -> Option<Result<Vec<Artifact>>> {
        Some(Ok(Vec::new()))
    }
}

/// The body of a file to publish, cleaned of metadata when its bytes are an image.
fn without_metadata(body: Body, shown: &std::path::Path, budget: &Budget) -> Result<Body> {
    let bytes = match &body {
        Body::Copy(path) if kind::sniff_file(path).is_none() => return Ok(body),
        Body::Copy(path) => fs_err::read(path)?,
        Body::Bytes(bytes) if kind::sniff(bytes).is_none() => return Ok(body),
        Body::Bytes(bytes) => bytes.clone(),
    };
    Ok(match process::clean(&bytes, shown, budget)? {
        Some(cleaned) => Body::Bytes(cleaned),
        None => body,
    })
}
