//! Printable leaflets and posters: every page with `print:` in its front matter becomes a PDF
//! in each language that has a real translation, laid out by Typst from the theme's `print/`
//! templates with the page's metadata, its body as a document tree, a QR code and the hotlines.

pub mod sheet;
pub mod tree;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::base::error::{Diagnostics, Error, Position, Result, Severity};
use crate::engines::images::process;
use crate::engines::typeset::{Job, PdfSettings, TemplateFile, Typesetter};
use crate::model::hotlines::HotlineView;
use crate::model::{Site, Variant};
use crate::render::plan::{Input, Material, Plan, Route, RouteSet, SitePlan};
use crate::render::{Artifact, Output, file_for_url};
use sheet::Finding;
use tree::{Node, PrintEnv};

/// The print output. Its plan lists each page's PDF as a measured material, so that the web
/// output, which shows their sizes, renders after the PDFs are laid out.
pub struct Print {
    typesetter: Arc<Typesetter>,
}

/// Which edition of a printed page a PDF is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
enum Edition {
    /// The page's own layout, for the print shop (with bleed and marks under `--bleed`).
    Press,
    /// The layout again on A4 for office printers and photocopiers, never with bleed.
    Office,
}

/// What a print template receives as `/data.json`.
#[derive(Debug, Serialize)]
struct PrintData {
    layout: String,
    edition: Edition,
    lang: String,
    title: String,
    description: Option<String>,
    site_title: String,
    date: String,
    date_iso: String,
    url: String,
    qr: String,
    /// Bleed in millimetres (0: none).
    bleed: f64,
    /// Whether the PDF must be PDF/A, which allows no CMYK without a CMYK output profile.
    pdf_a: bool,
    fit_step: usize,
    hotlines: Vec<HotlineView>,
    labels: BTreeMap<&'static str, String>,
    body: Vec<Node>,
}

/// How many pages each layout has: a longer text does not fit it.
const PAGES: [(&str, usize); 3] = [("leaflet-trifold", 2), ("leaflet-a5", 2), ("poster-a3", 1)];

/// The layouts that also have an office edition on A4 (laid out by `<layout>-office.typ`),
/// with its pages: the A5 leaflet two-up, the A3 poster laid out again.
const OFFICE: [(&str, usize); 2] = [("leaflet-a5", 2), ("poster-a3", 1)];

/// What the URL path of a press PDF ends with in its office edition's.
const OFFICE_SUFFIX: &str = "-office-a4.pdf";

/// How many times a PDF is laid out again, a size smaller each time, when its text did not fit.
const FIT_STEPS: usize = 4;

/// UI strings the templates use, from the `print.` keys of the locales.
const LABELS: [&str; 4] = ["hotlines", "scan", "call", "free"];

/// The URL path of a variant's PDF: `<page path><slug>.pdf`, when it has one.
pub fn pdf_path(site: &Site, variant: &Variant) -> Option<String> {
    let doc = site.doc(variant);
    doc.front.print.as_ref()?;
    if !variant.translated {
        return None;
    }
    let trimmed = variant.path.trim_end_matches('/');
    let slug = trimmed.rsplit('/').next().filter(|s| !s.is_empty()).unwrap_or("index");
    let folder =
        if variant.path.ends_with('/') { variant.path.clone() } else { format!("{trimmed}/") };
    Some(format!("{folder}{slug}.pdf"))
}

/// The URL path of a variant's office edition on A4, when its layout has one.
pub fn office_path(site: &Site, variant: &Variant) -> Option<String> {
    let layout = site.doc(variant).front.print.as_deref()?;
    OFFICE.iter().find(|(name, _)| *name == layout)?;
    let press = pdf_path(site, variant)?;
    Some(format!("{}{OFFICE_SUFFIX}", press.strip_suffix(".pdf").unwrap_or(&press)))
}

/// The editions of a printed variant with their URL paths.
fn editions(site: &Site, variant: &Variant) -> Vec<(Edition, String)> {
    let press = pdf_path(site, variant).map(|path| (Edition::Press, path));
    let office = office_path(site, variant).map(|path| (Edition::Office, path));
    press.into_iter().chain(office).collect()
}

impl Print {
    /// The print output, laying out with `typesetter`.
    pub fn new(typesetter: Arc<Typesetter>) -> Self {
        Print { typesetter }
    }

    /// Lays out every PDF of the site and checks its sheets (for `loa check --print`): text
    /// or the QR code within the safe margin, the QR code's quiet zone, photos' resolution.
    pub fn inspect_all(&self, site: &Site) -> Result<Diagnostics> {
        let mut diagnostics = Diagnostics::default();
        for laid in self.lay_out_inspected(site, &printed(site))? {
            report(site, &laid, &mut diagnostics);
        }
        Ok(diagnostics)
    }

    /// Lays out the PDFs of these variants with the theme's `print/` templates.
    fn lay_out(&self, site: &Site, variants: &[&Variant]) -> Result<Vec<Artifact>> {
        let laid = self.lay_out_inspected(site, variants)?;
        Ok(laid.into_iter().map(|l| l.artifact).collect())
    }

    /// The PDFs of these variants, each with what the sheet checks found on it.
    fn lay_out_inspected<'v>(
        &self,
        site: &Site,
        variants: &[&'v Variant],
    ) -> Result<Vec<Laid<'v>>> {
        if variants.is_empty() {
            return Ok(Vec::new());
        }
        let templates = crate::render::typesetting::templates(site, "print")?;
        let maker = Maker { site, typesetter: &self.typesetter, templates: &templates };
        let jobs: Vec<(&'v Variant, Edition, String)> = variants
            .iter()
            .flat_map(|v| editions(site, v).into_iter().map(move |(e, path)| (*v, e, path)))
            .collect();
        let results: Vec<Result<Laid>> =
            jobs.par_iter().map(|(v, edition, path)| maker.pdf(v, *edition, path)).collect();
        Error::collect(results)
    }
}

/// A PDF laid out, with what the sheet checks found on it.
struct Laid<'a> {
    artifact: Artifact,
    variant: &'a Variant,
    /// The template it was laid out with, without `.typ` (`poster-a3-office`).
    stem: String,
    findings: Vec<Finding>,
    /// The images it prints, as the page names them, in the order the findings number them.
    images: Vec<String>,
}

/// The findings on a PDF as diagnostics at its page's source (at the image's line for a photo).
fn report(site: &Site, laid: &Laid, diagnostics: &mut Diagnostics) {
    let doc = site.doc(laid.variant);
    let path = &doc.source.path;
    let layout = laid.stem.as_str();
    for finding in &laid.findings {
        let (severity, position, message, hint) = match finding {
            Finding::Margin { page, text, clearance_mm } => (
                Severity::Error,
                None,
                msg!(
                    "print.safe_margin",
                    layout = layout,
                    page = page,
                    text = text,
                    distance = clearance_mm
                ),
                msg!("print.safe_margin.hint"),
            ),
            Finding::QrMargin { page, clearance_mm } => (
                Severity::Error,
                None,
                msg!("print.qr_margin", layout = layout, page = page, distance = clearance_mm),
                msg!("print.safe_margin.hint"),
            ),
            Finding::QuietZone { page, zone_mm } => (
                Severity::Error,
                None,
                msg!("print.qr_quiet_zone", layout = layout, page = page),
                msg!("print.qr_quiet_zone.hint", zone = zone_mm),
            ),
            Finding::Resolution { image, ppi, needed, .. } => {
                let name = laid.images.get(*image).cloned().unwrap_or_default();
                let position = image_position(site, doc, &name);
                let severity =
                    if *ppi < sheet::POOR_PPI { Severity::Error } else { Severity::Warning };
                (
                    severity,
                    position,
                    msg!("print.photo_ppi", image = &name, layout = layout, ppi = ppi),
                    msg!("print.photo_ppi.hint", pixels = needed),
                )
            }
        };
        diagnostics.push(severity, path, position, message, Some(hint));
    }
}

/// Every variant of the site that is printed.
fn printed(site: &Site) -> Vec<&Variant> {
    site.all_variants().flatten().flatten().filter(|v| pdf_path(site, v).is_some()).collect()
}

/// A variant's PDF in one edition as a material of its page.
fn material(site: &Site, variant: &Variant, edition: Edition, path: String) -> (String, Material) {
    let layout = site.doc(variant).front.print.clone().unwrap_or_default();
    let label = match edition {
        Edition::Press => format!("print.{layout}"),
        Edition::Office => format!("print.office-{layout}"),
    };
    let material = Material {
        kind: "print",
        label,
        path,
        size: None,
        measured: true,
        lang: variant.lang,
        media_type: Some("application/pdf"),
        download: true,
    };
    (variant.path.clone(), material)
}

impl Output for Print {
    fn name(&self) -> &'static str {
        "print"
    }

    fn plan(&self, site: &Site) -> Result<Plan> {
        let mut plan = Plan::default();
        for variant in printed(site) {
            for (edition, path) in editions(site, variant) {
                plan.route_from(Route::url(&path), vec![Input::Doc(variant.doc)]);
                plan.materials.push(material(site, variant, edition, path));
            }
        }
        Ok(plan)
    }

    fn render(&self, site: &Site, _plan: &SitePlan) -> Result<Vec<Artifact>> {
        self.lay_out(site, &printed(site))
    }

    /// The PDFs of the documents on `routes`, laid out again (the cache keeps the others).
    fn render_routes(
        &self,
        site: &Site,
        _plan: &SitePlan,
        routes: &[Route],
    ) -> Option<Result<Vec<Artifact>>> {
        let wanted = RouteSet::new(routes);
        let on_route = |v: &&Variant| {
            editions(site, v).iter().any(|(_, path)| wanted.covers(&file_for_url(path)))
        };
        let variants: Vec<&Variant> = printed(site).into_iter().filter(on_route).collect();
        Some(self.lay_out(site, &variants))
    }
}

/// Makes one PDF.
struct Maker<'a> {
    site: &'a Site,
    typesetter: &'a Typesetter,
    templates: &'a [TemplateFile],
}

impl Maker<'_> {
    fn pdf<'v>(&self, variant: &'v Variant, edition: Edition, path: &str) -> Result<Laid<'v>> {
        let site = self.site;
        let doc = site.doc(variant);
        let layout = doc.front.print.clone().unwrap_or_default();
        let (stem, pages) = match edition {
            Edition::Press => (layout.clone(), &PAGES[..]),
            Edition::Office => (format!("{layout}-office"), &OFFICE[..]),
        };
        let template = self.template(&stem, &doc.source.path)?;
        let env = SiteEnv::new(site, variant);
        let body = tree::tree(&doc.rendered.tree, &env);
        self.check_images(variant, &env)?;
        let mut data = self.data(variant, &layout, body);
        data.edition = edition;
        if edition == Edition::Office {
            data.bleed = 0.0;
        }
        self.check_coverage(variant, &data)?;
        let qr = crate::engines::qr::svg(&data.url)
            .map_err(|e| Error::at(&doc.source.path, None, msg!("print.qr", detail = e)))?;
        let errors = env.errors.into_inner();
        if !errors.is_empty() {
            return Err(Error::from_many(errors));
        }
        let images = env.images.into_inner();
        let destinations = env.destinations.into_inner();
        let known = sheet::Known {
            qr: crate::engines::typeset::inspect::image_key(qr.as_bytes()),
            qr_modules: crate::engines::qr::modules(&data.url).unwrap_or(21),
            images: images
                .iter()
                .map(|(_, b)| crate::engines::typeset::inspect::image_key(b))
                .collect(),
        };
        let date = doc.front.date.unwrap_or(site.now);
        let ymd = (
            chrono::Datelike::year(&date),
            chrono::Datelike::month(&date) as u8,
            chrono::Datelike::day(&date) as u8,
        );
        let shown = &doc.source.path;
        let salt =
            format!("pdf {stem} {ymd:?} {} {:?}", shown.display(), site.config.print_standard);
        let expected = pages.iter().find(|(name, _)| *name == layout).map_or(usize::MAX, |p| p.1);
        for step in 0..FIT_STEPS {
            data.fit_step = step;
            let mut files = vec![
                ("data.json".to_owned(), serde_json::to_vec(&data).map_err(std::io::Error::other)?),
                ("qr.svg".to_owned(), qr.clone().into_bytes()),
            ];
            files.extend(images.iter().cloned());
            let job = Job { template, neighbours: self.templates, files, content: Some(shown) };
            let settings = PdfSettings {
                date: ymd,
                standard: site.config.print_standard,
                bleed_mm: data.bleed,
            };
            let made = self.typesetter.make_cached(job, &salt, |document| {
                if let Some(error) = overflow_error(document, shown, &stem) {
                    return Err(error);
                }
                if document.pages().len() > expected {
                    return Ok(Vec::new());
                }
                let pdf = crate::engines::typeset::pdf(document, shown, settings)?;
                let findings = sheet::findings(document, &known);
                Ok(vec![pdf, serde_json::to_vec(&findings).map_err(std::io::Error::other)?])
            })?;
            if let Some(pdf) = made.first() {
                let findings = made.get(1).and_then(|f| serde_json::from_slice(f).ok());
                return Ok(Laid {
                    artifact: Artifact::at_url(path, pdf.clone()),
                    variant,
                    stem,
                    findings: findings.unwrap_or_default(),
                    images: destinations,
                });
            }
        }
        Err(Error::at(shown, None, msg!("print.too_long", layout = &stem, expected = expected))
            .with_hint(msg!("print.too_long.hint")))
    }

    fn template(&self, layout: &str, page: &std::path::Path) -> Result<&TemplateFile> {
        let name = format!("{layout}.typ");
        self.templates.iter().find(|t| t.relative == name).ok_or_else(|| {
            Error::at(page, None, msg!("print.no_template", name = &name))
                .with_hint(msg!("print.no_template.hint"))
        })
    }

    fn data(&self, variant: &Variant, layout: &str, body: Vec<Node>) -> PrintData {
        let site = self.site;
        let doc = site.doc(variant);
        let lang = variant.lang;
        let date = doc.front.date.unwrap_or(site.now);
        let hotlines = crate::render::hotlines::page_hotlines(site, lang, Some(doc));
        let labels = LABELS
            .iter()
            .map(|key| (*key, site.locales.get(lang, &format!("print.{key}")).unwrap_or("").into()))
            .collect();
        PrintData {
            layout: layout.to_owned(),
            edition: Edition::Press,
            lang: site.config.languages[doc.source.lang].code.clone(),
            title: doc.front.title.clone(),
            description: doc.front.description.clone(),
            site_title: site.title(lang).unwrap_or_default().to_owned(),
            date: date.format(site.locales.date_format(lang)).to_string(),
            date_iso: date.format("%Y-%m-%d").to_string(),
            url: site.permalink(&variant.path),
            qr: "/qr.svg".into(),
            bleed: site.print_bleed,
            pdf_a: site.config.print_standard
                == Some(crate::engines::typeset::PrintStandard::PdfA2b),
            fit_step: 0,
            hotlines,
            labels,
            body,
        }
    }

    /// Every character headed for print must be in a bundled font: Typst would print a box.
    fn check_coverage(&self, variant: &Variant, data: &PrintData) -> Result<()> {
        let fonts = self.typesetter.fonts();
        let hotline_texts = data.hotlines.iter().flat_map(|h| [h.label.clone(), h.display.clone()]);
        let mut texts = vec![data.title.clone(), data.site_title.clone(), data.date.clone()];
        texts.extend(data.description.clone());
        texts.extend(data.labels.values().cloned());
        texts.extend(hotline_texts);
        texts.extend(tree::texts(&data.body));
        for text in &texts {
            if let Some((_, c)) = fonts.first_missing(text) {
                let doc = self.site.doc(variant);
                let (path, position) = self.place_of(&doc.source.path, c);
                return Err(crate::engines::typeset::missing_glyph(path, position, c));
            }
        }
        Ok(())
    }

    /// Every image the page prints must be one Typst reads: its error names the page and the image.
    fn check_images(&self, variant: &Variant, env: &SiteEnv) -> Result<()> {
        let Some((image, detail)) = env.unreadable.borrow().first().cloned() else { return Ok(()) };
        let doc = self.site.doc(variant);
        let position = image_position(self.site, doc, &image);
        Err(Error::at(
            &doc.source.path,
            position,
            msg!("print.bad_image", image = &image, detail = detail),
        )
        .with_hint(msg!("print.bad_image.hint")))
    }

    /// Where `c` first appears: in the page's source, else in a locale file.
    fn place_of(&self, source: &std::path::Path, c: char) -> (PathBuf, Option<Position>) {
        let root = &self.site.config.root;
        let candidates = std::iter::once(source.to_path_buf()).chain(
            self.site
                .config
                .languages
                .iter()
                .map(|l| PathBuf::from(format!("locales/{}.yaml", l.code))),
        );
        for path in candidates {
            let Ok(text) = std::fs::read_to_string(root.join(&path)) else { continue };
            let text = crate::base::text::normalize_source(&text);
            if let Some(offset) = text.find(c) {
                return (path, Some(Position::of_offset(&text, offset)));
            }
        }
        (source.to_path_buf(), None)
    }
}

/// Where a page names `image`: its Markdown image, else the first mention in its source (a
/// component's `src`).
fn image_position(site: &Site, doc: &crate::model::Doc, image: &str) -> Option<Position> {
    let referenced = doc.rendered.images.iter().find(|r| r.destination == image);
    referenced.map(|r| r.position).or_else(|| {
        let text = std::fs::read_to_string(site.config.root.join(&doc.source.path)).ok()?;
        let text = crate::base::text::normalize_source(&text);
        text.find(image).map(|offset| Position::of_offset(&text, offset))
    })
}

/// The error for a page whose template reported text that does not fit at its smallest size.
fn overflow_error(
    document: &crate::engines::typeset::PagedDocument,
    shown: &std::path::Path,
    layout: &str,
) -> Option<Error> {
    let (what, over) = crate::engines::typeset::overflows(document).into_iter().next()?;
    let over = format!("{over:.1}");
    let message = if what == "title" {
        msg!("print.title_overflow", layout = layout, over = over)
    } else {
        msg!("print.body_overflow", layout = layout, over = over)
    };
    Some(Error::at(shown, None, message).with_hint(msg!("print.overflow.hint")))
}

/// Images, labels and hotlines of one page's language, for the document tree.
struct SiteEnv<'a> {
    site: &'a Site,
    lang: usize,
    folder: PathBuf,
    images: RefCell<Vec<(String, Vec<u8>)>>,
    /// Each image's destination as the page names it, in the order of `images`.
    destinations: RefCell<Vec<String>>,
    /// Images Typst cannot read, as the page names them, with Typst's reason.
    unreadable: RefCell<Vec<(String, String)>>,
    /// Images that could not be read.
    errors: RefCell<Vec<Error>>,
}

impl<'a> SiteEnv<'a> {
    fn new(site: &'a Site, variant: &Variant) -> Self {
        let source = &site.doc(variant).source.path;
        let folder = site.config.root.join(source.parent().unwrap_or(std::path::Path::new("")));
        SiteEnv {
            site,
            lang: variant.lang,
            folder,
            images: RefCell::new(Vec::new()),
            destinations: RefCell::new(Vec::new()),
            unreadable: RefCell::new(Vec::new()),
            errors: RefCell::new(Vec::new()),
        }
    }
}

impl SiteEnv<'_> {
    /// The file an image destination names, when it is inside `content/`.
    fn file_of(&self, destination: &str) -> Option<PathBuf> {
        if destination.contains("://") || destination.contains("..") {
            return None;
        }
        let file: PathBuf =
            self.folder.join(destination.trim_start_matches('/')).components().collect();
        let root = self.site.config.root.join("content");
        let canonical = file.canonicalize().ok()?;
        canonical.starts_with(root.canonicalize().ok()?).then_some(file)
    }

    /// The bytes Typst gets for the image in `file`, and their extension: a catalogued photo's
    /// full-size copy (upright, without metadata), a GIF stripped of its metadata, an SVG as
    /// it is; `None` for what print cannot show.
    fn printable(&self, file: &std::path::Path) -> Result<Option<(Vec<u8>, &'static str)>> {
        let images = &self.site.images;
        if let Some(entry) = images.by_source(file) {
            let copy = process::full_size(&images.cache_dir, entry, &images.budget)?;
            return Ok(Some((fs_err::read(copy)?, entry.kind.extension())));
        }
        let is_svg = file.extension().is_some_and(|e| e.eq_ignore_ascii_case("svg"));
        let kind = crate::engines::images::kind::sniff_file(file);
        if kind.is_none() && !is_svg {
            return Ok(None);
        }
        let bytes = fs_err::read(file)?;
        let shown = file.strip_prefix(&self.site.config.root).unwrap_or(file);
        Ok(Some(match kind {
            Some(kind) => {
                let cleaned = process::clean(&bytes, shown, &images.budget)?;
                (cleaned.unwrap_or(bytes), kind.extension())
            }
            None => (bytes, "svg"),
        }))
    }
}

impl PrintEnv for SiteEnv<'_> {
    fn image(&self, destination: &str) -> Option<String> {
        let file = self.file_of(destination)?;
        let (bytes, extension) = match self.printable(&file) {
            Ok(found) => found?,
            Err(error) => {
                self.errors.borrow_mut().push(error);
                return None;
            }
        };
        if let Some(detail) = crate::engines::typeset::unreadable_image(&bytes, extension) {
            self.unreadable.borrow_mut().push((destination.to_owned(), detail));
            return None;
        }
        let mut images = self.images.borrow_mut();
        let name = format!("images/{}.{extension}", images.len());
        images.push((name.clone(), bytes));
        self.destinations.borrow_mut().push(destination.to_owned());
        Some(format!("/{name}"))
    }

    fn label(&self, key: &str) -> String {
        self.site.locales.get(self.lang, key).unwrap_or(key).to_owned()
    }

    fn hotline(&self, id: &str) -> Option<(String, String)> {
        let hotline = self.site.config.hotlines.iter().find(|h| h.id == id)?;
        Some((self.site.hotline_label(self.lang, hotline).to_owned(), hotline.display.clone()))
    }
}
