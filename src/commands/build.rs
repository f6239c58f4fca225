//! `loa build`: load → model → render → write, with the time of each stage.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::base::error::{Diagnostics, Result};
use crate::commands::check::{self, Mode};
use crate::model::{BuildOptions, Site};
use crate::{render, write};

/// What a finished build reports.
#[derive(Debug)]
pub struct BuildReport {
    /// Problems that did not stop the build.
    pub diagnostics: Diagnostics,
    /// Files written.
    pub files: usize,
    /// Pages per language: (code, translated, fallback).
    pub pages: Vec<(String, usize, usize)>,
    /// Loudspeaker scripts written.
    pub scripts: usize,
    /// Wall time of the build.
    pub elapsed: std::time::Duration,
    /// Wall time of each stage and output, in order (outputs overlap: they run side by side).
    pub timings: Vec<render::Timing>,
}

/// A stage of a build, for progress reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Reading site.yaml, locales and content.
    Loading,
    /// Rendering this many pages (in all languages).
    Rendering(usize),
    /// Writing this many files.
    Writing(usize),
}

/// Builds the site in `root` into `out`.
pub fn build(root: &Path, out: &Path, options: &BuildOptions) -> Result<BuildReport> {
    build_with_progress(root, out, options, &mut |_| {})
}

/// Builds the site in `root` into `out`, reporting each stage to `progress`.
pub fn build_with_progress(
    root: &Path,
    out: &Path,
    options: &BuildOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<BuildReport> {
    let started = Instant::now();
    let mut stage = Stopwatch::start();
    let mut diagnostics = Diagnostics::default();
    progress(Progress::Loading);
    let mode = crate::commands::check::Mode::of_build(options);
    let site = load_for(root, out, options, mode, &mut diagnostics)?;
    crate::base::memory::release_freed();
    stage.lap("load");
    let outputs = render::standard_outputs(&site, &Default::default())?;
    stage.lap("prepare outputs");
    let variants = site.pages.iter().map(|p| p.variants.iter().flatten().count()).sum();
    progress(Progress::Rendering(variants));
    let staging = write::Staging::open(out)?;
    let render::Streamed { timings: output_timings, plan } =
        render::render_streamed(&site, &outputs, &|artifacts| staging.put(&artifacts))?;
    outputs.iter().for_each(|o| diagnostics.extend(o.diagnostics()));
    stage.lap("render and write");
    let files = staging.files();
    progress(Progress::Writing(files));
    staging.finish()?;
    stage.lap("swap");
    let mut timings = stage.laps;
    timings.extend(output_timings);
    Ok(BuildReport {
        timings,
        diagnostics,
        files,
        pages: page_counts(&site),
        scripts: plan.count("script"),
        elapsed: started.elapsed(),
    })
}

/// The first steps of a build and of `loa serve`: checks that `out` may be written, loads the
/// site and runs the checks of `loa check` on it. A problem that
/// would publish a page broken stops a build in [`Mode::Publish`] before anything is written;
/// in [`Mode::Preview`] it is a warning, shown on the page.
pub(crate) fn load_for(
    root: &Path,
    out: &Path,
    options: &BuildOptions,
    mode: Mode,
    diagnostics: &mut Diagnostics,
) -> Result<Site> {
    write::check_output_folder(root, out)?;
    let mut site = Site::load(root, options, diagnostics)?;
    let problems = check::site_problems(&site, mode);
    if problems.stop_the_build() {
        return Err(problems.into_error());
    }
    let every_doc = 0..site.docs.len();
    problems.show_on_pages(&mut site, every_doc);
    diagnostics.extend(problems.diagnostics);
    Ok(site)
}

/// Times the stages of a build one after the other.
struct Stopwatch {
    laps: Vec<render::Timing>,
    last: Instant,
}

impl Stopwatch {
    fn start() -> Self {
        Stopwatch { laps: Vec::new(), last: Instant::now() }
    }

    fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.laps.push((name, now - self.last));
        self.last = now;
    }
}

fn page_counts(site: &Site) -> Vec<(String, usize, usize)> {
    site.config
        .languages
        .iter()
        .enumerate()
        .map(|(lang, l)| {
            let variants = site.pages.iter().filter_map(|p| p.variants[lang].as_ref());
            let (translated, fallback) = variants
                .fold((0, 0), |(t, f), v| if v.translated { (t + 1, f) } else { (t, f + 1) });
            (l.code.clone(), translated, fallback)
        })
        .collect()
}

/// The default output folder of a site.
pub fn default_output(root: &Path) -> PathBuf {
    root.join("public")
}
