//! Static files: the theme's `static/`, the site's `static/` (which wins) and the co-located
//! files other than images (see [`super::images`]) that a page links to or shows.

use std::collections::{BTreeMap, HashSet};

use std::path::{Path, PathBuf};

use crate::error::{Error, Position, Result};
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
        let refused = scriptable_svgs(site)?;
        if !refused.is_empty() {
            return Err(Error::from_many(refused));
        }
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

/// An error for every SVG file that would be published (static or co-located) and holds
/// something that could run script: such a file is refused, named with its place.
pub fn scriptable_svgs(site: &Site) -> Result<Vec<Error>> {
    let is_svg = |name: &str| name.to_ascii_lowercase().ends_with(".svg");
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for file in crate::theme::layered_files(&site.config, "static")? {
        if is_svg(&file.relative) {
            let bytes = match &file.source {
                Source::Disk(path) => fs_err::read(path)?,
                Source::Embedded(bytes) => bytes.to_vec(),
            };
            files.push((file.shown, bytes));
        }
    }
    let used: HashSet<&str> =
        site.docs.iter().flat_map(|d| d.rendered.files.iter().map(String::as_str)).collect();
    for asset in site.assets.iter().filter(|a| is_svg(&a.path) && used.contains(a.path.as_str())) {
        let shown = asset.source.strip_prefix(&site.config.root).unwrap_or(&asset.source);
        files.push((shown.to_path_buf(), fs_err::read(&asset.source)?));
    }
    Ok(files.iter().filter_map(|(shown, bytes)| svg_error(shown, bytes)).collect())
}

fn svg_error(shown: &Path, bytes: &[u8]) -> Option<Error> {
    let text = String::from_utf8_lossy(bytes);
    let (offset, what) = crate::content::safety::svg_script(&text)?;
    Some(
        Error::at(
            shown,
            Some(Position::of_offset(&text, offset)),
            msg!("static.svg_script", what = what),
        )
        .with_hint(msg!("static.svg_script.hint")),
    )
}
