//! `loa check`: links, anchors, images, alt text, headings, raw HTML (and what is removed from
//! it), SVG files with script, control characters, phone links and locale keys.
//!
//! [`site_problems`] is the one list of checks: `loa check` runs it, and so do `loa build` and
//! `loa serve` before anything is rendered, the [`Mode`] deciding how serious each problem is.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::base::error::{Diagnostic, Diagnostics, Error, Position, Severity};
use crate::base::messages::{Message, UiLang};
use crate::load::markdown::{Reference, Resolved};
use crate::model::links::has_scheme;
use crate::model::{BuildOptions, Doc, Site, Variant};

mod characters;
mod glossary;
mod preview;

/// Which command runs the checks, which decides how serious each problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `loa check`: every problem with its own severity.
    Check,
    /// `loa build`: a page that would be published broken stops the build.
    Publish,
    /// `loa build --drafts` and `loa serve`: problems are warnings, shown on their pages.
    Preview,
}

/// What a problem means for the published site; with the mode it gives the severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Weight {
    /// A page would be published broken: a missing image, a dead link, an unknown anchor.
    Broken,
    /// A page is published unfinished (placeholder text): an error only for `loa check`.
    Unfinished,
    /// Advice to authors: its own severity in `loa check`, a warning in builds.
    Advice(Severity),
    /// The same in every mode: a build could not go on anyway.
    Always(Severity),
}

impl Mode {
    /// The mode of a build: a preview when it publishes drafts.
    pub fn of_build(options: &BuildOptions) -> Mode {
        if options.drafts { Mode::Preview } else { Mode::Publish }
    }

    /// The mode for the problems of one document: a draft is only ever previewed (`loa build`
    /// publishes it with `--drafts` alone, where its problems are warnings), so `loa check`
    /// warns about it as that build would, and its errors stay those of a build.
    fn for_doc(self, doc: &Doc) -> Mode {
        if self == Mode::Check && doc.front.draft { Mode::Preview } else { self }
    }

    fn severity(self, weight: Weight) -> Severity {
        match (self, weight) {
            (_, Weight::Always(severity)) | (Mode::Check, Weight::Advice(severity)) => severity,
            (Mode::Check, _) | (Mode::Publish, Weight::Broken) => Severity::Error,
            _ => Severity::Warning,
        }
    }
}

/// What the checks found in a site, with the severities of one mode.
#[derive(Debug, Default)]
pub struct Problems {
    /// Every problem.
    pub diagnostics: Diagnostics,
    /// The problems that would publish a page broken, shown on their pages in a preview.
    broken: Vec<Diagnostic>,
    /// The images that do not exist, by the source file that shows them, as written.
    missing_images: HashSet<(PathBuf, String)>,
}

impl Problems {
    /// Whether the build must stop: some problem is an error.
    pub fn stop_the_build(&self) -> bool {
        self.diagnostics.has_errors()
    }

    /// The errors as one error that stops the build, each at its place with its hint.
    pub fn into_error(self) -> Error {
        let errors =
            self.diagnostics.sorted().into_iter().filter(|d| d.severity == Severity::Error);
        Error::from_many(
            errors
                .map(|d| {
                    let error = Error::at(d.path, d.position, d.message);
                    match d.hint {
                        Some(hint) => error.with_hint(hint),
                        None => error,
                    }
                })
                .collect(),
        )
    }

    /// Shows the problems that would publish a page broken on the page itself, in a notice
    /// at the top of its body, and leaves out the images that do not exist (a preview).
    pub fn show_on_pages(&self, site: &mut Site, docs: impl Iterator<Item = usize>) {
        preview::show_on_pages(self, site, docs);
    }

    fn push(
        &mut self,
        mode: Mode,
        weight: Weight,
        path: &Path,
        position: Option<Position>,
        (message, hint): (Message, Option<Message>),
    ) {
        let severity = mode.severity(weight);
        if weight == Weight::Broken {
            let diagnostic = Diagnostic {
                path: path.to_path_buf(),
                position,
                severity,
                message: message.clone(),
                hint: hint.clone(),
            };
            self.broken.push(diagnostic);
        }
        self.diagnostics.push(severity, path, position, message, hint);
    }

    /// The problems found in the files of documents `docs` alone.
    fn only_in_docs(self, site: &Site, docs: &[usize]) -> Problems {
        let paths: std::collections::BTreeSet<PathBuf> =
            docs.iter().filter_map(|d| site.docs.get(*d)).map(|d| d.source.path.clone()).collect();
        Problems {
            diagnostics: self.diagnostics.only_in(&paths),
            broken: self.broken.into_iter().filter(|d| paths.contains(&d.path)).collect(),
            missing_images: self.missing_images,
        }
    }

    /// Adds diagnostics made by a check that knows no modes, as advice.
    fn advise(&mut self, mode: Mode, diagnostics: Diagnostics) {
        for d in diagnostics.sorted() {
            let weight = Weight::Advice(d.severity);
            self.push(mode, weight, &d.path, d.position, (d.message, d.hint));
        }
    }
}

/// The site loaded for a check; `None` when it cannot be, its error among `diagnostics`.
fn loaded(root: &Path, options: &BuildOptions, diagnostics: &mut Diagnostics) -> Option<Site> {
    match Site::load(root, options, diagnostics) {
        Ok(site) => Some(site),
        Err(error) => {
            diagnostics.push_error(error);
            None
        }
    }
}

/// Loads the site and runs every check; load errors are reported as diagnostics too.
pub fn check(root: &Path, options: &BuildOptions) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    if let Some(site) = loaded(root, options, &mut diagnostics) {
        if let Err(error) = crate::render::theme::Theme::new(&site) {
            diagnostics.push_error(error);
        }
        check_site(&site, &mut diagnostics);
    }
    diagnostics
}

/// Runs the checks on a loaded site, as `loa check` reports them.
pub fn check_site(site: &Site, diagnostics: &mut Diagnostics) {
    diagnostics.extend(site_problems(site, Mode::Check).diagnostics);
}

/// Which documents the checks look at.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// The whole site: every document, the locale files, the SVG files.
    Site,
    /// These documents alone (after an edit in `loa serve`): their own problems, as the whole
    /// site's checks find them, without reading the rest of the site.
    Docs(&'a [usize]),
    /// These documents alone, from their parsed text only (the studio's preview of text not
    /// saved yet): the checks that read files again (control characters, the glossary,
    /// `loa new`'s placeholder) are left out.
    Unsaved(&'a [usize]),
}

impl Scope<'_> {
    /// Whether document `doc` is looked at.
    fn has(self, doc: usize) -> bool {
        match self {
            Scope::Site => true,
            Scope::Docs(docs) | Scope::Unsaved(docs) => docs.contains(&doc),
        }
    }

    /// The documents looked at, in the site's order.
    fn docs(self, site: &Site) -> impl Iterator<Item = &Doc> {
        site.docs.iter().enumerate().filter(move |(i, _)| self.has(*i)).map(|(_, doc)| doc)
    }

    /// Whether the checks may read the documents' files.
    fn reads_files(self) -> bool {
        !matches!(self, Scope::Unsaved(_))
    }
}

/// The one list of checks, run by `loa check`, `loa build` and `loa serve` on a loaded site:
/// every problem with the severity `mode` gives it.
pub fn site_problems(site: &Site, mode: Mode) -> Problems {
    problems_in(site, mode, Scope::Site)
}

/// The checks of [`site_problems`], on the documents of `scope`: for [`Scope::Docs`], the
/// problems found in those documents' files alone.
pub fn problems_in(site: &Site, mode: Mode, scope: Scope) -> Problems {
    let mut problems = Problems::default();
    check_links_and_images(site, mode, scope, &mut problems);
    let mut always = Diagnostics::default();
    if let Scope::Site = scope {
        match crate::render::static_files::scriptable_svgs(site) {
            Ok(errors) => errors.into_iter().for_each(|e| always.push_error(e)),
            Err(error) => always.push_error(error),
        }
    }
    for d in always.sorted() {
        let weight = Weight::Always(d.severity);
        problems.push(mode, weight, &d.path, d.position, (d.message, d.hint));
    }
    let mut advice = Diagnostics::default();
    site.report_removed_content(&mut advice);
    for doc in scope.docs(site) {
        check_headings(doc, &mut advice);
        check_raw_html(doc, &mut advice);
        check_image_alt(doc, &mut advice);
    }
    if let Scope::Site = scope {
        check_locale_keys(site, &mut advice);
    }
    if mode == Mode::Check {
        // A build times the same scripts in its loudspeaker output, which warns about them.
        crate::render::loudspeaker::check_lengths(site, &mut advice);
        crate::render::loudspeaker::check_spoken_parts(site, &mut advice);
    }
    if scope.reads_files() {
        characters::check_control_characters(site, scope, &mut advice);
        glossary::check_translations(site, scope, &mut advice);
    }
    problems.advise(mode, advice);
    if scope.reads_files() {
        unfinished_pages(site, mode, scope, &mut problems);
    }
    match scope {
        Scope::Site => problems,
        Scope::Docs(docs) | Scope::Unsaved(docs) => problems.only_in_docs(site, docs),
    }
}

/// Every link and image of every page in every language it is shown in, and each page's
/// front matter `image:`.
fn check_links_and_images(site: &Site, mode: Mode, scope: Scope, problems: &mut Problems) {
    let targets = Targets::new(site);
    let mut variants: Vec<&Variant> =
        site.all_variants().flatten().flatten().filter(|v| scope.has(v.doc)).collect();
    variants.sort_by_key(|v| !v.translated);
    let mut reported: HashSet<(usize, Position, Message)> = HashSet::new();
    for variant in variants {
        for problem in link_problems(site, &targets, variant) {
            if !reported.insert((variant.doc, problem.position, problem.message.clone())) {
                continue;
            }
            let message = if variant.translated {
                problem.message
            } else {
                let code = &site.config.languages[variant.lang].code;
                msg!("check.in_version", code = code).nested("message", problem.message)
            };
            let path = &site.doc(variant).source.path;
            if let Some(image) = problem.missing_image {
                problems.missing_images.insert((path.clone(), image));
            }
            let found = (message, problem.hint);
            let mode = mode.for_doc(site.doc(variant));
            problems.push(mode, problem.weight, path, Some(problem.position), found);
        }
    }
    for doc in scope.docs(site) {
        check_main_image(site, &targets, doc, mode, problems);
    }
}

/// Pages that are not drafts but still hold the line `loa new` writes for their text.
fn unfinished_pages(site: &Site, mode: Mode, scope: Scope, problems: &mut Problems) {
    let placeholders = [UiLang::Vi, UiLang::En].map(|lang| msg!("scaffold.body").render(lang));
    for doc in scope.docs(site).filter(|doc| !doc.front.draft) {
        let path = &doc.source.path;
        let Ok(text) = std::fs::read_to_string(site.config.root.join(path)) else { continue };
        let lines = text.lines().enumerate().skip(doc.body_line_offset);
        for (index, _) in lines.filter(|(_, line)| placeholders.iter().any(|p| line.trim() == p)) {
            let position = Some(Position::new(index + 1, 1));
            let found = (msg!("check.placeholder"), Some(msg!("check.placeholder.hint")));
            problems.push(mode, Weight::Unfinished, path, position, found);
        }
    }
}

/// Every URL path the build publishes, and the document behind each page.
struct Targets {
    pages: HashMap<String, usize>,
    files: HashSet<String>,
}

impl Targets {
    fn new(site: &Site) -> Targets {
        let mut pages = HashMap::new();
        for variant in site.all_variants().flatten().flatten() {
            pages.insert(site.link(&variant.path), variant.doc);
        }
        let mut files: HashSet<String> = site.assets.iter().map(|a| site.link(&a.path)).collect();
        for lang in 0..site.config.languages.len() {
            let prefix = site.language_prefix(lang);
            for path in [
                format!("{prefix}/atom.xml"),
                format!("{prefix}/404.html"),
                format!("{prefix}/tags/"),
            ] {
                files.insert(site.link(&path));
            }
            files.extend(site.tags[lang].iter().map(|t| site.link(&t.path)));
        }
        for path in ["/sitemap.xml", "/robots.txt"] {
            files.insert(site.link(path));
        }
        if let Ok(statics) = crate::load::theme::layered_files(&site.config, "static") {
            files.extend(statics.iter().map(|f| site.link(&format!("/{}", f.relative))));
        }
        for doc in &site.docs {
            files.extend(
                doc.front.aliases.iter().map(|(a, _)| site.link(&crate::model::normalize_alias(a))),
            );
        }
        Targets { pages, files }
    }

    /// The published page or file closest to a URL path that leads nowhere.
    fn closest(&self, url: &str) -> Option<String> {
        let candidates: Vec<&str> =
            self.pages.keys().chain(self.files.iter()).map(String::as_str).collect();
        crate::base::yaml::closest(url, &candidates).map(str::to_owned)
    }
}

/// A problem of one link or image of a page.
struct LinkProblem {
    position: Position,
    weight: Weight,
    message: Message,
    hint: Option<Message>,
    /// The image as written, when the problem is that it does not exist.
    missing_image: Option<String>,
}

/// Problems of the links and images of a page as shown in one language.
fn link_problems(site: &Site, targets: &Targets, variant: &Variant) -> Vec<LinkProblem> {
    let doc = site.doc(variant);
    let mut problems = Vec::new();
    for link in &doc.rendered.links {
        let problem = match resolve(site, doc, variant.lang, &link.destination) {
            Target::Url(url) => check_url(site, targets, doc, &url),
            Target::Broken(reason) => {
                let hint = source_hint(site, doc, &link.destination);
                Some((Weight::Broken, reason, Some(hint)))
            }
            Target::Phone(number) => check_phone(site, &number),
            Target::External => check_external(&link.destination),
        };
        if let Some((weight, message, hint)) = problem {
            let position = link.position;
            problems.push(LinkProblem { position, weight, message, hint, missing_image: None });
        }
    }
    for image in &doc.rendered.images {
        if image_exists(site, targets, doc, variant.lang, &image.destination) {
            continue;
        }
        problems.push(LinkProblem {
            position: image.position,
            weight: Weight::Broken,
            message: msg!("check.image_missing", image = &image.destination),
            hint: Some(image_hint(site, targets, doc, &image.destination)),
            missing_image: Some(image.destination.clone()),
        });
    }
    problems
}

/// Whether an image a page shows is published (or is outside the site).
fn image_exists(site: &Site, targets: &Targets, doc: &Doc, lang: usize, image: &str) -> bool {
    match resolve(site, doc, lang, image) {
        Target::Url(url) => {
            let path = url.split(['#', '?']).next().unwrap_or_default();
            let unprefixed = path.strip_prefix(site.base_path.as_str()).unwrap_or(path);
            targets.files.contains(path) || site.images.contains(unprefixed)
        }
        Target::Broken(_) => false,
        Target::Phone(_) | Target::External => true,
    }
}

/// "Did you mean" the closest file beside the page (or published file), else where images go.
fn image_hint(site: &Site, targets: &Targets, doc: &Doc, image: &str) -> Message {
    let beside = site.link_index.files_beside(&doc.source.dir);
    let closest = if image.starts_with('/') {
        targets.closest(image)
    } else {
        crate::base::yaml::closest(image, &beside).map(str::to_owned)
    };
    match closest {
        Some(best) => msg!("yaml.did_you_mean", best = best),
        None => msg!("check.image_missing.hint"),
    }
}

/// "Did you mean" the source closest to a link to a source that does not exist.
fn source_hint(site: &Site, doc: &Doc, destination: &str) -> Message {
    let wanted = destination.split('#').next().unwrap_or_default();
    let wanted = match wanted.strip_prefix("@/") {
        Some(path) => path.to_owned(),
        None => crate::base::paths::join_inside(&doc.source.dir, wanted),
    };
    let sources = site.link_index.sources();
    match crate::base::yaml::closest(&wanted, &sources) {
        Some(best) if best == wanted => msg!("check.link_to_draft.hint"),
        Some(best) => msg!("yaml.did_you_mean", best = format!("@/{best}")),
        None => msg!("check.link_nowhere.hint"),
    }
}

/// Where a link leads, for checking.
enum Target {
    Url(String),
    Broken(Message),
    Phone(String),
    External,
}

fn resolve(site: &Site, doc: &Doc, lang: usize, destination: &str) -> Target {
    if let Some(number) = destination.strip_prefix("tel:") {
        return Target::Phone(number.to_owned());
    }
    match site.link_index.resolve(destination, &doc.source.dir, lang, &site.base_path) {
        Resolved::Rewrite(url) => Target::Url(url),
        Resolved::Broken(reason) => Target::Broken(reason),
        Resolved::Keep if destination.starts_with('#') || destination.starts_with('/') => {
            Target::Url(destination.to_owned())
        }
        Resolved::Keep if has_scheme(destination) => Target::External,
        Resolved::Keep => {
            Target::Broken(msg!("check.not_a_page_or_file", destination = destination))
        }
    }
}

type Problem = Option<(Weight, Message, Option<Message>)>;

fn check_url(site: &Site, targets: &Targets, doc: &Doc, url: &str) -> Problem {
    let (path, anchor) = url.split_once('#').map_or((url, None), |(p, a)| (p, Some(a)));
    let target_doc = if path.is_empty() {
        Some(doc)
    } else if let Some(index) =
        targets.pages.get(path).or_else(|| targets.pages.get(&format!("{path}/")))
    {
        Some(&site.docs[*index])
    } else if targets.files.contains(path) {
        None
    } else {
        let hint = match targets.closest(path) {
            Some(best) => msg!("yaml.did_you_mean", best = best),
            None => msg!("check.link_nowhere.hint"),
        };
        return Some((Weight::Broken, msg!("check.link_nowhere", url = url), Some(hint)));
    };
    match (anchor, target_doc) {
        (_, Some(target)) if target.front.draft && !doc.front.draft => Some((
            Weight::Broken,
            msg!("link.not_published", path = content_relative(&target.source.path)),
            Some(msg!("check.link_to_draft.hint")),
        )),
        (Some(anchor), Some(target)) if !anchor.is_empty() && !has_anchor(site, target, anchor) => {
            Some((
                Weight::Broken,
                msg!("check.no_anchor", anchor = anchor, page = target.source.path.display()),
                Some(anchor_hint(target, anchor)),
            ))
        }
        _ => None,
    }
}

/// A source's path under `content/`, as links name it.
fn content_relative(path: &Path) -> String {
    let content = Path::new(crate::load::content::CONTENT_DIR);
    crate::base::text::relative_slash_path(content, path)
}

/// Whether the page of `doc` has an element with the id `anchor`: a heading, or an element of
/// its raw HTML or of its shortcodes' HTML, as the web page writes them.
fn has_anchor(site: &Site, doc: &Doc, anchor: &str) -> bool {
    if doc.rendered.headings.iter().any(|h| h.id == anchor) {
        return true;
    }
    let lang = doc.source.lang;
    let hotlines = crate::model::hotlines::hotline_views(&site.config, &site.locales, lang);
    let body = crate::render::body::doc_body(site, doc, None, lang, &hotlines);
    body.is_ok_and(|html| html.contains(&format!("id=\"{anchor}\"")))
}

fn anchor_hint(doc: &Doc, anchor: &str) -> Message {
    let ids: Vec<&str> = doc.rendered.headings.iter().map(|h| h.id.as_str()).collect();
    if let Some(best) = crate::base::yaml::closest(anchor, &ids) {
        msg!("yaml.did_you_mean", best = format!("#{best}"))
    } else if ids.is_empty() {
        msg!("check.no_anchor.none")
    } else {
        msg!("check.no_anchor.hint", anchors = ids.join(", "))
    }
}

fn check_phone(site: &Site, number: &str) -> Problem {
    let digits: String = number.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
    if site.config.hotlines.iter().any(|h| h.number == digits) {
        return None;
    }
    let known: Vec<&str> = site.config.hotlines.iter().map(|h| h.display.as_str()).collect();
    Some((
        Weight::Advice(Severity::Warning),
        msg!("check.unknown_phone", number = number),
        Some(msg!("check.unknown_phone.hint", hotlines = known.join(", "))),
    ))
}

fn check_external(destination: &str) -> Problem {
    let malformed = if let Some(rest) =
        destination.strip_prefix("https://").or_else(|| destination.strip_prefix("http://"))
    {
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        host.is_empty()
            || host.contains(' ')
            || !host.contains('.') && !host.starts_with("localhost")
    } else if let Some(address) = destination.strip_prefix("mailto:") {
        !address.contains('@')
    } else {
        false
    };
    malformed.then(|| {
        (
            Weight::Broken,
            msg!("check.bad_address", destination = destination),
            Some(msg!("check.bad_address.hint")),
        )
    })
}

fn check_headings(doc: &Doc, diagnostics: &mut Diagnostics) {
    let mut previous = 1;
    for heading in &doc.rendered.headings {
        if heading.level == 1 {
            diagnostics.push(
                Severity::Warning,
                &doc.source.path,
                Some(heading.position),
                msg!("check.second_title", heading = &heading.title),
                Some(msg!("check.second_title.hint")),
            );
        } else if heading.level > previous + 1 {
            diagnostics.push(
                Severity::Warning,
                &doc.source.path,
                Some(heading.position),
                msg!(
                    "check.skipped_level",
                    heading = &heading.title,
                    from = previous,
                    to = heading.level
                ),
                Some(msg!(
                    "check.skipped_level.hint",
                    marks = "#".repeat(usize::from(previous) + 1)
                )),
            );
        }
        previous = heading.level;
    }
}

fn check_raw_html(doc: &Doc, diagnostics: &mut Diagnostics) {
    for (html, position) in &doc.rendered.raw_html {
        let lower = html.to_lowercase();
        for tag in ["<script", "<iframe"] {
            if lower.contains(tag) {
                diagnostics.push(
                    Severity::Warning,
                    &doc.source.path,
                    Some(*position),
                    msg!("check.raw_html", tag = format!("{tag}>")),
                    Some(msg!("check.raw_html.hint")),
                );
            }
        }
    }
}

/// The front matter's `image:` must name a file the build publishes (or an outside address).
fn check_main_image(
    site: &Site,
    targets: &Targets,
    doc: &Doc,
    mode: Mode,
    problems: &mut Problems,
) {
    let Some(image) = doc.front.image.as_deref() else { return };
    if image_exists(site, targets, doc, doc.source.lang, image) {
        return;
    }
    let path = &doc.source.path;
    problems.missing_images.insert((path.clone(), image.to_owned()));
    let found =
        (msg!("check.image_missing", image = image), Some(image_hint(site, targets, doc, image)));
    problems.push(mode.for_doc(doc), Weight::Broken, path, doc.front.image_at, found);
}

fn check_image_alt(doc: &Doc, diagnostics: &mut Diagnostics) {
    for image in &doc.rendered.images {
        if let Some((severity, message)) = alt_problem(image) {
            let hint = msg!("check.alt.hint");
            diagnostics.push(severity, &doc.source.path, Some(image.position), message, Some(hint));
        }
    }
}

fn alt_problem(image: &Reference) -> Option<(Severity, Message)> {
    let alt = image.text.trim();
    if alt.is_empty() {
        return Some((Severity::Error, msg!("check.no_alt", image = &image.destination)));
    }
    let file_name = image.destination.rsplit('/').next().unwrap_or_default();
    let looks_like_file = !alt.contains(' ')
        && [".jpg", ".jpeg", ".png", ".webp", ".gif", ".svg"]
            .iter()
            .any(|ext| alt.to_lowercase().ends_with(ext));
    (looks_like_file
        || alt == file_name
        || Some(alt) == file_name.rsplit_once('.').map(|(stem, _)| stem))
    .then(|| (Severity::Warning, msg!("check.alt_is_file_name", image = &image.destination)))
}

/// Keys used with `t(key="…")` in templates that no language (or fallback) defines.
fn check_locale_keys(site: &Site, diagnostics: &mut Diagnostics) {
    let templates =
        crate::load::theme::layered_files(&site.config, "templates").unwrap_or_default();
    for file in templates {
        let Ok(text) = file.text() else { continue };
        for (key, position) in translation_keys(&text) {
            let missing: Vec<&str> = (0..site.config.languages.len())
                .filter(|l| site.locales.get(*l, &key).is_none())
                .map(|l| site.config.languages[l].code.as_str())
                .collect();
            if !missing.is_empty() {
                diagnostics.push(
                    Severity::Error,
                    &file.shown,
                    Some(position),
                    msg!("check.missing_key", key = &key, codes = missing.join(", ")),
                    Some(msg!("check.missing_key.hint", key = &key, code = missing[0])),
                );
            }
        }
    }
    for hotline in &site.config.hotlines {
        let key = format!("hotline.{}", hotline.id);
        if site.locales.get(0, &key).is_none() {
            let code = &site.config.languages[0].code;
            diagnostics.push(
                Severity::Warning,
                format!("locales/{code}.yaml"),
                None,
                msg!("check.hotline_label", id = &hotline.id, key = &key),
                Some(msg!("check.hotline_label.hint")),
            );
        }
    }
}

/// Literal keys in `t(key="…")` calls with their positions; keys built with `~` are left out.
fn translation_keys(template: &str) -> Vec<(String, Position)> {
    let mut keys = Vec::new();
    let mut rest = 0;
    while let Some(found) = template[rest..].find("t(key=") {
        let start = rest + found;
        let boundary =
            template[..start].chars().next_back().is_none_or(|c| !c.is_alphanumeric() && c != '_');
        let after = &template[start + 6..];
        if boundary
            && let Some(quote) = after.chars().next().filter(|c| *c == '"' || *c == '\'')
            && let Some(end) = after[1..].find(quote)
            && !after[2 + end..].trim_start().starts_with('~')
        {
            keys.push((after[1..1 + end].to_owned(), Position::of_offset(template, start)));
        }
        rest = start + 6;
    }
    keys
}

/// The diagnostics as text for people, grouped by file, with a closing count.
pub fn format_text(diagnostics: &Diagnostics, lang: UiLang) -> String {
    let mut out = String::new();
    let mut current: Option<PathBuf> = None;
    for d in diagnostics.sorted() {
        if current.as_ref() != Some(&d.path) {
            out.push_str(&format!("{}\n", d.path.display()));
            current = Some(d.path.clone());
        }
        let place = d.position.map_or_else(String::new, |p| format!("{}:{} ", p.line, p.column));
        out.push_str(&format!(
            "  {place}{}: {}\n",
            d.severity.label().render(lang),
            d.message.render(lang)
        ));
        if let Some(hint) = &d.hint {
            out.push_str(&format!(
                "    {}: {}\n",
                msg!("label.hint").render(lang),
                hint.render(lang)
            ));
        }
    }
    let (errors, warnings) = diagnostics.counts();
    out.push_str(&msg!("check.summary", errors = errors, warnings = warnings).render(lang));
    out.push('\n');
    out
}

/// The diagnostics as JSON for tools: `{"diagnostics": [{file, line, column, severity, message, hint}], …}`.
pub fn format_json(diagnostics: &Diagnostics, lang: UiLang) -> String {
    let items: Vec<serde_json::Value> = diagnostics
        .sorted()
        .into_iter()
        .map(|d| {
            serde_json::json!({
                "file": d.path.to_string_lossy().replace('\\', "/"),
                "line": d.position.map(|p| p.line),
                "column": d.position.map(|p| p.column),
                "severity": d.severity,
                "code": d.message.key(),
                "message": d.message.render(lang),
                "hint": d.hint.as_ref().map(|h| h.render(lang)),
            })
        })
        .collect();
    let (errors, warnings) = diagnostics.counts();
    let report =
        serde_json::json!({ "diagnostics": items, "errors": errors, "warnings": warnings });
    serde_json::to_string_pretty(&report).unwrap_or_default()
}

/// `loa check --print`: lays out every PDF of the site (in parallel, remembering identical
/// layouts) and reports what would stop the build at the page's file and line: characters no
/// bundled font has, text that does not fit its layout at the smallest size allowed, images
/// Typst cannot read, a PDF standard the page cannot meet; and on the laid-out sheets, text or
/// the QR code within 5 mm of a trimmed edge, fold or cut, something on the QR code's quiet
/// zone, photos below 300 pixels per inch at their printed size (below 150, an error).
pub fn check_print(root: &Path, options: &BuildOptions) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    let Some(site) = loaded(root, options, &mut diagnostics) else { return diagnostics };
    let laid_out =
        crate::render::typesetting::typesetter(&site, Default::default()).and_then(|typesetter| {
            crate::render::print::Print::new(Arc::new(typesetter)).inspect_all(&site)
        });
    match laid_out {
        Ok(found) => diagnostics.extend(found),
        Err(error) => diagnostics.push_error(error),
    }
    diagnostics
}

/// `loa check --budget`: each page's first load against the limits of `site.yaml` (`budget:`):
/// an article's HTML, stylesheets and scripts gzipped (photos not counted), and any page's with
/// the photos of its first screen (the first image of `<main>`, the size its `src` names, and
/// any image not `loading=lazy`). Names the page and what weighs most.
pub fn check_budget(root: &Path, options: &BuildOptions) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    let Some(site) = loaded(root, options, &mut diagnostics) else { return diagnostics };
    match first_loads(&site) {
        Ok(loads) => {
            for load in loads {
                report_over_budget(&site, &load, &mut diagnostics);
            }
        }
        Err(error) => diagnostics.push_error(error),
    }
    diagnostics
}

/// What a page downloads on its first visit.
struct FirstLoad {
    /// URL path of the page.
    page: String,
    /// Whether it is an article (a page made with `<article>`).
    article: bool,
    /// Each part with its weight in bytes as sent (text gzipped, images as they are).
    parts: Vec<(String, u64, bool)>,
}

/// The first load of every HTML page the web outputs make.
fn first_loads(site: &Site) -> crate::Result<Vec<FirstLoad>> {
    use crate::render::{Body, Output};
    let theme = std::sync::Arc::new(crate::render::theme::Theme::new(site)?);
    let web = crate::render::web::Web::new(theme);
    let outputs: Vec<Box<dyn Output>> = vec![
        Box::new(crate::render::static_files::StaticFiles),
        Box::new(crate::render::images::Images),
        Box::new(crate::render::fingerprint::Fingerprinted),
        Box::new(web),
    ];
    let artifacts = crate::render::render_all(site, &outputs)?;
    let files: HashMap<String, Vec<u8>> = artifacts
        .into_iter()
        .map(|a| {
            let bytes = match a.body {
                Body::Bytes(bytes) => bytes,
                Body::Copy(path) => std::fs::read(path).unwrap_or_default(),
            };
            (a.path, bytes)
        })
        .collect();
    let mut loads: Vec<FirstLoad> = files
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, html)| first_load(site, &files, path, &String::from_utf8_lossy(html)))
        .collect();
    loads.sort_by(|a, b| a.page.cmp(&b.page));
    Ok(loads)
}

/// The parts of one page's first load: its HTML, the scripts and stylesheets it links, and the
/// images it shows without waiting (photos).
fn first_load(site: &Site, files: &HashMap<String, Vec<u8>>, path: &str, html: &str) -> FirstLoad {
    let folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
    let page = format!("/{}", path.strip_suffix("index.html").unwrap_or(path));
    let mut parts = vec![(page.clone(), gzipped_len(html.as_bytes()), false)];
    let mut in_main = false;
    let mut lead_photo_seen = false;
    for tag in html.split('<').skip(1) {
        in_main |= tag.starts_with("main");
        let lead = in_main && !lead_photo_seen && tag.starts_with("img");
        let (name, attribute, photo) = if tag.starts_with("script") {
            ("script", "src", false)
        } else if tag.starts_with("link") && tag.contains("stylesheet") {
            ("link", "href", false)
        } else if tag.starts_with("img") && (lead || !tag.contains("loading=lazy")) {
            lead_photo_seen |= lead;
            ("img", "src", true)
        } else {
            continue;
        };
        let Some(url) = attribute_value(&tag[name.len()..], attribute) else { continue };
        let Some(file) = local_file(site, folder, &url) else { continue };
        if let Some(bytes) = files.get(&file) {
            let weight = if photo { bytes.len() as u64 } else { gzipped_len(bytes) };
            parts.push((url, weight, photo));
        }
    }
    FirstLoad { page, article: html.contains("<article"), parts }
}

/// The value of `name=` in a tag's attributes (up to its `>`), quoted or not.
fn attribute_value(attributes: &str, name: &str) -> Option<String> {
    let end = attributes.find('>').unwrap_or(attributes.len());
    let found = crate::base::html::attributes(&attributes[..end]);
    found.into_iter().find(|(n, _)| n == name).map(|(_, value)| value)
}

/// The output file a same-site URL names, relative to the page's folder or the site's root.
fn local_file(site: &Site, folder: &str, url: &str) -> Option<String> {
    if has_scheme(url) || url.starts_with("//") || url.starts_with("data:") {
        return None;
    }
    let url = url.split(['?', '#']).next()?;
    let path = match url.strip_prefix('/') {
        Some(rooted) => rooted
            .strip_prefix(site.base_path.trim_start_matches('/'))?
            .trim_start_matches('/')
            .to_owned(),
        None if folder.is_empty() => url.to_owned(),
        None => format!("{folder}/{url}"),
    };
    Some(path)
}

/// Bytes after gzip, as a server sends text.
fn gzipped_len(bytes: &[u8]) -> u64 {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    let _ = encoder.write_all(bytes);
    encoder.finish().map_or(bytes.len() as u64, |out| out.len() as u64)
}

/// An error for a page whose first load is over its limit, naming its heaviest part.
fn report_over_budget(site: &Site, load: &FirstLoad, diagnostics: &mut Diagnostics) {
    let (article_limit, page_limit) = site.config.budget;
    let without_photos: u64 = load.parts.iter().filter(|p| !p.2).map(|p| p.1).sum();
    let with_photos: u64 = load.parts.iter().map(|p| p.1).sum();
    let over = if load.article && without_photos > article_limit {
        Some((without_photos, article_limit, false))
    } else if with_photos > page_limit {
        Some((with_photos, page_limit, true))
    } else {
        None
    };
    let Some((weight, limit, photos)) = over else { return };
    let heaviest = load.parts.iter().filter(|p| photos || !p.2).max_by_key(|p| p.1);
    let (part, part_weight) = heaviest.map_or(("", 0), |p| (p.0.as_str(), p.1));
    let error = crate::base::error::Error::at(
        PathBuf::from(&load.page),
        None,
        msg!(
            "check.budget",
            page = &load.page,
            weight = kilobytes(weight),
            limit = kilobytes(limit),
            part = part,
            part_weight = kilobytes(part_weight)
        ),
    )
    .with_hint(msg!("check.budget.hint"));
    diagnostics.push_error(error);
}

/// A weight in kilobytes with one decimal, as people read it.
fn kilobytes(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_find_translation_keys_in_templates() {
        let keys = translation_keys(
            "a {{ t(key=\"nav.home\") }}\n{{ t(key='x.y', n=1) }} {{ alt(key=\"no\") }} {{ t(key=\"p.\" ~ x) }}",
        );
        assert_eq!(
            keys,
            vec![("nav.home".into(), Position::new(1, 6)), ("x.y".into(), Position::new(2, 4))]
        );
    }

    #[test]
    fn knows_alt_text_that_is_a_file_name() {
        let image = |alt: &str| Reference {
            destination: "img/to-roi.jpg".into(),
            text: alt.into(),
            position: Position::default(),
        };
        assert!(alt_problem(&image("Cán bộ phát tờ rơi")).is_none());
        assert_eq!(alt_problem(&image("")).unwrap().0, Severity::Error);
        assert_eq!(alt_problem(&image("to-roi.jpg")).unwrap().0, Severity::Warning);
        assert_eq!(alt_problem(&image("to-roi")).unwrap().0, Severity::Warning);
    }
}
