//! Loudspeaker scripts: for each translated page, the text a commune broadcaster reads (`.txt`),
//! the same for text-to-speech (`.ssml`), a printable view, and a printable index with durations.
//! The views are theme pages (`loudspeaker.html`, `loudspeaker_index.html`), so they carry the
//! hotline banner and the language like every other page.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::base::error::{Error, Result};
use crate::engines::speech::reader::Reader;
use crate::load::blocks::BlockKind;
use crate::load::content::Kind;
use crate::load::document::{Shortcode, ShortcodeText, text_blocks};
use crate::model::{Site, Variant};
use crate::render::plan::{Material, Plan, Route, SitePlan};
use crate::render::web::Web;
use crate::render::{Artifact, Edit, Output, escape_xml};

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
    web: Arc<Web>,
    rows: std::sync::Mutex<Vec<Vec<Row>>>,
    readers: std::sync::Mutex<Vec<Option<Arc<Reader>>>>,
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
    /// Reading time in seconds at the site's rate, pauses included.
    pub seconds: u64,
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
                for extension in ["txt", "ssml", "html"] {
                    plan.routes.push(Route::url(&format!("{base}.{extension}")));
                }
                plan.materials.push((variant.path.clone(), script_material(variant, base)));
            }
            if !variants.is_empty() {
                let code = &site.config.languages[lang].code;
                plan.routes.push(Route::url(&format!("/{FOLDER}/{code}/index.html")));
            }
        }
        Ok(plan)
    }

    fn render(&self, site: &Site, _plan: &SitePlan) -> Result<Vec<Artifact>> {
        let per_language: Vec<Result<(Vec<Artifact>, Vec<Row>)>> = (0..site.config.languages.len())
            .into_par_iter()
            .map(|lang| self.language_artifacts(site, lang))
            .collect();
        let (artifacts, rows): (Vec<_>, Vec<_>) = Error::collect(per_language)?.into_iter().unzip();
        *self.rows.lock().unwrap_or_else(|e| e.into_inner()) = rows;
        Ok(artifacts.into_iter().flatten().collect())
    }

    /// The scripts of the changed documents and the indexes listing them; every view when
    /// their templates changed.
    fn render_edit(
        &self,
        site: &Site,
        plan: &SitePlan,
        edit: &Edit,
    ) -> Option<Result<Vec<Artifact>>> {
        if [SCRIPT_TEMPLATE, INDEX_TEMPLATE, "base.html"]
            .iter()
            .any(|t| edit.templates.contains(*t))
        {
            return Some(self.render(site, plan));
        }
        self.edited_artifacts(site, edit)
    }
}

impl Loudspeaker {
    /// The loudspeaker output, whose views are rendered with the web output's templates.
    pub fn new(web: Arc<Web>) -> Loudspeaker {
        Loudspeaker { web, rows: Default::default(), readers: Default::default() }
    }

    /// The scripts of the documents an edit changed, and the indexes whose rows changed; none
    /// before a full render.
    fn edited_artifacts(&self, site: &Site, edit: &Edit) -> Option<Result<Vec<Artifact>>> {
        let mut rows = self.rows.lock().unwrap_or_else(|e| e.into_inner());
        if rows.len() != site.config.languages.len() {
            return None;
        }
        Some(self.changed_scripts(site, edit, &mut rows))
    }

    /// The files of the changed documents' scripts, updating their rows in `rows`.
    fn changed_scripts(
        &self,
        site: &Site,
        edit: &Edit,
        rows: &mut [Vec<Row>],
    ) -> Result<Vec<Artifact>> {
        let mut artifacts = Vec::new();
        for (lang, rows) in rows.iter_mut().enumerate() {
            let changed: Vec<&Variant> =
                scripted(site, lang).into_iter().filter(|v| edit.docs.contains(&v.doc)).collect();
            if changed.is_empty() {
                continue;
            }
            let reader = self.reader(site, lang);
            let mut rows_changed = false;
            for variant in changed {
                let (files, row) = self.script_artifacts(site, &reader, variant)?;
                artifacts.extend(files);
                if let Some(old) = rows.iter_mut().find(|r| r.doc == row.doc)
                    && *old != row
                {
                    *old = row;
                    rows_changed = true;
                }
            }
            if rows_changed {
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
fn script_material(variant: &Variant, base: String) -> Material {
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
    fn language_artifacts(&self, site: &Site, lang: usize) -> Result<(Vec<Artifact>, Vec<Row>)> {
        let variants = scripted(site, lang);
        if variants.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let reader = reader(site, lang);
        let mut artifacts = Vec::new();
        let mut rows = Vec::new();
        for variant in variants {
            let (files, row) = self.script_artifacts(site, &reader, variant)?;
            artifacts.extend(files);
            rows.push(row);
        }
        artifacts.extend(self.index_artifact(site, lang, &rows)?);
        Ok((artifacts, rows))
    }

    /// The files of a variant's script (text, SSML and, with its template, the printable
    /// view) and its index row.
    fn script_artifacts(
        &self,
        site: &Site,
        reader: &Reader,
        variant: &Variant,
    ) -> Result<(Vec<Artifact>, Row)> {
        let lang = variant.lang;
        let code = &site.config.languages[lang].code;
        let script = build_script(site, reader, variant);
        let name = script_name(site, variant);
        let base = format!("/{FOLDER}/{code}/{name}");
        let mut files = vec![
            Artifact::at_url(&format!("{base}.txt"), plain_text(&script).into_bytes()),
            Artifact::at_url(&format!("{base}.ssml"), ssml(&script, code).into_bytes()),
        ];
        let mut extra = view_context(site, lang);
        extra.insert("script", &script_view(site, lang, &script));
        let view =
            self.web.render_extra(site, lang, SCRIPT_TEMPLATE, &format!("{base}.html"), &extra)?;
        files.extend(view);
        let duration = duration(site, lang, script.seconds);
        let row =
            Row { doc: variant.doc, seconds: script.seconds, name, title: script.title, duration };
        Ok((files, row))
    }

    /// A language's index of scripts, with its template.
    fn index_artifact(&self, site: &Site, lang: usize, rows: &[Row]) -> Result<Option<Artifact>> {
        let total: u64 = rows.iter().map(|r| r.seconds).sum();
        let mut extra = view_context(site, lang);
        extra.insert("scripts", &rows);
        extra.insert("total", &duration(site, lang, total));
        self.web.render_extra(site, lang, INDEX_TEMPLATE, &index_path(site, lang), &extra)
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
    ScriptView { title: &script.title, duration: duration(site, lang, script.seconds), blocks }
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
/// date, a figure as its caption, a callout and any other block shortcode as its body; a QR
/// code and other inline shortcodes are left out, as nothing in them can be heard.
pub fn shortcode_text(site: &Site, lang: usize, shortcode: &Shortcode) -> ShortcodeText {
    let text = |found: Option<String>| found.map_or(ShortcodeText::Skip, ShortcodeText::Text);
    match shortcode.name.as_str() {
        "hotline" => text(shortcode.text_arg("id").and_then(|id| {
            let hotline = site.config.hotlines.iter().find(|h| h.id == id)?;
            let label = site.locales.get(lang, &format!("hotline.{id}"));
            Some(format!("{} {}", label.unwrap_or(&hotline.display), hotline.display))
        })),
        "countdown" => text(shortcode.text_arg("date")),
        "figure" => text(shortcode.text_arg("caption")),
        "qr" => ShortcodeText::Skip,
        _ if shortcode.body.is_some() => ShortcodeText::Body,
        _ => ShortcodeText::Skip,
    }
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
    let mut body: Vec<(Part, String)> = Vec::new();
    let mut header: Vec<String> = Vec::new();
    let blocks = text_blocks(&doc.rendered.tree, &|s| shortcode_text(site, lang, s));
    for block in &blocks {
        let text = match &block.kind {
            BlockKind::Heading(_) => {
                let heading = say("heading", &[("heading", &block.text)])
                    .unwrap_or_else(|| block.text.clone());
                Some((Part::Heading, sentence(&heading)))
            }
            BlockKind::Paragraph => Some((Part::Text, block.text.clone())),
            BlockKind::ListItem(n) => {
                let item = say("list_item", &[("n", &n.to_string()), ("text", &block.text)])
                    .unwrap_or_else(|| block.text.clone());
                Some((Part::Text, sentence(&item)))
            }
            BlockKind::TableRow { cells, header: true } => {
                header = cells.clone();
                None
            }
            BlockKind::TableRow { cells, .. } => {
                Some((Part::Text, sentence(&table_row(&header, cells))))
            }
            BlockKind::Code => None,
        };
        if let Some((part, text)) = text {
            body.push((part, reader.read(&text)));
        }
    }
    let hotlines = hotline_sentence(site, reader, lang, &say);
    let title = doc.front.title.clone();
    let mut blocks = Vec::new();
    if let Some(opening) = say("opening", &[]) {
        blocks.push((Part::Opening, reader.read(&opening)));
    }
    blocks.push((Part::Title, reader.read(&sentence(&title))));
    let mut hotlines_said = seconds_of(&body, site.config.syllables_per_minute) <= 60;
    for block in body {
        let is_text = block.0 == Part::Text;
        blocks.push(block);
        if is_text && !hotlines_said {
            blocks.extend(hotlines.iter().cloned());
            hotlines_said = true;
        }
    }
    blocks.extend(hotlines.iter().cloned());
    blocks.extend(hotlines.iter().cloned());
    if let Some(closing) = say("closing", &[("title", &title)]) {
        blocks.push((Part::Closing, reader.read(&closing)));
    }
    let seconds = seconds_of(&blocks, site.config.syllables_per_minute);
    Script { title, blocks, seconds }
}

fn hotline_sentence(
    site: &Site,
    reader: &Reader,
    lang: usize,
    say: &Say,
) -> Option<(Part, String)> {
    if site.config.hotlines.is_empty() {
        return None;
    }
    let items: Vec<String> = site
        .config
        .hotlines
        .iter()
        .map(|h| {
            let label = site.locales.get(lang, &format!("hotline.{}", h.id)).unwrap_or(&h.display);
            let number = reader.read_phone(&h.display);
            say("hotline_item", &[("label", label), ("number", &number)])
                .unwrap_or_else(|| format!("{label}: {number}"))
        })
        .collect();
    let joined = items.join("; ");
    let text = say("hotlines", &[("hotlines", &joined)]).unwrap_or(joined);
    Some((Part::Hotlines, reader.read(&text)))
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
