//! Typst embedded as a library: lays out documents from Typst templates with the fonts it is
//! given, and hands the data over as JSON files so that content is never read as Typst
//! markup. It knows nothing of a site: the caller reads the fonts and templates.

mod bleed_box;
mod fonts;
pub mod inspect;
mod world;

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use typst::diag::SourceDiagnostic;
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, WorldExt};
pub use typst_layout::PagedDocument;

use crate::base::error::{Error, Position, Result};
pub use fonts::{FontFile, Fonts};
use world::TemplateWorld;

/// The PDF standards Typst can write that loa offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintStandard {
    /// PDF/A-2b, for archives.
    PdfA2b,
    /// PDF/UA-1, for reading on screens with assistive technology.
    PdfUa1,
}

/// Lays out Typst templates with the fonts it was given; built once per build and shared.
pub struct Typesetter {
    library: LazyHash<Library>,
    fonts: Fonts,
    cache: Arc<Cache>,
}

/// A file of a template's folder: where it is, and its contents.
#[derive(Debug, Clone)]
pub struct TemplateFile {
    /// Path inside the folder, `/`-separated, as templates import it.
    pub relative: String,
    /// Path shown in messages.
    pub shown: PathBuf,
    /// What the file holds.
    pub contents: Contents,
}

/// What a template file holds: Typst source as text, anything else (an image) as bytes.
#[derive(Debug, Clone, Hash)]
pub enum Contents {
    /// Typst source, already normalised (UTF-8, NFC, `\n`).
    Source(String),
    /// Bytes read as they are.
    Data(Vec<u8>),
}

impl TemplateFile {
    /// The file's bytes (a source's as UTF-8).
    pub fn bytes(&self) -> &[u8] {
        match &self.contents {
            Contents::Source(text) => text.as_bytes(),
            Contents::Data(bytes) => bytes,
        }
    }
}

/// A template with the files it may read besides its own folder (e.g. `/data.json`).
pub struct Job<'a> {
    /// The template to lay out.
    pub template: &'a TemplateFile,
    /// The other files of the template's folder, which it may import or read.
    pub neighbours: &'a [TemplateFile],
    /// Generated files, by their path from the virtual root (`/data.json`).
    pub files: Vec<(String, Vec<u8>)>,
    /// The source file whose content the generated files hold (a printed page), blamed for
    /// errors that point into no template.
    pub content: Option<&'a Path>,
}

/// The files made from one job (a PDF; a PNG and an SVG).
pub type MadeFiles = Arc<Vec<Vec<u8>>>;

/// How many jobs' files a cache keeps.
const KEPT_JOBS: usize = 512;

/// Files made from earlier identical jobs, by the hash of everything that went in, and how
/// many documents were laid out; owned by one build, or kept across the rebuilds of one
/// `loa serve` session. Cleared when it grows past [`KEPT_JOBS`].
#[derive(Debug, Default)]
pub struct Cache {
    made: Mutex<HashMap<u64, MadeFiles>>,
    laid_out: AtomicUsize,
}

impl Cache {
    /// How many documents the typesetters using this cache have laid out.
    pub fn documents_laid_out(&self) -> usize {
        self.laid_out.load(Ordering::Relaxed)
    }

    fn get(&self, key: u64) -> Result<Option<MadeFiles>> {
        Ok(self.made.lock().map_err(|_| poisoned())?.get(&key).cloned())
    }

    fn insert(&self, key: u64, files: MadeFiles) -> Result<()> {
        let mut made = self.made.lock().map_err(|_| poisoned())?;
        if made.len() >= KEPT_JOBS {
            made.clear();
        }
        made.insert(key, files);
        Ok(())
    }
}

impl Typesetter {
    /// A typesetter with these fonts, keeping what it makes in `cache`.
    pub fn new(fonts: Fonts, cache: Arc<Cache>) -> Self {
        Typesetter { library: LazyHash::new(Library::default()), fonts, cache }
    }

    /// The fonts templates can use.
    pub fn fonts(&self) -> &Fonts {
        &self.fonts
    }

    /// The files `make` turns the laid-out job into, or those of an identical earlier job in
    /// the cache; `salt` names what else `make` depends on.
    pub fn make_cached(
        &self,
        job: Job,
        salt: &str,
        make: impl FnOnce(&PagedDocument) -> Result<Vec<Vec<u8>>>,
    ) -> Result<MadeFiles> {
        let key = self.job_key(&job, salt);
        if let Some(files) = self.cache.get(key)? {
            return Ok(files);
        }
        let files = Arc::new(make(&self.lay_out(job)?)?);
        self.cache.insert(key, files.clone())?;
        Ok(files)
    }

    fn job_key(&self, job: &Job, salt: &str) -> u64 {
        let mut hasher = std::hash::DefaultHasher::new();
        (salt, self.fonts.fingerprint(), &job.template.relative).hash(&mut hasher);
        for file in job.neighbours {
            (&file.relative, &file.contents).hash(&mut hasher);
        }
        job.files.hash(&mut hasher);
        hasher.finish()
    }

    /// Lays the template out into pages; a Typst error points at the template's line.
    pub fn lay_out(&self, job: Job) -> Result<PagedDocument> {
        self.cache.laid_out.fetch_add(1, Ordering::Relaxed);
        let world = TemplateWorld::new(&self.library, &self.fonts, &job)?;
        let warned = typst::compile::<PagedDocument>(&world);
        let document = warned.output.map_err(|errors| {
            let errors = errors.iter().map(|e| diagnostic_error(&world, &job, e)).collect();
            Error::from_many(errors)
        });
        comemo_evict();
        document
    }
}

fn poisoned() -> Error {
    Error::Io(std::io::Error::other("a typesetting thread panicked"))
}

/// Frees Typst's memoised results, which would otherwise grow with every document.
fn comemo_evict() {
    typst::comemo::evict(10);
}

/// The error for a Typst diagnostic: at its place in a template, or, when it points into no
/// template, in the content's source file (a page), since the generated data caused it.
fn diagnostic_error(world: &TemplateWorld, job: &Job, diagnostic: &SourceDiagnostic) -> Error {
    let detail = diagnostic.message.as_str();
    let place = world.place(diagnostic);
    if let (None, Some(page)) = (&place, job.content) {
        return Error::at(page, None, msg!("typeset.content", detail = detail))
            .with_hint(msg!("typeset.content.hint"));
    }
    let (shown, position) = place.unwrap_or((job.template.shown.clone(), None));
    let error = Error::at(shown, position, msg!("typeset.error", detail = detail));
    let hints: Vec<&str> = diagnostic.hints.iter().map(|h| h.v.as_str()).collect();
    if hints.is_empty() {
        error.with_hint(msg!("typeset.error.hint"))
    } else {
        error.with_hint(msg!("typeset.error.typst_hint", hint = hints.join("; ")))
    }
}

/// Why Typst cannot read an image (`extension` says SVG or not), in Typst's words.
pub fn unreadable_image(bytes: &[u8], extension: &str) -> Option<String> {
    use typst::diag::LoadedWithin;
    use typst::visualize::{ExchangeFormat, RasterImage, SvgImage};
    let data = typst::foundations::Bytes::new(bytes.to_vec());
    if extension.eq_ignore_ascii_case("svg") {
        let loaded = typst::loading::Loaded::new(
            typst::syntax::Spanned::detached(typst::loading::LoadSource::Bytes),
            data.clone(),
        );
        return SvgImage::new(data).err().map(|e| e.within(&loaded).message.to_string());
    }
    let Some(format) = ExchangeFormat::detect(bytes) else {
        return Some("unknown image format".to_owned());
    };
    RasterImage::plain(data, format).err().map(|e| e.to_string())
}

impl TemplateWorld<'_> {
    /// The shown path and position of a diagnostic, when it points into a template file.
    fn place(&self, diagnostic: &SourceDiagnostic) -> Option<(PathBuf, Option<Position>)> {
        let id = diagnostic.span.id()?;
        let shown = self.shown_path(id)?;
        let source = typst::World::source(self, id).ok()?;
        let range = self.range(diagnostic.span)?;
        let (line, column) = source.lines().byte_to_line_column(range.start)?;
        Some((shown, Some(Position::new(line + 1, column + 1))))
    }
}

/// The error for a character no bundled font has, at the place it comes from.
pub fn missing_glyph(path: impl Into<PathBuf>, position: Option<Position>, c: char) -> Error {
    let code = format!("U+{:04X}", c as u32);
    Error::at(path, position, msg!("typeset.missing_glyph", character = c, code = code))
        .with_hint(msg!("typeset.missing_glyph.hint"))
}

/// The bytes of a page laid out as PNG, at `pixels_per_point`.
pub fn png(document: &PagedDocument, page: usize, pixels_per_point: f32) -> Option<Vec<u8>> {
    let page = document.pages().get(page)?;
    let options = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(f64::from(pixels_per_point)),
        render_bleed: false,
    };
    typst_render::render(page, &options).encode_png().ok()
}

/// A page laid out as SVG text.
pub fn svg(document: &PagedDocument, page: usize) -> Option<String> {
    let page = document.pages().get(page)?;
    Some(typst_svg::svg(page, &typst_svg::SvgOptions { render_bleed: false, pretty: false }))
}

/// How a document is written as PDF.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PdfSettings {
    /// Year, month and day the PDF is dated, so that builds are reproducible.
    pub date: (i32, u8, u8),
    /// The standard it follows, when one is asked for.
    pub standard: Option<PrintStandard>,
    /// How far beyond the trimmed page (its page's bleed in Typst) the artwork reaches, in
    /// millimetres: written as each page's `/BleedBox` when above zero.
    pub bleed_mm: f64,
}

/// The document as PDF, tagged, with `settings`' date, standard and bleed box.
pub fn pdf(document: &PagedDocument, shown: &Path, settings: PdfSettings) -> Result<Vec<u8>> {
    let PdfSettings { date, standard, bleed_mm } = settings;
    let timestamp = typst::foundations::Datetime::from_ymd(date.0, date.1, date.2)
        .map(typst_pdf::Timestamp::new_utc);
    let list: &[typst_pdf::PdfStandard] = match standard {
        None => &[],
        Some(PrintStandard::PdfA2b) => &[typst_pdf::PdfStandard::A_2b],
        Some(PrintStandard::PdfUa1) => &[typst_pdf::PdfStandard::Ua_1],
    };
    let fail = |detail: String| Error::at(shown, None, msg!("typeset.pdf", detail = detail));
    let standards =
        typst_pdf::PdfStandards::new(list).map_err(|e| fail(e.message().to_string()))?;
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom(shown.display().to_string()),
        timestamp,
        standards,
        tagged: true,
        ..Default::default()
    };
    let written = typst_pdf::pdf(document, &options).map_err(|errors| {
        let detail: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        fail(detail.join("; "))
    })?;
    if bleed_mm <= 0.0 {
        return Ok(written);
    }
    bleed_box::add_bleed_boxes(&written, bleed_mm * 72.0 / 25.4).map_err(fail)
}

/// What a laid-out template reported it could not fit, as `metadata((what: …, over-mm: …))`
/// labelled `<loa-overflow>`: the part (`body`, `title`) and how many millimetres it is over.
pub fn overflows(document: &PagedDocument) -> Vec<(String, f64)> {
    use typst::foundations::{Label, Selector, Value};
    use typst::introspection::{Introspector, MetadataElem};
    let Some(label) = Label::new(typst::utils::PicoStr::intern("loa-overflow")) else {
        return Vec::new();
    };
    let found = document.introspector().query(&Selector::Label(label));
    found
        .iter()
        .filter_map(|content| {
            let Value::Dict(fields) = &content.to_packed::<MetadataElem>()?.value else {
                return None;
            };
            let what = fields.get("what").ok()?.clone().cast::<String>().ok()?;
            let over = fields.get("over-mm").ok()?.clone().cast::<f64>().ok()?;
            Some((what, over))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finding_15_images_typst_refuses_are_found_before_layout() {
        let entity_loop = "<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY a \"&b;\"><!ENTITY b \"&a;\">]>\
                           <svg xmlns=\"http://www.w3.org/2000/svg\"><text>&a;</text></svg>";
        let reason = unreadable_image(entity_loop.as_bytes(), "svg").unwrap();
        assert!(reason.starts_with("failed to parse SVG"), "{reason}");
        let crowded = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\">{}</svg>",
            "<g/>".repeat(1_000_001)
        );
        assert!(unreadable_image(crowded.as_bytes(), "SVG").is_some());
        let fine = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"><rect width=\"4\" height=\"4\"/></svg>";
        assert_eq!(unreadable_image(fine.as_bytes(), "svg"), None);
        let png = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tiny.png"));
        assert_eq!(unreadable_image(&png.unwrap(), "png"), None);
        assert!(unreadable_image(b"not a picture", "png").is_some());
    }
}
