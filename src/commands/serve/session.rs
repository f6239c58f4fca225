//! The site `loa serve` keeps in memory between saves: the [`Site`], its compiled outputs and
//! the written files, so that an edited page is parsed and rendered again alone.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::change::Change;
use super::mirror::{Mirror, Written};
use crate::base::error::{Diagnostics, Error, Result};
use crate::commands::check::{self, Mode};
use crate::engines::typeset;
use crate::model::update::Update;
use crate::model::{BuildOptions, Site};
use crate::render::plan::SitePlan;
use crate::render::web::Web;
use crate::render::{self, Artifact, Edit, Output};

/// What the browser should do after a rebuild.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refresh {
    /// Nothing it shows changed.
    Nothing,
    /// Load the page again.
    Reload,
    /// Only stylesheets changed: swap them in place.
    Styles,
}

/// What one rebuild did.
#[derive(Debug)]
pub struct Rebuilt {
    /// What the browser should do.
    pub refresh: Refresh,
    /// Files written and removed.
    pub files: Written,
    /// Problems that did not stop the build.
    pub diagnostics: Diagnostics,
    /// Wall time.
    pub elapsed: Duration,
}

/// The loaded site with its outputs, ready for edits.
struct Live {
    site: Site,
    outputs: render::Outputs,
    /// The web output among `outputs`, whose templates are compiled again when they change.
    web: Arc<Web>,
    /// The outputs' plan as last rendered, with the sizes of the materials.
    plan: SitePlan,
}

/// A preview session: the site in memory and the output folder as last written.
pub struct Session {
    root: PathBuf,
    out: PathBuf,
    options: BuildOptions,
    live: Option<Live>,
    mirror: Option<Mirror>,
    /// Outputs that could not follow an edit by themselves, rendered again when edits pause.
    behind: BTreeSet<usize>,
    /// Pages whose last save could not be read, tried again with the next change.
    failing: BTreeSet<PathBuf>,
    /// The PDFs and banners laid out so far, kept across rebuilds.
    typeset: Arc<typeset::Cache>,
}

impl Session {
    /// A session for the site in `root` written to `out`; nothing is built yet.
    pub fn new(root: &Path, out: &Path, options: BuildOptions) -> Session {
        Session {
            root: root.to_path_buf(),
            out: crate::write::absolute(out),
            options,
            live: None,
            mirror: None,
            behind: BTreeSet::new(),
            failing: BTreeSet::new(),
            typeset: Arc::default(),
        }
    }

    /// The output folder.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// The PDFs and banners this session has laid out and keeps for its next rebuilds.
    pub fn typeset_cache(&self) -> &typeset::Cache {
        &self.typeset
    }

    /// Loads the site and renders every output, writing only files whose bytes changed.
    pub fn build_all(&mut self) -> Result<Rebuilt> {
        let started = Instant::now();
        let mut diagnostics = Diagnostics::default();
        self.live = None;
        let site = crate::commands::build::load_for(
            &self.root,
            &self.out,
            &self.options,
            Mode::Preview,
            &mut diagnostics,
        )?;
        let (outputs, web) = render::standard_outputs_with_web(&site, &self.typeset)?;
        let rendered = render::render_timed(&site, &outputs)?;
        let files = self.write_all(&rendered.artifacts)?;
        self.live = Some(Live { site, outputs, web, plan: rendered.plan });
        self.behind.clear();
        self.failing.clear();
        Ok(Rebuilt { refresh: Refresh::Reload, files, diagnostics, elapsed: started.elapsed() })
    }

    /// Rebuilds what a change needs.
    pub fn apply(&mut self, change: &Change) -> Result<Rebuilt> {
        self.apply_showing(change, &mut |_| {})
    }

    /// Rebuilds what a change needs; for edited pages, calls `shown` as soon as their own web
    /// pages are written, before the checks and the pages that list them, so that a save shows
    /// at once however large the site.
    pub fn apply_showing(
        &mut self,
        change: &Change,
        shown: &mut dyn FnMut(Rebuilt),
    ) -> Result<Rebuilt> {
        match change {
            Change::Nothing if self.failing.is_empty() => Ok(nothing(Instant::now())),
            Change::Nothing => self.edit_pages(&[], shown),
            Change::Pages(paths) if self.live.is_some() => self.edit_pages(paths, shown),
            Change::Styles if self.live.is_some() => self.restyle(),
            Change::Templates if self.live.is_some() => self.retemplate(),
            _ => self.build_all(),
        }
    }

    /// Whether some output still has to follow earlier edits.
    pub fn is_behind(&self) -> bool {
        !self.behind.is_empty()
    }

    /// Renders in full the outputs that could not follow earlier edits (the search index).
    pub fn catch_up(&mut self) -> Result<Rebuilt> {
        let started = Instant::now();
        let Some(live) = &self.live else { return Ok(nothing(started)) };
        let behind: Vec<&Box<dyn Output>> = self.behind.iter().map(|i| &live.outputs[*i]).collect();
        let results: Vec<Result<Vec<Artifact>>> =
            behind.par_iter().map(|o| o.render(&live.site, &live.plan)).collect();
        let artifacts: Vec<Artifact> = Error::collect(results)?.into_iter().flatten().collect();
        let files = self.mirror_mut().update(&artifacts)?;
        self.behind.clear();
        Ok(Rebuilt {
            refresh: Refresh::Nothing,
            files,
            diagnostics: Diagnostics::default(),
            elapsed: started.elapsed(),
        })
    }

    /// Parses the changed pages again in place and renders what shows them (their own pages
    /// first, then told to `shown`); a page that was created, deleted, renamed or moved loads
    /// the whole site again.
    fn edit_pages(&mut self, paths: &[PathBuf], shown: &mut dyn FnMut(Rebuilt)) -> Result<Rebuilt> {
        let started = Instant::now();
        let mut all: BTreeSet<PathBuf> = paths.iter().cloned().collect();
        all.extend(self.failing.iter().cloned());
        let Some(edit) = self.update_sources(&all)? else { return self.build_all() };
        let first = self.write_own_pages(&edit.docs)?;
        let early = first.written.clone();
        if !early.is_empty() {
            let files =
                Written { rendered: first.rendered, written: early.clone(), removed: Vec::new() };
            let diagnostics = Diagnostics::default();
            shown(Rebuilt {
                refresh: Refresh::Reload,
                files,
                diagnostics,
                elapsed: started.elapsed(),
            });
        }
        let diagnostics = self.show_problems_of(&edit.docs);
        let mut files = self.render_edit(&edit)?;
        let unchanged = files.written.is_empty() && files.removed.is_empty();
        let refresh =
            if !early.is_empty() && unchanged { Refresh::Nothing } else { Refresh::Reload };
        let again: BTreeSet<String> = files.written.iter().cloned().collect();
        files.written.extend(early.into_iter().filter(|f| !again.contains(f)));
        Ok(Rebuilt { refresh, files, diagnostics, elapsed: started.elapsed() })
    }

    /// Renders and writes the web pages made from documents `docs` alone, with the plan as it
    /// was (their addresses and places did not change), so that an edit shows before the rest
    /// of the site follows it.
    fn write_own_pages(&mut self, docs: &[usize]) -> Result<Written> {
        let live = self.live.as_ref().expect("edited a loaded site");
        let web = live.plan.plans.iter().find(|(name, _)| *name == live.web.name());
        let Some(inputs) = web.and_then(|(_, plan)| plan.inputs.as_ref()) else {
            return Ok(Written::default());
        };
        let made_from_docs = |from: &[render::plan::Input]| {
            from.iter().any(|i| matches!(i, render::plan::Input::Doc(d) if docs.contains(d)))
        };
        let routes: Vec<render::plan::Route> = inputs
            .iter()
            .filter(|(_, from)| made_from_docs(from))
            .map(|(route, _)| route.clone())
            .collect();
        if routes.is_empty() {
            return Ok(Written::default());
        }
        let artifacts = match live.web.render_routes(&live.site, &live.plan, &routes) {
            Some(rendered) => rendered?,
            None => return Ok(Written::default()),
        };
        self.mirror_mut().update(&artifacts)
    }

    /// Runs the checks of `loa check` again and shows the problems of the edited documents on
    /// their pages, returning those problems.
    fn show_problems_of(&mut self, docs: &[usize]) -> Diagnostics {
        let live = self.live.as_mut().expect("edited a loaded site");
        let problems = check::problems_in(&live.site, Mode::Preview, check::Scope::Docs(docs));
        problems.show_on_pages(&mut live.site, docs.iter().copied());
        let paths: BTreeSet<PathBuf> = docs
            .iter()
            .filter_map(|d| live.site.docs.get(*d))
            .map(|d| d.source.path.clone())
            .collect();
        problems.diagnostics.only_in(&paths)
    }

    /// Compiles the templates again and renders the pages made with those that changed (and
    /// with templates that extend, include or import them).
    fn retemplate(&mut self) -> Result<Rebuilt> {
        let started = Instant::now();
        let live = self.live.as_ref().expect("templates of a loaded site");
        let templates = live.web.reload_templates(&live.site)?;
        if templates.is_empty() {
            return Ok(nothing(started));
        }
        let files = self.render_edit(&Edit { templates, ..Edit::default() })?;
        Ok(Rebuilt {
            refresh: Refresh::Reload,
            files,
            diagnostics: Diagnostics::default(),
            elapsed: started.elapsed(),
        })
    }

    /// Renders what each output makes again after `edit`, through the same queue as a full
    /// build (outputs that show materials after those that measure them), and writes what
    /// changed; outputs that cannot follow it are rendered in full when edits pause.
    fn render_edit(&mut self, edit: &Edit) -> Result<Written> {
        let live = self.live.as_mut().expect("edited a loaded site");
        let mut plan = render::plan_all(&live.site, &live.outputs)?;
        plan.keep_sizes_from(&live.plan);
        let (site, earlier) = (&live.site, &live.plan);
        let ran = render::run_in_waves(&live.outputs, &mut plan, |index, output, plan| {
            let edit = Edit { materials: plan.changed_pages(earlier), ..edit.clone() };
            let changed = render::plan::Input::changed_by(&edit);
            match plan.touched(index, earlier, &changed) {
                Some(routes) if routes.is_empty() => Some(Ok(Vec::new())),
                Some(routes) => output.render_routes(site, plan, &routes),
                None => None,
            }
        })?;
        live.plan = plan;
        let mut artifacts = Vec::new();
        for ran in ran {
            match ran.artifacts {
                Some(made) => artifacts.extend(made),
                None => {
                    self.behind.insert(ran.output);
                }
            }
        }
        self.mirror_mut().update(&artifacts)
    }

    /// Puts each changed source in place; `None` when one of them needs the site loaded again.
    fn update_sources(&mut self, paths: &BTreeSet<PathBuf>) -> Result<Option<Edit>> {
        let live = self.live.as_mut().expect("edited a loaded site");
        let mut edit = Edit::default();
        for path in paths {
            match live.site.update_source(path, &self.options) {
                Ok(Update::Replaced { doc, lists }) => {
                    self.failing.remove(path);
                    edit.docs.push(doc);
                    edit.lists |= lists;
                }
                Ok(Update::Reload) => return Ok(None),
                Err(error) => {
                    self.failing.insert(path.clone());
                    return Err(error);
                }
            }
        }
        Ok(Some(edit))
    }

    /// Renders every output again with the site as it is, for a changed stylesheet (inlined
    /// in every page, and hashed in the names of linked copies).
    fn restyle(&mut self) -> Result<Rebuilt> {
        let started = Instant::now();
        let live = self.live.as_mut().expect("restyled a loaded site");
        (live.outputs, live.web) = render::standard_outputs_with_web(&live.site, &self.typeset)?;
        let rendered = render::render_timed(&live.site, &live.outputs)?;
        live.plan = rendered.plan;
        let files = self.write_all(&rendered.artifacts)?;
        self.behind.clear();
        Ok(Rebuilt {
            refresh: Refresh::Styles,
            files,
            diagnostics: Diagnostics::default(),
            elapsed: started.elapsed(),
        })
    }

    /// Makes the output folder hold exactly these artifacts.
    fn write_all(&mut self, artifacts: &[Artifact]) -> Result<Written> {
        match &mut self.mirror {
            Some(mirror) => mirror.replace(artifacts),
            None => {
                crate::write::write_site(&self.out, artifacts)?;
                self.mirror = Some(Mirror::new(&self.out, artifacts)?);
                let written = artifacts.iter().map(|a| a.path.clone()).collect();
                Ok(Written { rendered: artifacts.len(), written, removed: Vec::new() })
            }
        }
    }

    fn mirror_mut(&mut self) -> &mut Mirror {
        let out = self.out.clone();
        self.mirror.get_or_insert_with(|| Mirror::empty(&out))
    }
}

fn nothing(started: Instant) -> Rebuilt {
    Rebuilt {
        refresh: Refresh::Nothing,
        files: Written::default(),
        diagnostics: Diagnostics::default(),
        elapsed: started.elapsed(),
    }
}
