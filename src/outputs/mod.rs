//! Outputs turn the [`Site`] into artifacts; each output is a module behind the [`Output`] trait.

pub mod banners;
pub mod feeds;
pub mod fingerprint;
pub mod images;
pub mod loudspeaker;
pub mod offline;
pub mod print;
pub mod safety;
pub mod search;
pub mod share;
pub mod static_files;
pub mod web;

use std::path::PathBuf;

use rayon::prelude::*;

use crate::error::{Diagnostics, Error, Result};
use crate::model::Site;
pub use crate::text::escape_xml;

/// What an artifact holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// Bytes made by the output.
    Bytes(Vec<u8>),
    /// A file copied as it is.
    Copy(PathBuf),
}

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// Path inside the output folder, `/`-separated, without a leading `/`.
    pub path: String,
    /// Content.
    pub body: Body,
}

impl Artifact {
    /// An artifact made of bytes, at a URL path (`/en/` becomes `en/index.html`).
    pub fn at_url(url_path: &str, bytes: Vec<u8>) -> Self {
        Artifact { path: file_for_url(url_path), body: Body::Bytes(bytes) }
    }
}

/// The file that serves a URL path: folders get `index.html`. A path that would leave the output
/// folder is kept as it is, so that the write step refuses it (sources are checked at load).
pub fn file_for_url(url_path: &str) -> String {
    let Ok(file) = crate::paths::output_file(url_path) else {
        return url_path.to_owned();
    };
    let folder = url_path.is_empty() || url_path.ends_with('/');
    match (folder, file.is_empty()) {
        (_, true) => "index.html".to_owned(),
        (true, false) => format!("{file}/index.html"),
        (false, false) => file,
    }
}

/// Documents parsed again in place since the last render (see [`Site::update_source`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Edit {
    /// Indexes of the changed documents in [`Site::docs`].
    pub docs: Vec<usize>,
    /// Whether listings may show them differently (title, date, order, description, campaign).
    pub lists: bool,
    /// Pages that were or are now next to a changed page in its section, in any language.
    pub nearby: Vec<usize>,
    /// Web templates whose output may have changed (see [`web::Web::reload_templates`]).
    pub templates: std::collections::BTreeSet<String>,
}

/// One output of loa (web pages, feeds, static files…).
pub trait Output: Sync {
    /// A short name for progress and timing.
    fn name(&self) -> &'static str;
    /// Every artifact this output makes for the site.
    fn render(&self, site: &Site) -> Result<Vec<Artifact>>;
    /// After an edit, the artifacts that may have changed (others stay as they are); `None`
    /// when the output can only render everything again.
    fn render_edit(&self, _site: &Site, _edit: &Edit) -> Option<Result<Vec<Artifact>>> {
        None
    }
    /// Problems found by the last render that did not stop it (a script too long to
    /// broadcast, audio that could not be made).
    fn diagnostics(&self) -> Diagnostics {
        Diagnostics::default()
    }
}

/// An output shared with another one (the web output also renders the search pages).
impl<T: Output + Send> Output for std::sync::Arc<T> {
    fn name(&self) -> &'static str {
        self.as_ref().name()
    }

    fn render(&self, site: &Site) -> Result<Vec<Artifact>> {
        self.as_ref().render(site)
    }

    fn render_edit(&self, site: &Site, edit: &Edit) -> Option<Result<Vec<Artifact>>> {
        self.as_ref().render_edit(site, edit)
    }

    fn diagnostics(&self) -> Diagnostics {
        self.as_ref().diagnostics()
    }
}

/// Outputs ready to render, in the order they run.
pub type Outputs = Vec<Box<dyn Output>>;

/// The outputs of a full build, ready to render (templates already compiled).
pub fn standard_outputs(site: &Site) -> Result<Outputs> {
    standard_outputs_with_web(site).map(|(outputs, _)| outputs)
}

/// Like [`standard_outputs`], also handing back the web output (whose templates `loa serve`
/// compiles again after a change).
pub fn standard_outputs_with_web(site: &Site) -> Result<(Outputs, std::sync::Arc<web::Web>)> {
    let typesetter = std::sync::Arc::new(crate::typeset::Typesetter::new(&site.config)?);
    let print = print::Print::new(site, typesetter.clone())?;
    let web = std::sync::Arc::new(web::Web::new(site, print.sizes())?);
    let outputs: Outputs = vec![
        Box::new(static_files::StaticFiles),
        Box::new(images::Images),
        Box::new(fingerprint::Fingerprinted),
        Box::new(web.clone()),
        Box::new(feeds::Feeds),
        Box::new(loudspeaker::Loudspeaker::default()),
        Box::new(banners::Banners::new(site, typesetter)?),
        Box::new(print),
        Box::new(search::Search::new(web.clone())),
        Box::new(safety::Safety::new(web.clone())),
        Box::new(offline::Offline::new(web.clone())),
        Box::new(share::ShareCodes),
    ];
    Ok((outputs, web))
}

/// Runs outputs in parallel; artifacts come back sorted by path, later outputs overriding none.
pub fn render_all(site: &Site, outputs: &[Box<dyn Output>]) -> Result<Vec<Artifact>> {
    render_timed(site, outputs).map(|(artifacts, _)| artifacts)
}

/// How long one output took to render (outputs run side by side, so these overlap).
pub type Timing = (&'static str, std::time::Duration);

/// Like [`render_all`], also reporting how long each output took.
pub fn render_timed(
    site: &Site,
    outputs: &[Box<dyn Output>],
) -> Result<(Vec<Artifact>, Vec<Timing>)> {
    let timed = |o: &dyn Output| -> Result<(Vec<Artifact>, Timing)> {
        let started = std::time::Instant::now();
        o.render(site).map(|artifacts| (artifacts, (o.name(), started.elapsed())))
    };
    let results: Vec<Result<(Vec<Artifact>, Timing)>> =
        outputs.par_iter().map(|o| timed(o.as_ref())).collect();
    let (made, timings): (Vec<_>, Vec<_>) = Error::collect(results)?.into_iter().unzip();
    let mut artifacts: Vec<Artifact> = made.into_iter().flatten().collect();
    artifacts.sort_by(|a, b| a.path.cmp(&b.path));
    if let Some(pair) = artifacts.windows(2).find(|w| w[0].path == w[1].path) {
        return Err(Error::at(&pair[0].path, None, msg!("outputs.same_file"))
            .with_hint(msg!("outputs.same_file.hint")));
    }
    Ok((artifacts, timings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_map_urls_to_files() {
        assert_eq!(file_for_url("/"), "index.html");
        assert_eq!(file_for_url("/en/tin-tuc/"), "en/tin-tuc/index.html");
        assert_eq!(file_for_url("/atom.xml"), "atom.xml");
        assert_eq!(file_for_url("/a/b%20c.png"), "a/b c.png");
        assert_eq!(file_for_url("/../../victim/notes.txt"), "/../../victim/notes.txt");
    }
}
