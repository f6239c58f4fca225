//! Loudspeaker scripts: for each translated page, the text a commune broadcaster reads (`.txt`),
//! the same for text-to-speech (`.ssml`), a printable view, and a printable index with durations.
//! The views are theme pages (`loudspeaker.html`, `loudspeaker_index.html`), so they carry the
//! hotline banner and the language like every other page.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::base::error::{Diagnostics, Error, Position, Result, Severity};
use crate::engines::speech::reader::Reader;
use crate::load::blocks::{Block, BlockKind};
use crate::load::config::AudioMode;
use crate::load::content::Kind;
use crate::load::document::{Shortcode, ShortcodeText};
use crate::model::{Site, Variant};
use crate::render::plan::{
    Input, LINK_LOUDSPEAKER_INDEX, Link, Material, Plan, Route, RouteSet, SitePlan,
};
use crate::render::theme::Theme;
use crate::render::{Artifact, Output, Sink, escape_xml};

mod audio;
mod listening;

/// Fills a `speech.` locale template with named values.
type Say<'a> = dyn Fn(&str, &[(&str, &str)]) -> Option<String> + 'a;

/// The URL folder of the scripts.
pub const FOLDER: &str = "loudspeaker";

/// Seconds of pause between two blocks, and after a heading.
const PAUSE_SECONDS: f64 = 1.0;

/// The theme template of a script's printable view.
pub const SCRIPT_TEMPLATE: &str = "loudspeaker.html";

/// The theme template of a language's index of scripts.
pub const INDEX_TEMPLATE: &str = "loudspeaker_index.html";

/// The `loudspeaker.` locale keys the views show.
const LABELS: [&str; 6] = ["index_title", "item", "duration", "files", "total", "pause"];

/// Makes the loudspeaker scripts; remembers each language's index rows so that an edited page
/// renders its own scripts and the index only.
pub struct Loudspeaker {
    theme: Arc<Theme>,
    rows: std::sync::Mutex<Vec<Vec<Row>>>,
    readers: std::sync::Mutex<Vec<Option<Arc<Reader>>>>,
    warnings: std::sync::Mutex<Diagnostics>,
}

/// A line of a language's index: the script of a document, its title and reading time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Row {
    #[serde(skip)]
    doc: usize,
    #[serde(skip)]
    seconds: u64,
    /// The script's file name without extension, relative to the index.
    name: String,
    title: String,
    /// The reading time in the language's words.
    duration: String,
    /// The MP3's file name relative to the index, when audio was made.
    mp3: Option<String>,
    #[serde(skip)]
    section: usize,
    #[serde(skip)]
    date: Option<crate::base::dates::Moment>,
}

/// A block of a script as its view shows it.
#[derive(Debug, Serialize)]
struct BlockView<'a> {
    /// `opening`, `title`, `heading`, `text`, `hotlines` or `closing`.
    part: String,
    text: &'a str,
}

/// A script as its view shows it.
#[derive(Debug, Serialize)]
struct ScriptView<'a> {
    title: &'a str,
    duration: String,
    blocks: Vec<BlockView<'a>>,
    /// The MP3's file name beside the view, when audio was made.
    mp3: Option<String>,
}

/// What a block of a script is, for pauses and layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Opening formula.
    Opening,
    /// Title of the item.
    Title,
    /// A heading said as a transition.
    Heading,
    /// Body text.
    Text,
    /// The hotlines.
    Hotlines,
    /// Closing formula.
    Closing,
}

/// A script ready to read.
#[derive(Debug, Clone)]
pub struct Script {
    /// Title as written.
    pub title: String,
    /// Blocks in reading order, already in their spoken form.
    pub blocks: Vec<(Part, String)>,
    /// Reading time in seconds at the site's rate, pauses included (or the MP3's playing
    /// time, once it is made).
    pub seconds: u64,
    /// The parts of the body (before the first heading, then one per heading), named by
    /// their heading as written, with their reading time in seconds.
    pub parts: Vec<(String, u64)>,
}

impl Output for Loudspeaker {
    fn name(&self) -> &'static str {
        "loudspeaker"
    }

    /// Each script's three files and each language's index; the printable script is a
    /// material of its page.
    fn plan(&self, site: &Site) -> Result<Plan> {
        let mut plan = Plan::default();
        for lang in 0..site.config.languages.len() {
            let variants = scripted(site, lang);
            for variant in &variants {
                let base = script_path(site, variant).unwrap_or_default();
                let inputs = vec![Input::Doc(variant.doc), Input::Template(SCRIPT_TEMPLATE.into())];
                for extension in ["txt", "ssml", "html"] {
                    plan.route_from(Route::url(&format!("{base}.{extension}")), inputs.clone());
                }
                plan.materials.push((variant.path.clone(), script_material(variant, &base)));
                if site.config.loudspeaker.audio != AudioMode::Off {
                    plan.route_from(Route::url(&format!("{base}.mp3")), inputs);
                    plan.materials.push((variant.path.clone(), audio_material(variant, &base)));
                }
            }
            if !variants.is_empty() {
                let mut inputs = vec![Input::Template(INDEX_TEMPLATE.into())];
                inputs.extend(
                    variants.iter().flat_map(|v| [Input::Doc(v.doc), Input::Listing(v.doc)]),
                );
                plan.route_from(Route::url(&index_path(site, lang)), inputs);
            }
            if let Some(path) = linked_index_path(site, lang) {
                let key = site.config.languages[lang].code.clone();
                plan.links.push(Link { name: LINK_LOUDSPEAKER_INDEX, key, path });
            }
        }
        Ok(plan)
    }

    fn render(&self, site: &Site, _plan: &SitePlan) -> Result<Vec<Artifact>> {
        self.render_languages(site, None)
    }

    /// Each script's files go to `sink` as soon as they are made.
    fn render_into(&self, site: &Site, _plan: &SitePlan, sink: &Sink) -> Result<()> {
        sink(self.render_languages(site, Some(sink))?)
    }

    fn diagnostics(&self) -> Diagnostics {
        self.warnings.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The scripts and indexes on `routes`, with the rows the last full render kept; `None`
    /// before a full render.
    fn render_routes(
        &self,
        site: &Site,
        _plan: &SitePlan,
        routes: &[Route],
    ) -> Option<Result<Vec<Artifact>>> {
        let mut rows = self.rows.lock().unwrap_or_else(|e| e.into_inner());
        if rows.len() != site.config.languages.len() {
            return None;
        }
        Some(self.routes_again(site, &RouteSet::new(routes), &mut rows))
    }
}

impl Loudspeaker {
    /// Every language's scripts and index; with a `sink`, the scripts' files go there as they
    /// are made and only the indexes come back.
    fn render_languages(&self, site: &Site, sink: Option<&Sink>) -> Result<Vec<Artifact>> {
        let per_language: Vec<Result<Language>> = (0..site.config.languages.len())
            .into_par_iter()
            .map(|lang| self.language_artifacts(site, lang, sink))
            .collect();
        let mut artifacts = Vec::new();
        let mut rows = Vec::new();
        let mut warnings = Diagnostics::default();
        for language in Error::collect(per_language)? {
            artifacts.extend(language.artifacts);
            rows.push(language.rows);
            warnings.extend(language.warnings);
        }
        *self.rows.lock().unwrap_or_else(|e| e.into_inner()) = rows;
        *self.warnings.lock().unwrap_or_else(|e| e.into_inner()) = warnings;
        Ok(artifacts)
    }

    /// The loudspeaker output, whose views are rendered with the theme's templates.
    pub fn new(theme: Arc<Theme>) -> Loudspeaker {
        Loudspeaker {
            theme,
            rows: Default::default(),
            readers: Default::default(),
            warnings: Default::default(),
        }
    }

    /// The scripts on `wanted` made again, their rows put in `rows`, and each language's
    /// index whose route is wanted.
    fn routes_again(
        &self,
        site: &Site,
        wanted: &RouteSet,
        rows: &mut [Vec<Row>],
    ) -> Result<Vec<Artifact>> {
        let mut artifacts = Vec::new();
        for (lang, rows) in rows.iter_mut().enumerate() {
            let variants = scripted(site, lang);
            let is_wanted = |v: &&Variant| {
                let base = script_path(site, v).unwrap_or_default();
                wanted.covers(&super::file_for_url(&format!("{base}.txt")))
            };
            let changed: Vec<&Variant> = variants.iter().copied().filter(is_wanted).collect();
            let reader = self.reader(site, lang);
            let mut made_rows: HashMap<usize, Row> = HashMap::new();
            for variant in changed {
                let made =
                    self.script_artifacts(site, &reader, variant, &mut Diagnostics::default())?;
                artifacts.extend(made.files);
                made_rows.insert(made.row.doc, made.row);
            }
            let mut kept: HashMap<usize, Row> = rows.drain(..).map(|r| (r.doc, r)).collect();
            kept.extend(made_rows);
            rows.extend(variants.iter().filter_map(|v| kept.remove(&v.doc)));
            if wanted.covers(&super::file_for_url(&index_path(site, lang))) {
                artifacts.extend(self.index_artifact(site, lang, rows)?);
            }
        }
        Ok(artifacts)
    }
}

/// Whether a variant gets a script: real translations of pages (unless `loudspeaker: false`)
/// and of sections that ask for one (`loudspeaker: true`).
fn has_script(site: &Site, variant: &Variant) -> bool {
    let doc = site.doc(variant);
    let wanted = match doc.source.kind {
        Kind::Page => doc.front.loudspeaker != Some(false),
        Kind::Section => doc.front.loudspeaker == Some(true),
    };
    variant.translated && wanted
}

/// The variants of language `lang` that get a script, pages first.
fn scripted(site: &Site, lang: usize) -> Vec<&Variant> {
    site.all_variants().filter_map(|v| v[lang].as_ref()).filter(|v| has_script(site, v)).collect()
}

/// The URL path of a variant's script, if it has one.
pub fn script_path(site: &Site, variant: &Variant) -> Option<String> {
    has_script(site, variant).then(|| {
        format!(
            "/{FOLDER}/{}/{}",
            site.config.languages[variant.lang].code,
            script_name(site, variant)
        )
    })
}

/// The printable script of a variant (at `base`.html) as a material of its page.
fn script_material(variant: &Variant, base: &str) -> Material {
    Material {
        kind: "script",
        label: "campaign.script".into(),
        path: format!("{base}.html"),
        size: None,
        measured: false,
        lang: variant.lang,
        media_type: None,
        download: false,
    }
}

/// The MP3 of a variant's script (at `base`.mp3) as a material of its page, when
/// `loudspeaker.audio` is on.
fn audio_material(variant: &Variant, base: &str) -> Material {
    Material {
        kind: "audio",
        label: "campaign.audio".into(),
        path: format!("{base}.mp3"),
        size: None,
        measured: false,
        lang: variant.lang,
        media_type: Some("audio/mpeg"),
        download: false,
    }
}

fn script_name(site: &Site, variant: &Variant) -> String {
    let prefix = site.language_prefix(variant.lang);
    let path = variant.path.strip_prefix(&prefix).unwrap_or(&variant.path).trim_matches('/');
    if path.is_empty() { "index".into() } else { path.to_owned() }
}

impl Loudspeaker {
    /// The reader of a language, made once (a Vietnamese reader compiles its lexicon).
    fn reader(&self, site: &Site, lang: usize) -> Arc<Reader> {
        let mut readers = self.readers.lock().unwrap_or_else(|e| e.into_inner());
        readers.resize(site.config.languages.len(), None);
        readers[lang].get_or_insert_with(|| Arc::new(reader(site, lang))).clone()
    }

    /// The scripts and index of a language, with the index's rows.
    fn language_artifacts(
        &self,
        site: &Site,
        lang: usize,
        sink: Option<&Sink>,
    ) -> Result<Language> {
        let variants = scripted(site, lang);
        if variants.is_empty() {
            return Ok(Language::default());
        }
        let reader = reader(site, lang);
        let made: Vec<Result<(Vec<Artifact>, Row, Diagnostics)>> = variants
            .par_iter()
            .map(|variant| {
                let mut warnings = Diagnostics::default();
                let made = self.script_artifacts(site, &reader, variant, &mut warnings)?;
                warn_if_long(site, variant, &made.script, made.row.seconds, &mut warnings);
                let files = match sink {
                    Some(sink) => sink(made.files).map(|()| Vec::new())?,
                    None => made.files,
                };
                Ok((files, made.row, warnings))
            })
            .collect();
        let mut language = Language::default();
        for (files, row, warnings) in Error::collect(made)? {
            language.warnings.extend(warnings);
            language.artifacts.extend(files);
            language.rows.push(row);
        }
        language.artifacts.extend(self.index_artifact(site, lang, &language.rows)?);
        Ok(language)
    }

    /// The files of a variant's script (text, SSML and, with its template, the printable
    /// view) and its index row.
    fn script_artifacts(
        &self,
        site: &Site,
        reader: &Reader,
        variant: &Variant,
        warnings: &mut Diagnostics,
    ) -> Result<Made> {
        let lang = variant.lang;
        let code = &site.config.languages[lang].code;
        let mut script = build_script(site, reader, variant);
        let name = script_name(site, variant);
        let base = format!("/{FOLDER}/{code}/{name}");
        let text = plain_text(&script);
        let ssml = ssml(&script, code);
        let audio = spoken(site, variant, &script.title, &text, &ssml, warnings)?;
        let mut files = Vec::new();
        if let Some(audio) = &audio {
            script.seconds = audio.seconds;
            files.push(Artifact {
                path: super::file_for_url(&format!("{base}.mp3")),
                body: crate::render::Body::Copy(audio.file.clone()),
            });
        }
        files.push(Artifact::at_url(&format!("{base}.txt"), text.into_bytes()));
        files.push(Artifact::at_url(&format!("{base}.ssml"), ssml.into_bytes()));
        let file_name = name.rsplit('/').next().unwrap_or(&name);
        let mp3 = audio.as_ref().map(|_| format!("{file_name}.mp3"));
        let mut view = script_view(site, lang, &script);
        view.mp3 = mp3;
        let mut extra = view_context(site, lang);
        extra.insert("script", &view);
        let view = self.theme.render_extra(
            site,
            lang,
            SCRIPT_TEMPLATE,
            &format!("{base}.html"),
            &extra,
        )?;
        files.extend(view);
        let row = Row {
            doc: variant.doc,
            seconds: script.seconds,
            mp3: audio.as_ref().map(|_| format!("{name}.mp3")),
            name,
            title: script.title.clone(),
            duration: duration(site, lang, script.seconds),
            section: section_of(site, variant),
            date: site.doc(variant).front.date,
        };
        Ok(Made { files, row, script })
    }

    /// A language's index of scripts, with its template.
    fn index_artifact(&self, site: &Site, lang: usize, rows: &[Row]) -> Result<Option<Artifact>> {
        let total: u64 = rows.iter().map(|r| r.seconds).sum();
        let mut extra = view_context(site, lang);
        extra.insert("scripts", &rows);
        let sections: Vec<SectionView> = grouped(site, lang, rows)
            .into_iter()
            .map(|(section, scripts)| SectionView {
                title: section_title(site, section, lang),
                scripts,
            })
            .collect();
        extra.insert("sections", &sections);
        extra.insert("total", &duration(site, lang, total));
        self.theme.render_extra(site, lang, INDEX_TEMPLATE, &index_path(site, lang), &extra)
    }
}

/// The URL path of a language's index of scripts.
fn index_path(site: &Site, lang: usize) -> String {
    format!("/{FOLDER}/{}/index.html", site.config.languages[lang].code)
}

/// What both views get: the labels in the language and the index's address.
fn view_context(site: &Site, lang: usize) -> tera::Context {
    let labels: BTreeMap<&str, String> =
        LABELS.iter().map(|key| (*key, label(site, lang, key))).collect();
    let mut context = tera::Context::new();
    context.insert("labels", &labels);
    context.insert("index_url", &site.link(&index_path(site, lang)));
    context
}

/// A script as its printable view shows it.
fn script_view<'a>(site: &Site, lang: usize, script: &'a Script) -> ScriptView<'a> {
    let blocks = script
        .blocks
        .iter()
        .map(|(part, text)| BlockView { part: format!("{part:?}").to_lowercase(), text })
        .collect();
    ScriptView {
        title: &script.title,
        duration: duration(site, lang, script.seconds),
        blocks,
        mp3: None,
    }
}

/// The URL path of the loudspeaker index a language's pages link to: its own, else that of the
/// first language it falls back to that has scripts; `None` when no language has any.
fn linked_index_path(site: &Site, lang: usize) -> Option<String> {
    let languages = &site.config.languages;
    std::iter::once(lang)
        .chain(languages[lang].fallbacks.iter().copied())
        .find(|l| !scripted(site, *l).is_empty())
        .map(|l| format!("/{FOLDER}/{}/", languages[l].code))
}

/// The section a variant's script is listed under: the page's section, or the section itself.
fn section_of(site: &Site, variant: &Variant) -> usize {
    let is_this = |v: &Option<Variant>| v.as_ref().is_some_and(|v| v.doc == variant.doc);
    site.pages
        .iter()
        .find(|p| is_this(&p.variants[variant.lang]))
        .map(|p| p.section)
        .or_else(|| site.sections.iter().position(|s| is_this(&s.variants[variant.lang])))
        .unwrap_or(0)
}

/// Whether the section holds a campaign under way at build time.
fn campaign_under_way(site: &Site, section: usize, lang: usize) -> bool {
    let Some(variant) = site.sections.get(section).and_then(|s| s.variants[lang].as_ref()) else {
        return false;
    };
    let Some(campaign) = site.doc(variant).front.campaign.as_ref() else { return false };
    let Some(start) = campaign.start.or(campaign.day) else { return false };
    let end = campaign.end.or(campaign.day).unwrap_or(start) + chrono::Duration::days(1);
    start <= site.now && site.now < end
}

/// The index's rows grouped by section: sections holding a campaign under way first, then
/// the others in the site's order; in each, the newest script first (undated ones last).
fn grouped<'r>(site: &Site, lang: usize, rows: &'r [Row]) -> Vec<(usize, Vec<&'r Row>)> {
    let mut sections: Vec<usize> = rows.iter().map(|r| r.section).collect();
    sections.sort_unstable();
    sections.dedup();
    sections.sort_by_key(|s| !campaign_under_way(site, *s, lang));
    sections
        .into_iter()
        .map(|section| {
            let mut listed: Vec<&Row> = rows.iter().filter(|r| r.section == section).collect();
            listed.sort_by(|a, b| {
                b.date.cmp(&a.date).then_with(|| a.title.cmp(&b.title)).then(a.doc.cmp(&b.doc))
            });
            (section, listed)
        })
        .collect()
}

/// A section's title in the language, for the index.
fn section_title(site: &Site, section: usize, lang: usize) -> String {
    match site.sections.get(section).and_then(|s| s.variants[lang].as_ref()) {
        Some(variant) => site.doc(variant).front.title.clone(),
        None => site.sections.get(section).map(|s| s.key.clone()).unwrap_or_default(),
    }
}

/// What one language's scripts give: their files and index, the index's rows, and the
/// warnings about them.
#[derive(Default)]
struct Language {
    artifacts: Vec<Artifact>,
    rows: Vec<Row>,
    warnings: Diagnostics,
}

/// `loa check`: a warning for every script longer than `loudspeaker.max_minutes`, timed at the
/// site's reading rate.
pub fn check_lengths(site: &Site, diagnostics: &mut Diagnostics) {
    for lang in 0..site.config.languages.len() {
        let variants = scripted(site, lang);
        if variants.is_empty() {
            continue;
        }
        let reader = reader(site, lang);
        for variant in variants {
            let script = build_script(site, &reader, variant);
            warn_if_long(site, variant, &script, script.seconds, diagnostics);
        }
    }
}

/// `loa check`: a note for each page with parts for the loudspeaker only (`speak`) or for the
/// web only (`web`), giving their lines, so an author sees where the two versions differ.
pub fn check_spoken_parts(site: &Site, diagnostics: &mut Diagnostics) {
    let lines = |found: &[usize]| found.iter().map(usize::to_string).collect::<Vec<_>>().join(", ");
    for doc in &site.docs {
        let (speak, web) = listening::marked_lines(&doc.rendered.tree);
        let at = |found: &[usize]| found.first().map(|line| Position::new(*line, 1));
        let path = &doc.source.path;
        if !speak.is_empty() {
            let message = msg!("loudspeaker.speak_only", lines = lines(&speak));
            diagnostics.push(Severity::Note, path, at(&speak), message, None);
        }
        if !web.is_empty() {
            let message = msg!("loudspeaker.web_only", lines = lines(&web));
            diagnostics.push(Severity::Note, path, at(&web), message, None);
        }
    }
}

/// Warns when a script lasting `seconds` is longer than `loudspeaker.max_minutes`, naming its
/// three longest parts.
fn warn_if_long(
    site: &Site,
    variant: &Variant,
    script: &Script,
    seconds: u64,
    diagnostics: &mut Diagnostics,
) {
    let max = site.config.loudspeaker.max_seconds;
    if seconds <= max {
        return;
    }
    let mut parts: Vec<&(String, u64)> = script.parts.iter().collect();
    parts.sort_by_key(|(_, seconds)| std::cmp::Reverse(*seconds));
    let longest: Vec<String> = parts
        .iter()
        .take(3)
        .map(|(name, seconds)| format!("“{name}” {}", clock(*seconds)))
        .collect();
    let code = &site.config.languages[variant.lang].code;
    diagnostics.push(
        Severity::Warning,
        &site.doc(variant).source.path,
        Some(Position::new(1, 1)),
        msg!(
            "loudspeaker.too_long",
            code = code,
            length = clock(seconds),
            max = clock(max),
            parts = longest.join(", ")
        ),
        Some(msg!("loudspeaker.too_long.hint")),
    );
}

/// A duration as minutes and seconds, e.g. `4:05`.
fn clock(seconds: u64) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// The MP3 of a script when `loudspeaker.audio` asks for one; an engine that fails stops the
/// build when audio is required, and is a warning otherwise.
fn spoken(
    site: &Site,
    variant: &Variant,
    title: &str,
    text: &str,
    ssml: &str,
    warnings: &mut Diagnostics,
) -> Result<Option<audio::Audio>> {
    let mode = site.config.loudspeaker.audio;
    if mode == AudioMode::Off {
        return Ok(None);
    }
    let (message, hint) = match audio::audio(site, variant, title, text, ssml) {
        Ok(audio) => return Ok(Some(audio)),
        Err(failure) => failure,
    };
    let path = &site.doc(variant).source.path;
    let position = Some(Position::new(1, 1));
    if mode == AudioMode::Required {
        return Err(Error::at(path, position, message).with_hint(hint));
    }
    warnings.push(Severity::Warning, path, position, message, Some(hint));
    Ok(None)
}

/// The files of one script, its index row and the script itself.
struct Made {
    files: Vec<Artifact>,
    row: Row,
    script: Script,
}

/// The body of a script in its spoken form, with where each heading's part begins.
#[derive(Debug, Default)]
struct Body {
    blocks: Vec<(Part, String)>,
    /// (index of the first block, heading as written) of each part opened by a heading.
    headings: Vec<(usize, String)>,
}

impl Body {
    fn push(&mut self, reader: &Reader, part: Part, text: &str) {
        self.blocks.push((part, reader.read(text)));
    }

    fn heading(&mut self, reader: &Reader, say: &Say, written: &str) {
        let heading = say("heading", &[("heading", written)]).unwrap_or_else(|| written.to_owned());
        self.headings.push((self.blocks.len(), written.to_owned()));
        self.push(reader, Part::Heading, &sentence(&heading));
    }

    /// Each part of the body (the text before the first heading, then each heading with what
    /// follows it up to the next one), named and timed.
    fn parts(&self, syllables_per_minute: u32) -> Vec<(String, u64)> {
        let mut starts: Vec<(usize, String)> = Vec::new();
        if self.headings.first().is_none_or(|(start, _)| *start > 0) {
            starts.push((0, first_words(self.blocks.first().map_or("", |b| b.1.as_str()))));
        }
        starts.extend(self.headings.iter().cloned());
        let ends = starts.iter().skip(1).map(|(start, _)| *start).chain([self.blocks.len()]);
        starts
            .iter()
            .zip(ends)
            .filter(|((start, _), end)| start < end)
            .map(|((start, name), end)| {
                (name.clone(), seconds_of(&self.blocks[*start..end], syllables_per_minute))
            })
            .collect()
    }
}

/// The first words of a text, to name the part it opens.
fn first_words(text: &str) -> String {
    const WORDS: usize = 6;
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() > WORDS { format!("{}…", words[..WORDS].join(" ")) } else { words.join(" ") }
}

/// Every readable block of a body in its spoken form.
fn spoken_body(reader: &Reader, blocks: &[Block], say: &Say) -> Body {
    let mut body = Body::default();
    let mut header: Vec<String> = Vec::new();
    for block in blocks {
        match &block.kind {
            BlockKind::Heading(_) => body.heading(reader, say, &block.text),
            BlockKind::Paragraph => body.push(reader, Part::Text, &sentence(&block.text)),
            BlockKind::ListItem(n) => {
                let item = say("list_item", &[("n", &n.to_string()), ("text", &block.text)])
                    .unwrap_or_else(|| block.text.clone());
                body.push(reader, Part::Text, &sentence(&item));
            }
            BlockKind::TableRow { cells, header: true } => header = cells.clone(),
            BlockKind::TableRow { cells, .. } => {
                body.push(reader, Part::Text, &sentence(&table_row(&header, cells)));
            }
            BlockKind::Code => {}
        }
    }
    body
}

/// `loudspeaker: short`: the description, then each heading with the first paragraph under it
/// (a paragraph ending in a colon only leads to a list, and is passed over), or the first item
/// of a list standing right under it; a heading with nothing of these is not said.
fn short_body(reader: &Reader, doc: &crate::model::Doc, blocks: &[Block], say: &Say) -> Body {
    let mut body = Body::default();
    if let Some(description) = doc.front.description.as_deref().filter(|d| !d.trim().is_empty()) {
        body.push(reader, Part::Text, &sentence(description));
    }
    let mut heading: Option<&str> = None;
    let mut first_under_heading = false;
    for block in blocks {
        let first = std::mem::take(&mut first_under_heading);
        let taken = match block.kind {
            BlockKind::Heading(_) => {
                heading = Some(&block.text);
                first_under_heading = true;
                false
            }
            BlockKind::Paragraph => !block.text.ends_with(':'),
            BlockKind::ListItem(_) => first,
            _ => false,
        };
        if let Some(written) = heading.filter(|_| taken) {
            body.heading(reader, say, written);
            body.push(reader, Part::Text, &sentence(&capitalized(&block.text)));
            heading = None;
        }
    }
    body
}

/// The text with its first letter in capitals, as a sentence read on its own begins.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A section of the index as its template shows it: its title and its scripts.
#[derive(Debug, Serialize)]
struct SectionView<'r> {
    title: String,
    scripts: Vec<&'r Row>,
}

fn reader(site: &Site, lang: usize) -> Reader {
    Reader::for_language(
        &site.config.languages[lang].code,
        &site.locales.own_with_prefix(lang, "speech."),
        None,
    )
    .with_hotlines(site.config.hotlines.iter().map(|h| h.number.as_str()))
}

/// How the loudspeaker reads a shortcode: a hotline as its name and number, a countdown as its
/// date, a `speak` block, a callout and any other block shortcode as its body; a figure, a QR
/// code, a `web` block and other inline shortcodes are left out, as they are for the eye.
pub fn shortcode_text(site: &Site, lang: usize, shortcode: &Shortcode) -> ShortcodeText {
    let text = |found: Option<String>| found.map_or(ShortcodeText::Skip, ShortcodeText::Text);
    match shortcode.name.as_str() {
        "hotline" => text(shortcode.text_arg("id").and_then(|id| {
            let hotline = site.config.hotlines.iter().find(|h| h.id == id)?;
            Some(format!("{} {}", site.hotline_label(lang, hotline), hotline.display))
        })),
        "countdown" => text(shortcode.text_arg("date")),
        "figure" | "qr" | "web" => ShortcodeText::Skip,
        _ if shortcode.body.is_some() => ShortcodeText::Body,
        _ => ShortcodeText::Skip,
    }
}

/// The blocks of a variant's body as a script hears them (see [`listening`]).
fn heard_blocks(site: &Site, variant: &Variant, say: &Say) -> Vec<Block> {
    let lang = variant.lang;
    let rule = |s: &Shortcode| shortcode_text(site, lang, s);
    let lead = |kind: &str| say(&format!("callout.{kind}"), &[]);
    let stack = |heading: &str, sub: &str| {
        say("subheading", &[("heading", heading), ("subheading", sub)])
            .unwrap_or_else(|| format!("{heading}, {sub}"))
    };
    let ear = listening::Ear {
        shortcode: &rule,
        callout_lead: &lead,
        see_also: listening::phrases(say("see_also", &[]).as_deref()),
        eye_only: listening::phrases(say("eye_only", &[]).as_deref()),
        stack: &stack,
    };
    listening::heard(&site.doc(variant).rendered.tree, &ear)
}

/// The script of one page: opening, title, body, hotlines (twice), closing.
pub fn build_script(site: &Site, reader: &Reader, variant: &Variant) -> Script {
    let lang = variant.lang;
    let doc = site.doc(variant);
    let say = |key: &str, fill: &[(&str, &str)]| -> Option<String> {
        let mut text = site.locales.get(lang, &format!("speech.{key}"))?.to_owned();
        for (name, value) in fill {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        Some(text)
    };
    let blocks = heard_blocks(site, variant, &say);
    let body = if doc.front.loudspeaker_short {
        short_body(reader, doc, &blocks, &say)
    } else {
        spoken_body(reader, &blocks, &say)
    };
    let rate = site.config.syllables_per_minute;
    let parts = body.parts(rate);
    let body = body.blocks;
    let hotlines = hotline_sentence(site, reader, variant, &say);
    let title = doc.front.title.clone();
    let mut blocks = Vec::new();
    if let Some(opening) = say("opening", &[]) {
        blocks.push((Part::Opening, reader.read(&opening)));
    }
    blocks.push((Part::Title, reader.read(&sentence(&title))));
    let mut hotlines_said = seconds_of(&body, rate) <= 60;
    for block in body {
        let is_text = block.0 == Part::Text;
        blocks.push(block);
        if is_text && !hotlines_said {
            blocks.extend(hotlines.iter().cloned());
            hotlines_said = true;
        }
    }
    blocks.extend(hotlines.iter().cloned());
    blocks.extend(hotlines.map(|(part, text)| (part, said_again(reader, &say, text))));
    if let Some(closing) = say("closing", &[("title", &title)]) {
        blocks.push((Part::Closing, reader.read(&closing)));
    }
    let seconds = seconds_of(&blocks, rate);
    Script { title, blocks, seconds, parts }
}

/// The hotline block: each of the page's hotlines with its name, its number and what
/// `site.yaml` says of it (free, hours, confidential), in the language's words.
fn hotline_sentence(
    site: &Site,
    reader: &Reader,
    variant: &Variant,
    say: &Say,
) -> Option<(Part, String)> {
    let lang = variant.lang;
    let items: Vec<String> = site
        .hotlines_of(Some(site.doc(variant)))
        .into_iter()
        .filter_map(|index| site.config.hotlines.get(index))
        .map(|h| {
            let label = site.hotline_label(lang, h);
            let number = reader.read_phone(&h.display);
            let item = say("hotline_item", &[("label", label), ("number", &number)])
                .unwrap_or_else(|| format!("{label}: {number}"));
            std::iter::once(item).chain(hotline_traits(h, say)).collect::<Vec<_>>().join(", ")
        })
        .collect();
    if items.is_empty() {
        return None;
    }
    let joined = items.join("; ");
    let text = say("hotlines", &[("hotlines", &joined)]).unwrap_or(joined);
    Some((Part::Hotlines, reader.read(&text)))
}

/// What the locale says of a hotline, for each thing `site.yaml` marks it with.
fn hotline_traits(hotline: &crate::load::config::Hotline, say: &Say) -> Vec<String> {
    let hours = hotline.hours.as_deref().map(str::trim).filter(|h| !h.is_empty());
    let open = match hours {
        Some("24/7") => say("always_open", &[]),
        Some(hours) => say("hours", &[("hours", hours)]),
        None => None,
    };
    let free = say("free", &[]).filter(|_| hotline.free);
    let confidential = say("confidential", &[]).filter(|_| hotline.confidential);
    [free, open, confidential].into_iter().flatten().collect()
}

/// The hotline block said again at the end, opened by the locale's "Xin nhắc lại:".
fn said_again(reader: &Reader, say: &Say, hotlines: String) -> String {
    match say("again", &[]) {
        Some(again) => format!("{} {hotlines}", reader.read(&again)),
        None => hotlines,
    }
}

fn table_row(header: &[String], cells: &[String]) -> String {
    cells
        .iter()
        .enumerate()
        .map(|(i, cell)| match header.get(i).filter(|h| !h.is_empty()) {
            Some(h) => format!("{h}: {cell}"),
            None => cell.clone(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The text with a full stop at the end when it has no closing punctuation.
fn sentence(text: &str) -> String {
    let trimmed = text.trim().trim_end_matches([';', ',']);
    if trimmed.ends_with(['.', '!', '?', ':', '…']) {
        trimmed.to_owned()
    } else {
        format!("{trimmed}.")
    }
}

/// Reading time of blocks: syllables at the rate, plus a pause after each block.
pub fn seconds_of(blocks: &[(Part, String)], syllables_per_minute: u32) -> u64 {
    let syllables: usize =
        blocks.iter().map(|(_, text)| crate::engines::speech::syllables(text)).sum();
    let speaking = syllables as f64 * 60.0 / f64::from(syllables_per_minute);
    (speaking + PAUSE_SECONDS * blocks.len() as f64).round() as u64
}

fn plain_text(script: &Script) -> String {
    let mut out: Vec<&str> = script.blocks.iter().map(|(_, text)| text.as_str()).collect();
    out.push("");
    out.join("\n\n").trim_end().to_owned() + "\n"
}

fn ssml(script: &Script, code: &str) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<speak version=\"1.1\" xmlns=\"http://www.w3.org/2001/10/synthesis\" xml:lang=\"{code}\">\n"
    );
    for (part, text) in &script.blocks {
        let pause = if matches!(part, Part::Title | Part::Heading | Part::Opening) {
            "1200ms"
        } else {
            "800ms"
        };
        let _ = writeln!(out, "<p>{}</p>\n<break time=\"{pause}\"/>", escape_xml(text));
    }
    out.push_str("</speak>\n");
    out
}

fn label(site: &Site, lang: usize, key: &str) -> String {
    site.locales.get(lang, &format!("loudspeaker.{key}")).unwrap_or(key).to_owned()
}

/// A duration in the language's words, e.g. "2 phút 05 giây".
pub fn duration(site: &Site, lang: usize, seconds: u64) -> String {
    label(site, lang, "time")
        .replace("{minutes}", &(seconds / 60).to_string())
        .replace("{seconds}", &format!("{:02}", seconds % 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_estimate_durations() {
        let blocks = vec![(Part::Text, "một hai ba bốn năm sáu bảy tám chín mười ".repeat(20))];
        assert_eq!(seconds_of(&blocks, 200), 61);
        assert_eq!(sentence("Gọi ngay"), "Gọi ngay.");
        assert_eq!(sentence("Gọi ngay!"), "Gọi ngay!");
        assert_eq!(sentence("theo quy định;"), "theo quy định.");
        assert_eq!(
            table_row(&["Số".into(), "Ai".into()], &["111".into(), "Tổng đài".into()]),
            "Số: 111; Ai: Tổng đài"
        );
    }
}
