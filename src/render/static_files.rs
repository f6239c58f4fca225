//! Static files: the theme's `static/`, the site's `static/` (which wins) and the co-located
//! files other than catalogued images (see [`super::images`]) that a page links to or shows.
//! Files whose bytes are an image, with any name, are published without their metadata (see
//! [`crate::engines::images::process::clean`]).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::base::error::{Error, Position, Result};
use crate::engines::images::{Budget, kind, process};
use crate::load::theme::Source;
use crate::model::Site;
use crate::render::plan::{Input, Plan, Route, RouteSet, SitePlan};
use crate::render::{Artifact, Body, Output};

/// Copies static and co-located files.
pub struct StaticFiles;

/// Files to publish by output path, each with the source path that names it in messages.
type Files = BTreeMap<String, (PathBuf, Body)>;

impl Output for StaticFiles {
    fn name(&self) -> &'static str {
        "static"
    }

    /// The theme's and site's static files and the co-located files pages use.
    fn plan(&self, site: &Site) -> Result<Plan> {
        let routes: Vec<Route> = crate::load::theme::layered_files(&site.config, "static")?
            .into_iter()
            .map(|file| Route::File(file.relative))
            .collect();
        let mut plan = Plan { routes, ..Plan::default() }.fixed();
        for doc in 0..site.docs.len() {
            let used = used_files(site, std::iter::once(doc));
            for (path, _) in co_located(site, &used) {
                plan.route_from(Route::File(path), vec![Input::Doc(doc)]);
            }
        }
        Ok(plan)
    }

    fn render(&self, site: &Site, _plan: &SitePlan) -> Result<Vec<Artifact>> {
        let refused = scriptable_svgs(site)?;
        if !refused.is_empty() {
            return Err(Error::from_many(refused));
        }
        let mut files: Files = BTreeMap::new();
        for file in crate::load::theme::layered_files(&site.config, "static")? {
            let body = match file.source {
                Source::Disk(path) => Body::Copy(path),
                Source::Embedded(bytes) => Body::Bytes(bytes.to_vec()),
            };
            files.insert(file.relative, (file.shown, body));
        }
        files.extend(co_located(site, &used_files(site, 0..site.docs.len())));
        cleaned(files, &site.images.budget)
    }

    /// The co-located files of the edited documents (the theme's and site's static files
    /// change only with a full build).
    fn render_routes(
        &self,
        site: &Site,
        _plan: &SitePlan,
        routes: &[Route],
    ) -> Option<Result<Vec<Artifact>>> {
        let wanted = RouteSet::new(routes);
        let used = used_files(site, 0..site.docs.len());
        let files = co_located(site, &used).filter(|(path, _)| wanted.covers(path)).collect();
        Some(cleaned(files, &site.images.budget))
    }
}

/// URL paths of the co-located files that these documents link to or show.
fn used_files(site: &Site, docs: impl Iterator<Item = usize>) -> HashSet<&str> {
    docs.flat_map(|d| site.docs[d].rendered.files.iter().map(String::as_str)).collect()
}

/// The co-located files (other than catalogued images) whose URL paths are in `used`.
fn co_located<'a>(
    site: &'a Site,
    used: &'a HashSet<&str>,
) -> impl Iterator<Item = (String, (PathBuf, Body))> + 'a {
    site.assets
        .iter()
        .filter(|a| used.contains(a.path.as_str()) && !site.images.contains(&a.path))
        .map(|asset| {
            let shown = asset.source.strip_prefix(&site.config.root).unwrap_or(&asset.source);
            let body = Body::Copy(asset.source.clone());
            (super::file_for_url(&asset.path), (shown.to_path_buf(), body))
        })
}

/// The files as artifacts, every image among them without its metadata.
fn cleaned(files: Files, budget: &Budget) -> Result<Vec<Artifact>> {
    let results: Vec<Result<Artifact>> = files
        .into_par_iter()
        .map(|(path, (shown, body))| {
            Ok(Artifact { path, body: without_metadata(body, &shown, budget)? })
        })
        .collect();
    Error::collect(results)
}

/// The body of a file to publish, cleaned of metadata when its bytes are an image.
fn without_metadata(body: Body, shown: &Path, budget: &Budget) -> Result<Body> {
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

/// An error for every SVG file that would be published (static or co-located) and holds
/// something that could run script: such a file is refused, named with its place.
pub fn scriptable_svgs(site: &Site) -> Result<Vec<Error>> {
    let is_svg = |name: &str| name.to_ascii_lowercase().ends_with(".svg");
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for file in crate::load::theme::layered_files(&site.config, "static")? {
        if is_svg(&file.relative) {
            let bytes = match &file.source {
                Source::Disk(path) => fs_err::read(path)?,
                Source::Embedded(bytes) => bytes.to_vec(),
            };
            files.push((file.shown, bytes));
        }
    }
    let used = used_files(site, 0..site.docs.len());
    for asset in site.assets.iter().filter(|a| is_svg(&a.path) && used.contains(a.path.as_str())) {
        let shown = asset.source.strip_prefix(&site.config.root).unwrap_or(&asset.source);
        files.push((shown.to_path_buf(), fs_err::read(&asset.source)?));
    }
    Ok(files.iter().filter_map(|(shown, bytes)| svg_error(shown, bytes)).collect())
}

fn svg_error(shown: &Path, bytes: &[u8]) -> Option<Error> {
    let text = String::from_utf8_lossy(bytes);
    let (offset, what) = crate::load::safety::svg_script(&text)?;
    Some(
        Error::at(
            shown,
            Some(Position::of_offset(&text, offset)),
            msg!("static.svg_script", what = what),
        )
        .with_hint(msg!("static.svg_script.hint")),
    )
}
