//! Static files: the theme's `static/`, the site's `static/` (which wins) and co-located files.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::Result;
use crate::model::Site;
use crate::outputs::{Artifact, Body, Output};

/// Copies static and co-located files.
pub struct StaticFiles;

impl Output for StaticFiles {
    fn name(&self) -> &'static str {
        "static"
    }

    fn render(&self, site: &Site) -> Result<Vec<Artifact>> {
        let mut files: BTreeMap<String, Body> = BTreeMap::new();
        for folder in [site.config.theme_dir().join("static"), site.config.root.join("static")] {
            collect(&folder, &mut files)?;
        }
        for asset in &site.assets {
            files.insert(super::file_for_url(&asset.path), Body::Copy(asset.source.clone()));
        }
        Ok(files.into_iter().map(|(path, body)| Artifact { path, body }).collect())
    }
}

fn collect(folder: &Path, files: &mut BTreeMap<String, Body>) -> Result<()> {
    if !folder.is_dir() {
        return Ok(());
    }
    let walker = walkdir::WalkDir::new(folder).follow_links(false).sort_by_file_name().into_iter();
    for entry in walker.filter_entry(|e| {
        e.depth() == 0 || !crate::content::is_ignored(&e.file_name().to_string_lossy())
    }) {
        let entry = entry.map_err(|e| std::io::Error::other(e.to_string()))?;
        if entry.file_type().is_file() {
            let relative = crate::text::relative_slash_path(folder, entry.path());
            files.insert(relative, Body::Copy(entry.path().to_path_buf()));
        }
    }
    Ok(())
}
