//! `loa check`: links, anchors, images, alt text, headings, raw HTML (and what is removed from
//! it), SVG files with script, control characters, phone links and locale keys.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::base::error::{Diagnostics, Position, Severity};
use crate::base::messages::{Message, UiLang};
use crate::load::markdown::{Reference, Resolved};
use crate::model::links::has_scheme;
use crate::model::{BuildOptions, Doc, Site, Variant};

mod characters;
mod glossary;

/// Loads the site and runs every check; load errors are reported as diagnostics too.
pub fn check(root: &Path, options: &BuildOptions) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    match Site::load(root, options, &mut diagnostics) {
        Ok(site) => {
            if let Err(error) = crate::render::web::Web::new(&site) {
                diagnostics.push_error(error);
            }
            check_site(&site, &mut diagnostics);
        }
        Err(error) => diagnostics.push_error(error),
    }
    diagnostics
}

/// Runs the checks on a loaded site.
pub fn check_site(site: &Site, diagnostics: &mut Diagnostics) {
    let targets = Targets::new(site);
    let mut variants: Vec<&Variant> = site.all_variants().flatten().flatten().collect();
    variants.sort_by_key(|v| !v.translated);
    let mut reported: HashSet<(usize, Position, Message)> = HashSet::new();
    for variant in variants {
        for (position, severity, message, hint) in link_problems(site, &targets, variant) {
            if reported.insert((variant.doc, position, message.clone())) {
                let message = if variant.translated {
                    message
                } else {
                    let code = &site.config.languages[variant.lang].code;
                    msg!("check.in_version", code = code).nested("message", message)
                };
                diagnostics.push(
                    severity,
                    &site.doc(variant).source.path,
                    Some(position),
                    message,
                    hint,
                );
            }
        }
    }
    site.report_removed_content(diagnostics);
    match crate::render::static_files::scriptable_svgs(site) {
        Ok(errors) => errors.into_iter().for_each(|e| diagnostics.push_error(e)),
        Err(error) => diagnostics.push_error(error),
    }
    for doc in &site.docs {
        check_main_image(site, &targets, doc, diagnostics);
        check_headings(doc, diagnostics);
        check_raw_html(doc, diagnostics);
        check_image_alt(doc, diagnostics);
    }
    check_locale_keys(site, diagnostics);
    crate::render::loudspeaker::check_lengths(site, diagnostics);
    crate::render::loudspeaker::check_spoken_parts(site, diagnostics);
    characters::check_control_characters(site, diagnostics);
    glossary::check_translations(site, diagnostics);
    unfinished_pages(site, Severity::Error, diagnostics);
}

/// Pages that are not drafts but still hold the line `loa new` writes for their text, with
/// `severity` (an error for `loa check`, a warning for `loa build`).
pub fn unfinished_pages(site: &Site, severity: Severity, diagnostics: &mut Diagnostics) {
    let placeholders = [UiLang::Vi, UiLang::En].map(|lang| msg!("scaffold.body").render(lang));
    for doc in site.docs.iter().filter(|doc| !doc.front.draft) {
        let path = &doc.source.path;
        let Ok(text) = std::fs::read_to_string(site.config.root.join(path)) else { continue };
        let lines = text.lines().enumerate().skip(doc.body_line_offset);
        for (index, _) in lines.filter(|(_, line)| placeholders.iter().any(|p| line.trim() == p)) {
            let position = Some(Position::new(index + 1, 1));
            let hint = Some(msg!("check.placeholder.hint"));
            diagnostics.push(severity, path, position, msg!("check.placeholder"), hint);
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
}

/// Problems of the links and images of a page as shown in one language.
fn link_problems(
    site: &Site,
    targets: &Targets,
    variant: &Variant,
) -> Vec<(Position, Severity, Message, Option<Message>)> {
    let doc = site.doc(variant);
    let mut problems = Vec::new();
    for link in &doc.rendered.links {
        let problem = match resolve(site, doc, variant.lang, &link.destination) {
            Target::Url(url) => check_url(site, targets, doc, &url),
            Target::Broken(reason) => Some((Severity::Error, reason, None)),
            Target::Phone(number) => check_phone(site, &number),
            Target::External => check_external(&link.destination),
        };
        if let Some((severity, message, hint)) = problem {
            problems.push((link.position, severity, message, hint));
        }
    }
    for image in &doc.rendered.images {
        let missing = match resolve(site, doc, variant.lang, &image.destination) {
            Target::Url(url) => {
                !targets.files.contains(url.split(['#', '?']).next().unwrap_or_default())
            }
            Target::Broken(_) => true,
            Target::Phone(_) | Target::External => false,
        };
        if missing {
            let hint = msg!("check.image_missing.hint");
            problems.push((
                image.position,
                Severity::Error,
                msg!("check.image_missing", image = &image.destination),
                Some(hint),
            ));
        }
    }
    problems
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

type Problem = Option<(Severity, Message, Option<Message>)>;

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
        return Some((
            Severity::Error,
            msg!("check.link_nowhere", url = url),
            Some(msg!("check.link_nowhere.hint")),
        ));
    };
    match (anchor, target_doc) {
        (Some(anchor), Some(target)) if !anchor.is_empty() && !has_anchor(target, anchor) => {
            Some((
                Severity::Error,
                msg!("check.no_anchor", anchor = anchor, page = target.source.path.display()),
                Some(anchor_hint(target)),
            ))
        }
        _ => None,
    }
}

fn has_anchor(doc: &Doc, anchor: &str) -> bool {
    doc.rendered.headings.iter().any(|h| h.id == anchor)
        || doc.rendered.html.contains(&format!("id=\"{anchor}\""))
}

fn anchor_hint(doc: &Doc) -> Message {
    let ids: Vec<&str> = doc.rendered.headings.iter().map(|h| h.id.as_str()).collect();
    if ids.is_empty() {
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
        Severity::Warning,
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
            Severity::Error,
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
fn check_main_image(site: &Site, targets: &Targets, doc: &Doc, diagnostics: &mut Diagnostics) {
    let Some(image) = doc.front.image.as_deref() else { return };
    let missing = match resolve(site, doc, doc.source.lang, image) {
        Target::Url(url) => {
            let path = url.split(['#', '?']).next().unwrap_or_default();
            let unprefixed = path.strip_prefix(site.base_path.as_str()).unwrap_or(path);
            !targets.files.contains(path) && !site.images.contains(unprefixed)
        }
        Target::Broken(_) => true,
        Target::Phone(_) | Target::External => false,
    };
    if missing {
        let message = msg!("check.image_missing", image = image);
        let hint = Some(msg!("check.image_missing.hint"));
        diagnostics.push(Severity::Error, &doc.source.path, doc.front.image_at, message, hint);
    }
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
    let site = match Site::load(root, options, &mut diagnostics) {
        Ok(site) => site,
        Err(error) => {
            diagnostics.push_error(error);
            return diagnostics;
        }
    };
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
    let site = match Site::load(root, options, &mut diagnostics) {
        Ok(site) => site,
        Err(error) => {
            diagnostics.push_error(error);
            return diagnostics;
        }
    };
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
    let web = crate::render::web::Web::new(site)?;
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
