//! Static files: the theme's `static/`, the site's `static/` (which wins) and the co-located
//! files other than images (see [`super::images`]) that a page links to or shows.

use std::collections::{BTreeMap, HashSet};

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
        let used: HashSet<&str> =
            site.docs.iter().flat_map(|d| d.rendered.files.iter().map(String::as_str)).collect();
        for artifact in co_located(site, &used) {
            files.insert(artifact.path, artifact.body);
        }
        Ok(files.into_iter().map(|(path, body)| Artifact { path, body }).collect())
    }

    /// The co-located files the edited pages use (one may start using a file; new or removed
    /// co-located files load the site again).
    fn render_edit(&self, site: &Site, edit: &Edit) -> Option<Result<Vec<Artifact>>> {
        let used: HashSet<&str> = edit
            .docs
            .iter()
            .flat_map(|d| site.docs[*d].rendered.files.iter().map(String::as_str))
            .collect();
        Some(Ok(co_located(site, &used).collect()))
    }
}

/// Copies of the co-located files (other than images) whose URL paths are in `used`.
fn co_located<'a>(site: &'a Site, used: &'a HashSet<&str>) -> impl Iterator<Item = Artifact> + 'a {
    site.assets
        .iter()
        .filter(|a| used.contains(a.path.as_str()) && !site.images.contains(&a.path))
        .map(|a| Artifact {
            path: super::file_for_url(&a.path),
            body: Body::Copy(a.source.clone()),
        })
}
