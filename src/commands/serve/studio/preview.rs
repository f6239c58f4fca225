//! The studio's preview: the page as loa renders it from the writer's unsaved text, through
//! the site's own plan and web output, in memory (nothing is written). The studio keeps its own
//! copy of the site, loaded again after each build of `loa serve` (a save, an edit elsewhere).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::base::error::{Diagnostics, Error, Result};
use crate::base::messages::UiLang;
use crate::model::update::Update;
use crate::model::{BuildOptions, Site};
use crate::render::plan::SitePlan;
use crate::render::web::Web;
use crate::render::{self, Body, Output};

/// A problem in the previewed text, at its line.
#[derive(Debug, Serialize)]
pub struct Problem {
    /// Line in the file, counted from 1 (0 when unknown).
    pub line: usize,
    /// What is wrong, for people.
    pub message: String,
}

/// A material a page offers beside its HTML (its PDF, loudspeaker script, SMS text).
#[derive(Debug, Serialize)]
pub struct Offered {
    /// What it is: `print`, `script`, `audio` or `sms`.
    pub kind: &'static str,
    /// The locale key of its label (`print.leaflet-a5`).
    pub label: String,
    /// Its address on the site.
    pub path: String,
}

/// The site as the preview renders it.
struct Loaded {
    site: Site,
    web: Arc<Web>,
    /// The print output, for laying out a page's PDF from the unsaved text (made when first
    /// needed).
    print: Option<crate::render::print::Print>,
    plan: SitePlan,
    /// The `loa serve` build it follows the sources of.
    build: u64,
}

/// The previews of one studio.
pub struct Previews {
    /// The output folder of `loa serve`, whose PDFs give the sizes materials show.
    out: PathBuf,
    loaded: Mutex<Option<Loaded>>,
    /// The last preview of each file, served to the preview frame.
    pages: Mutex<HashMap<String, String>>,
}

impl Previews {
    /// The previews of the site `loa serve` builds into `out`.
    pub fn new(out: &Path) -> Previews {
        Previews { out: out.to_path_buf(), loaded: Mutex::default(), pages: Mutex::default() }
    }
}

/// The options a preview renders with: drafts shown, authors not trusted with raw HTML.
fn options() -> BuildOptions {
    BuildOptions {
        drafts: true,
        now: chrono::Utc::now().with_timezone(&crate::base::dates::default_offset()),
        base_url: None,
        bleed: false,
        untrusted_authors: true,
    }
}

impl Previews {
    /// Renders the page of `path` (relative to the site, `content/…`) from `text`, keeps its
    /// HTML for [`Previews::page`] and returns the problems found in the text; `shared` tells
    /// which pages changed on disk since the studio's copy of the site was loaded.
    pub fn render(
        &self,
        root: &Path,
        path: &str,
        text: &str,
        shared: &crate::commands::serve::Shared,
        lang: UiLang,
    ) -> Result<Vec<Problem>> {
        let mut loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        let shown = Path::new(path);
        if follow(&mut loaded, root, &self.out, shared)?.site.doc_at(shown).is_none()
            && root.join(path).is_file()
        {
            // A page made since the copy was loaded, before `loa serve` saw it.
            *loaded = None;
        }
        follow(&mut loaded, root, &self.out, shared)?;
        let done = with_unsaved_text(&mut loaded, (shown, text), lang, |live, doc| {
            (render_page(live, doc), problems_of(&live.site, doc, lang))
        })?;
        let (rendered, problems) = match done {
            Ok(done) => done,
            Err(problem) => return Ok(vec![problem]),
        };
        let html = rendered?;
        self.pages.lock().unwrap_or_else(|e| e.into_inner()).insert(path.to_owned(), html);
        Ok(problems)
    }

    /// Lays out the printed editions of the page of `path` from `text` (slower than the
    /// preview, so asked for apart) and returns what stops them: a text that no longer fits
    /// its layout. Nothing is written.
    pub fn fits(
        &self,
        root: &Path,
        path: &str,
        text: &str,
        shared: &crate::commands::serve::Shared,
        lang: UiLang,
    ) -> Result<Vec<Problem>> {
        let mut loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        follow(&mut loaded, root, &self.out, shared)?;
        let shown = Path::new(path);
        let laid = match with_unsaved_text(&mut loaded, (shown, text), lang, lay_out_print)? {
            Ok(laid) => laid,
            Err(problem) => return Ok(vec![problem]),
        };
        match laid {
            Ok(()) => Ok(Vec::new()),
            Err(error) => problem_in_text(&error, shown, lang).map(|p| vec![p]).ok_or(error),
        }
    }

    /// Runs `read` on the studio's copy of the site, made to follow the sources on disk first.
    pub fn with_site<T>(
        &self,
        root: &Path,
        shared: &crate::commands::serve::Shared,
        read: impl FnOnce(&Site) -> T,
    ) -> Result<T> {
        let mut loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        follow(&mut loaded, root, &self.out, shared).map(|live| read(&live.site))
    }

    /// The materials the build's plan gives each published version (`content/…` → its PDFs,
    /// loudspeaker scripts, SMS texts), from the studio's copy of the site.
    pub fn materials(
        &self,
        root: &Path,
        shared: &crate::commands::serve::Shared,
    ) -> Result<BTreeMap<String, Vec<Offered>>> {
        let mut loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        let live = follow(&mut loaded, root, &self.out, shared)?;
        let mut found: BTreeMap<String, Vec<Offered>> = BTreeMap::new();
        for variant in live.site.all_variants().flatten().flatten().filter(|v| v.translated) {
            let materials = live.plan.materials(&variant.path);
            if materials.is_empty() {
                continue;
            }
            let path = live.site.doc(variant).source.path.to_string_lossy().replace('\\', "/");
            let offered = materials.iter().map(|m| Offered {
                kind: m.kind,
                label: m.label.clone(),
                path: live.site.link(&m.path),
            });
            found.entry(path).or_default().extend(offered);
        }
        Ok(found)
    }

    /// Loads the studio's copy of the site now, so that the first preview does not wait for it.
    pub fn prepare(&self, root: &Path, shared: &crate::commands::serve::Shared) -> Result<()> {
        let mut loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        follow(&mut loaded, root, &self.out, shared).map(|_| ())
    }

    /// The last preview of `path`.
    pub fn page(&self, path: &str) -> Option<String> {
        self.pages.lock().unwrap_or_else(|e| e.into_inner()).get(path).cloned()
    }
}

/// The studio's copy of the site, made to follow the sources as they are on disk now: the
/// pages changed since it was loaded are read again alone, and anything more loads it again.
fn follow<'a>(
    loaded: &'a mut Option<Loaded>,
    root: &Path,
    out: &Path,
    shared: &crate::commands::serve::Shared,
) -> Result<&'a mut Loaded> {
    let build = shared.snapshot().0;
    let behind = loaded.as_ref().filter(|l| l.build != build).map(|l| l.build);
    if behind.is_some() {
        loaded.as_mut().into_iter().for_each(|live| sizes_from_output(&mut live.plan, out));
    }
    if let Some(seen) = behind {
        let followed = shared.pages_changed_since(seen).is_some_and(|pages| {
            let live = loaded.as_mut().expect("behind");
            pages.iter().all(|page| {
                let update = live.site.update_source(page, &options());
                matches!(update, Ok(Update::Replaced { .. }))
            })
        });
        match followed {
            true => loaded.as_mut().expect("behind").build = build,
            false => *loaded = None,
        }
    }
    if loaded.is_none() {
        let mut live = load(root, build)?;
        sizes_from_output(&mut live.plan, out);
        *loaded = Some(live);
    }
    Ok(loaded.as_mut().expect("loaded above"))
}

/// Gives the materials the sizes of their files as `loa serve` last wrote them, since the
/// preview lays out no PDF of its own (without it a leaflet showed "PDF, " with no size).
fn sizes_from_output(plan: &mut SitePlan, out: &Path) {
    let sizes: HashMap<String, u64> = plan
        .measured_files()
        .into_iter()
        .filter_map(|file| Some((file.clone(), std::fs::metadata(out.join(&file)).ok()?.len())))
        .collect();
    plan.record_sizes(&sizes);
}

/// Puts the unsaved `text` of the page `shown` in place of its saved version in the studio's
/// copy of the site (loaded by [`follow`]), runs `work` on that copy with the page's document,
/// then puts the saved version back. A text the site refuses comes back as its problem.
fn with_unsaved_text<T>(
    loaded: &mut Option<Loaded>,
    (shown, text): (&Path, &str),
    lang: UiLang,
    work: impl FnOnce(&mut Loaded, usize) -> T,
) -> Result<std::result::Result<T, Problem>> {
    let Some(live) = loaded.as_mut() else { return Err(needs_save(shown)) };
    let Some(doc) = live.site.doc_at(shown) else { return Err(needs_save(shown)) };
    let original = live.site.docs[doc].clone();
    let lists = match live.site.update_source_text(shown, text, &options()) {
        Ok(Update::Replaced { lists, .. }) => lists,
        Ok(Update::Reload) => return Err(needs_save(shown)),
        Err(error) => {
            live.site.docs[doc] = original;
            return problem_in_text(&error, shown, lang).map(Err).ok_or(error);
        }
    };
    let done = work(live, doc);
    if lists {
        restore(loaded, shown);
    } else {
        live.site.docs[doc] = original;
    }
    Ok(Ok(done))
}

/// Puts the text of `shown` on disk back in the studio's copy after a preview that changed
/// what listings show; loads the copy again when that fails.
fn restore(loaded: &mut Option<Loaded>, shown: &Path) {
    let Some(live) = loaded.as_mut() else { return };
    let update = live.site.update_source(shown, &options());
    if !matches!(update, Ok(Update::Replaced { .. })) {
        *loaded = None;
    }
}

/// Loads the site with its outputs and plan.
fn load(root: &Path, build: u64) -> Result<Loaded> {
    let mut diagnostics = Diagnostics::default();
    let site = Site::load(root, &options(), &mut diagnostics)?;
    let (outputs, web) = render::standard_outputs_with_web(&site, &Arc::default())?;
    let plan = render::plan_all(&site, &outputs)?;
    Ok(Loaded { site, web, print: None, plan, build })
}

/// The HTML of document `doc`'s own page, rendered by the web output.
fn render_page(live: &Loaded, doc: usize) -> Result<String> {
    let url = live
        .site
        .variants_showing(doc)
        .and_then(|variants| variants.iter().flatten().find(|v| v.translated && v.doc == doc))
        .map(|v| v.path.clone())
        .ok_or_else(|| needs_save(&live.site.docs[doc].source.path))?;
    let file = render::file_for_url(&url);
    let route = render::plan::Route::File(file.clone());
    let artifacts = live
        .web
        .render_routes(&live.site, &live.plan, &[route])
        .unwrap_or_else(|| live.web.render(&live.site, &live.plan))?;
    artifacts
        .into_iter()
        .find(|a| a.path == file)
        .and_then(|a| match a.body {
            Body::Bytes(bytes) => String::from_utf8(bytes).ok(),
            Body::Copy(_) => None,
        })
        .ok_or_else(|| needs_save(&live.site.docs[doc].source.path))
}

/// Lays out the PDFs the print output makes from document `doc`, keeping none.
fn lay_out_print(live: &mut Loaded, doc: usize) -> Result<()> {
    let Some(index) = live.plan.plans.iter().position(|(name, _)| *name == "print") else {
        return Ok(());
    };
    let inputs = live.plan.plans[index].1.inputs.as_ref();
    let routes: Vec<render::plan::Route> = inputs
        .into_iter()
        .flatten()
        .filter(|(_, from)| from.contains(&render::plan::Input::Doc(doc)))
        .map(|(route, _)| route.clone())
        .collect();
    if routes.is_empty() {
        return Ok(());
    }
    if live.print.is_none() {
        let typesetter = crate::render::typesetting::typesetter(&live.site, Default::default())?;
        live.print = Some(crate::render::print::Print::new(Arc::new(typesetter)));
    }
    let print = live.print.as_ref().expect("made above");
    print.render_routes(&live.site, &live.plan, &routes).transpose().map(|_| ())
}

/// What `loa check` finds in document `doc` from its text as previewed (broken links, missing
/// images and alt text, headings, raw HTML), each at its line.
fn problems_of(site: &Site, doc: usize, lang: UiLang) -> Vec<Problem> {
    let scope = crate::commands::check::Scope::Unsaved(std::slice::from_ref(&doc));
    let found =
        crate::commands::check::problems_in(site, crate::commands::check::Mode::Preview, scope);
    found
        .diagnostics
        .sorted()
        .into_iter()
        .filter(|d| d.severity != crate::base::error::Severity::Note)
        .map(|d| Problem { line: d.position.map_or(0, |p| p.line), message: d.render(lang) })
        .collect()
}

/// An error in the previewed text itself (an unknown hotline, a shortcode's missing argument)
/// as a problem at its line, when it is in the previewed file.
fn problem_in_text(error: &Error, shown: &Path, lang: UiLang) -> Option<Problem> {
    let Error::Source(located) = error else { return None };
    (located.path == shown).then(|| Problem {
        line: located.position.map_or(0, |p| p.line),
        message: error.render(lang),
    })
}

/// The error for a change the preview cannot show before it is saved (a new address, a page
/// not yet in the site).
fn needs_save(shown: &Path) -> Error {
    Error::at(shown, None, msg!("studio.preview_after_save"))
        .with_hint(msg!("studio.preview_after_save.hint"))
}
