//! Outputs turn the [`Site`] into artifacts; each output is a module behind the [`Output`] trait.

pub mod banners;
pub mod body;
pub mod feeds;
pub mod fingerprint;
pub mod hotlines;
pub mod images;
pub mod loudspeaker;
pub mod offline;
pub mod plan;
pub mod print;
pub mod safety;
pub mod search;
pub mod share;
pub mod sms;
pub mod static_files;
pub mod theme;
pub mod typesetting;
pub mod web;

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::base::error::{Diagnostics, Error, Result};
pub use crate::base::text::escape_xml;
use crate::engines::typeset;
use crate::model::Site;
use plan::{Need, Plan, SitePlan};

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
    let Ok(file) = crate::base::paths::output_file(url_path) else {
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
    /// Web templates whose output may have changed (see [`theme::Theme::reload_templates`]).
    pub templates: std::collections::BTreeSet<String>,
    /// URL paths of the pages whose materials changed (a PDF laid out again changed size).
    pub materials: Vec<String>,
}

/// Where a build's artifacts go as they are rendered (the write step's staging folder).
pub type Sink<'a> = dyn Fn(Vec<Artifact>) -> Result<()> + Sync + 'a;

/// One output of loa (web pages, feeds, static files…).
pub trait Output: Sync {
    /// A short name for progress and timing.
    fn name(&self) -> &'static str;
    /// What this output will write and add to pages, declared before anything renders.
    fn plan(&self, site: &Site) -> Result<Plan>;
    /// Sees every output's plan once it is joined, before anything renders (the web output
    /// takes the addresses other outputs offer from it).
    fn planned(&self, _site: &Site, _plan: &SitePlan) -> Result<()> {
        Ok(())
    }
    /// Every artifact this output makes for the site, with every output's plan at hand.
    fn render(&self, site: &Site, plan: &SitePlan) -> Result<Vec<Artifact>>;
    /// Renders like [`Output::render`], handing the artifacts to `sink` as they are made, so
    /// that a build holds only what is being rendered; outputs with many files send them in
    /// pieces.
    fn render_into(&self, site: &Site, plan: &SitePlan, sink: &Sink) -> Result<()> {
        sink(self.render(site, plan)?)
    }
    /// Renders again, after an edit, the routes [`SitePlan::touched`] found; by default
    /// everything is rendered and only those routes kept, which suits small outputs. `None`
    /// when the output renders them in full once edits pause instead (the search index).
    fn render_routes(
        &self,
        site: &Site,
        plan: &SitePlan,
        routes: &[plan::Route],
    ) -> Option<Result<Vec<Artifact>>> {
        let wanted = plan::RouteSet::new(routes);
        let rendered = self.render(site, plan);
        Some(rendered.map(|all| all.into_iter().filter(|a| wanted.covers(&a.path)).collect()))
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

    fn plan(&self, site: &Site) -> Result<Plan> {
        self.as_ref().plan(site)
    }

    fn planned(&self, site: &Site, plan: &SitePlan) -> Result<()> {
        self.as_ref().planned(site, plan)
    }

    fn render(&self, site: &Site, plan: &SitePlan) -> Result<Vec<Artifact>> {
        self.as_ref().render(site, plan)
    }

    fn render_into(&self, site: &Site, plan: &SitePlan, sink: &Sink) -> Result<()> {
        self.as_ref().render_into(site, plan, sink)
    }

    fn render_routes(
        &self,
        site: &Site,
        plan: &SitePlan,
        routes: &[plan::Route],
    ) -> Option<Result<Vec<Artifact>>> {
        self.as_ref().render_routes(site, plan, routes)
    }

    fn diagnostics(&self) -> Diagnostics {
        self.as_ref().diagnostics()
    }
}

/// Outputs ready to render, in the order they run.
pub type Outputs = Vec<Box<dyn Output>>;

/// The outputs of a full build, ready to render (templates already compiled); `typeset`
/// keeps the PDFs and banners laid out, for the next build of the same session.
pub fn standard_outputs(site: &Site, typeset: &Arc<typeset::Cache>) -> Result<Outputs> {
    standard_outputs_with_web(site, typeset).map(|(outputs, _)| outputs)
}

/// Like [`standard_outputs`], also handing back the web output (whose templates `loa serve`
/// compiles again after a change).
pub fn standard_outputs_with_web(
    site: &Site,
    typeset: &Arc<typeset::Cache>,
) -> Result<(Outputs, Arc<web::Web>)> {
    let typesetter = Arc::new(typesetting::typesetter(site, typeset.clone())?);
    let theme = Arc::new(theme::Theme::new(site)?);
    let web = Arc::new(web::Web::new(theme.clone()));
    let outputs: Outputs = vec![
        Box::new(static_files::StaticFiles),
        Box::new(images::Images),
        Box::new(fingerprint::Fingerprinted),
        Box::new(web.clone()),
        Box::new(feeds::Feeds),
        Box::new(loudspeaker::Loudspeaker::new(theme.clone())),
        Box::new(banners::Banners::new(site, typesetter.clone())?),
        Box::new(print::Print::new(typesetter)),
        Box::new(search::Search::new(theme.clone())),
        Box::new(safety::Safety::new(theme.clone())),
        Box::new(offline::Offline::new(theme)),
        Box::new(share::ShareCodes),
        Box::new(sms::Sms),
    ];
    Ok((outputs, web))
}

/// Runs outputs in parallel; artifacts come back sorted by path, later outputs overriding none.
pub fn render_all(site: &Site, outputs: &[Box<dyn Output>]) -> Result<Vec<Artifact>> {
    render_timed(site, outputs).map(|rendered| rendered.artifacts)
}

/// How long one output took to render (outputs run side by side, so these overlap).
pub type Timing = (&'static str, std::time::Duration);

/// What a full render made.
#[derive(Debug)]
pub struct Rendered {
    /// Every artifact, sorted by path.
    pub artifacts: Vec<Artifact>,
    /// How long each output took.
    pub timings: Vec<Timing>,
    /// The outputs' plan, with the sizes of the materials measured.
    pub plan: SitePlan,
}

/// Asks every output for its plan, joins the plans and shows the result to every output.
pub fn plan_all(site: &Site, outputs: &[Box<dyn Output>]) -> Result<SitePlan> {
    let plans: Vec<Result<(&'static str, Plan)>> =
        outputs.par_iter().map(|o| o.plan(site).map(|plan| (o.name(), plan))).collect();
    let plan = SitePlan::new(Error::collect(plans)?)?;
    for output in outputs {
        output.planned(site, &plan)?;
    }
    Ok(plan)
}

/// Like [`render_all`], also reporting how long each output took and the plan.
pub fn render_timed(site: &Site, outputs: &[Box<dyn Output>]) -> Result<Rendered> {
    let mut plan = plan_all(site, outputs)?;
    let ran = run_in_waves(outputs, &mut plan, |_, output, plan| Some(output.render(site, plan)))?;
    let timings = ran.iter().map(|r| (outputs[r.output].name(), r.elapsed)).collect();
    let mut artifacts: Vec<Artifact> =
        ran.into_iter().filter_map(|r| r.artifacts).flatten().collect();
    artifacts.sort_by(|a, b| a.path.cmp(&b.path));
    if let Some(pair) = artifacts.windows(2).find(|w| w[0].path == w[1].path) {
        return Err(Error::at(&pair[0].path, None, msg!("outputs.same_file"))
            .with_hint(msg!("outputs.same_file.hint")));
    }
    Ok(Rendered { artifacts, timings, plan })
}

/// What one output made in [`run_in_waves`].
#[derive(Debug)]
pub struct Ran {
    /// Its index among the outputs.
    pub output: usize,
    /// Its artifacts; `None` when it could not follow an edit.
    pub artifacts: Option<Vec<Artifact>>,
    /// How long it took.
    pub elapsed: std::time::Duration,
}

/// The one job queue of full builds and `loa serve` edits: runs `job` for every output, side by
/// side, first those that need nothing from the others, then (once the sizes of the materials
/// the first made are measured into `plan`) those that need them.
pub fn run_in_waves(
    outputs: &[Box<dyn Output>],
    plan: &mut SitePlan,
    job: impl Fn(usize, &dyn Output, &SitePlan) -> Option<Result<Vec<Artifact>>> + Sync,
) -> Result<Vec<Ran>> {
    let mut ran = Vec::with_capacity(outputs.len());
    for late in [false, true] {
        let done = run_wave(outputs, plan, late, &job)?;
        for artifacts in done.iter().filter_map(|r| r.artifacts.as_ref()) {
            plan.measure(artifacts);
        }
        ran.extend(done);
    }
    Ok(ran)
}

/// Runs `job` for the outputs of one wave (`late`: those that need the materials' sizes).
fn run_wave(
    outputs: &[Box<dyn Output>],
    plan: &SitePlan,
    late: bool,
    job: &(impl Fn(usize, &dyn Output, &SitePlan) -> Option<Result<Vec<Artifact>>> + Sync),
) -> Result<Vec<Ran>> {
    let wave: Vec<usize> =
        (0..outputs.len()).filter(|i| plan.needs(*i, Need::MaterialSizes) == late).collect();
    let results: Vec<Result<Ran>> = wave
        .par_iter()
        .map(|index| {
            let started = std::time::Instant::now();
            let artifacts = job(*index, outputs[*index].as_ref(), plan).transpose()?;
            Ok(Ran { output: *index, artifacts, elapsed: started.elapsed() })
        })
        .collect();
    Error::collect(results)
}

/// What a streamed render reports once every artifact went to the sink.
#[derive(Debug)]
pub struct Streamed {
    /// How long each output took.
    pub timings: Vec<Timing>,
    /// The outputs' plan, with the sizes of the materials measured.
    pub plan: SitePlan,
}

/// Renders every output in the waves of [`run_in_waves`], handing artifacts to `sink` as they
/// are made instead of holding them: the sizes of the materials are noted on the way.
pub fn render_streamed(site: &Site, outputs: &[Box<dyn Output>], sink: &Sink) -> Result<Streamed> {
    let mut plan = plan_all(site, outputs)?;
    plan.forget_inputs();
    crate::base::memory::release_freed();
    let wanted = plan.measured_files();
    let sizes = std::sync::Mutex::new(std::collections::HashMap::new());
    let noting = |artifacts: Vec<Artifact>| {
        for artifact in artifacts.iter().filter(|a| wanted.contains(&a.path)) {
            if let Some(size) = plan::size_of(artifact) {
                sizes.lock().unwrap_or_else(|e| e.into_inner()).insert(artifact.path.clone(), size);
            }
        }
        sink(artifacts)
    };
    let mut timings = Vec::with_capacity(outputs.len());
    for late in [false, true] {
        let job = |_: usize, output: &dyn Output, plan: &SitePlan| {
            Some(output.render_into(site, plan, &noting).map(|()| Vec::new()))
        };
        let done = run_wave(outputs, &plan, late, &job)?;
        crate::base::memory::release_freed();
        plan.record_sizes(&sizes.lock().unwrap_or_else(|e| e.into_inner()));
        timings.extend(done.iter().map(|r| (outputs[r.output].name(), r.elapsed)));
    }
    Ok(Streamed { timings, plan })
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
