//! The studio at `/_studio/`: a small editor built into `loa serve` for people who never wrote
//! YAML. It lists the pages with their state in each language, edits a page's front matter as a
//! form and its body as text, and saves only that file, keeping every byte the form does not
//! show. Its page, styles, script and interface text are embedded files of this folder.
//!
//! Who may use it is decided in [`access`]; what it may touch, in [`files`].

pub mod access;
pub mod campaign;
pub mod files;
pub mod front;
pub mod pages;
pub mod photos;
pub mod preview;
pub mod rename;
pub mod shortcodes;
pub mod translate;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::Uri;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::base::error::Error;
use crate::base::messages::UiLang;

/// Where the studio is served.
pub const PREFIX: &str = "/_studio/";

const PAGE: &str = include_str!("assets/index.html");
const SCRIPT: &str = include_str!("assets/studio.js");
const STYLE: &str = include_str!("assets/studio.css");
const LOCALE: &str = include_str!("assets/locale.json");

/// Where photos are uploaded (a larger body than other requests is taken there).
pub const PHOTO_PATH: &str = "/_studio/api/photo";

/// The header naming the interface language of a request (`vi` or `en`).
const LANG_HEADER: &str = "x-loa-lang";

/// What the page list's last answer was made from: the changes seen, the language, the minute.
type Answered = (pages::Changes, UiLang, i64);

/// What the studio's handlers share.
#[derive(Clone)]
pub struct Studio {
    inner: Arc<Inner>,
}

struct Inner {
    root: PathBuf,
    /// The site's output folder, which Publish builds into.
    out: PathBuf,
    access: access::Access,
    lang: UiLang,
    /// Held while a save reads, compares and replaces a file.
    saving: Mutex<()>,
    /// How many files the studio wrote, moved or removed (the page list looks again after each).
    writes: std::sync::atomic::AtomicU64,
    /// The page list, kept between requests, with the last answer and what it was made from
    /// (the changes seen, the language and the minute, which decides the scheduled and expired).
    listing: Mutex<(pages::Cache, Option<(Answered, axum::body::Bytes)>)>,
    /// What `loa check` found, with the changes it was found after.
    found: Mutex<Option<(pages::Changes, Arc<pages::Problems>)>>,
    /// The site as the preview renders it.
    previews: preview::Previews,
    /// The builds of `loa serve`, after which the preview loads the site again.
    shared: Arc<super::Shared>,
}

impl Studio {
    /// The studio of the site in `root` (built into `out`); `local` when `loa serve` listens
    /// on loopback only.
    pub fn new(
        (root, out): (&Path, &Path),
        local: bool,
        lang: UiLang,
        shared: Arc<super::Shared>,
    ) -> std::io::Result<Studio> {
        let inner = Inner {
            root: root.to_path_buf(),
            out: out.to_path_buf(),
            access: access::Access::new(local)?,
            lang,
            saving: Mutex::new(()),
            writes: Default::default(),
            listing: Mutex::default(),
            found: Mutex::default(),
            previews: preview::Previews::new(out),
            shared,
        };
        let studio = Studio { inner: Arc::new(inner) };
        studio.prepare();
        Ok(studio)
    }

    /// Fills the page list and loads the preview's copy of the site in the background, so that
    /// neither waits for a whole read of the site when first asked for.
    fn prepare(&self) {
        let studio = self.clone();
        std::thread::spawn(move || {
            let now = chrono::Utc::now().with_timezone(&crate::base::dates::default_offset());
            let changes = studio.changes();
            let mut cache = studio.inner.listing.lock().unwrap_or_else(|e| e.into_inner());
            let _ = pages::list(&studio.inner.root, now, studio.inner.lang, &mut cache.0, changes);
            drop(cache);
            let _ = studio.inner.previews.prepare(&studio.inner.root, &studio.inner.shared);
        });
    }

    /// The changes to the site seen so far: the builds of `loa serve`, the studio's writes.
    fn changes(&self) -> pages::Changes {
        let writes = self.inner.writes.load(std::sync::atomic::Ordering::SeqCst);
        (self.inner.shared.snapshot().0, writes)
    }

    /// Notes that the studio wrote, moved or removed a file.
    fn wrote(&self) {
        self.inner.writes.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    /// The address to open: with the one-time secret when it listens beyond loopback.
    pub fn link(&self, address: std::net::SocketAddr) -> String {
        match self.inner.access.link_secret() {
            Some(secret) => format!("http://{address}{PREFIX}?{}={secret}", access::KEY_PARAM),
            None => format!("http://{address}{PREFIX}"),
        }
    }
}

/// The studio's routes, to be merged into the preview's router (behind its `Host` guard).
pub fn router(studio: Studio) -> Router {
    Router::new()
        .route("/_studio", get(|| async { redirect(PREFIX) }))
        .route(PREFIX, get(index))
        .route(
            "/_studio/studio.js",
            get(|s, h| asset(s, h, SCRIPT, "text/javascript; charset=utf-8")),
        )
        .route("/_studio/studio.css", get(|s, h| asset(s, h, STYLE, "text/css; charset=utf-8")))
        .route("/_studio/locale.json", get(|s, h| asset(s, h, LOCALE, "application/json")))
        .route("/_studio/api/pages", get(list_pages))
        .route("/_studio/api/problems", get(list_problems))
        .route("/_studio/api/materials", get(list_materials))
        .route("/_studio/api/shortcodes", get(list_shortcodes))
        .route("/_studio/api/file", get(open_file))
        .route("/_studio/api/save", post(save_file))
        .route("/_studio/api/new", post(new_page))
        .route("/_studio/api/preview", post(render_preview))
        .route("/_studio/api/fits", post(check_print))
        .route("/_studio/api/publish", post(publish))
        .route("/_studio/api/links", get(links_to))
        .route(
            PHOTO_PATH,
            post(upload_photo).layer(axum::extract::DefaultBodyLimit::max(photos::MAX_BYTES + 1)),
        )
        .route("/_studio/api/delete", post(delete_page))
        .route("/_studio/api/rename", post(rename_page))
        .route("/_studio/api/translate", get(translation_view))
        .route("/_studio/api/translate/start", post(start_translation))
        .route("/_studio/api/translate/stamp", post(stamp_translation))
        .route("/_studio/preview", get(preview_page))
        .with_state(studio)
}

/// The studio page, with the session token; 403 without admission, and a redirect that sets
/// the cookie (and takes the secret out of the address bar) for the one-time link.
async fn index(State(studio): State<Studio>, headers: HeaderMap, uri: Uri) -> Response {
    let key = query_param(&uri, access::KEY_PARAM);
    match studio.inner.access.admit(&headers, key.as_deref()) {
        access::Admission::Refused => forbidden(&studio, &headers),
        access::Admission::Granted(cookie) => {
            let mut response = redirect(PREFIX);
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            response
        }
        access::Admission::Admitted => {
            let lang = match studio.inner.lang {
                UiLang::Vi => "vi",
                UiLang::En => "en",
            };
            let page =
                PAGE.replace("{{TOKEN}}", studio.inner.access.token()).replace("{{LANG}}", lang);
            let mut response =
                ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response();
            secure(&mut response);
            response
        }
    }
}

/// One of the embedded files, to an admitted browser.
async fn asset(
    State(studio): State<Studio>,
    headers: HeaderMap,
    body: &'static str,
    kind: &'static str,
) -> Response {
    if studio.inner.access.admit(&headers, None) != access::Admission::Admitted {
        return forbidden(&studio, &headers);
    }
    ([(header::CONTENT_TYPE, kind)], body).into_response()
}

/// Every page with its state in each language.
async fn list_pages(State(studio): State<Studio>, headers: HeaderMap) -> Response {
    if studio.inner.access.admit(&headers, None) != access::Admission::Admitted {
        return forbidden(&studio, &headers);
    }
    let lang = lang_of(&studio, &headers);
    let worker = studio.clone();
    let listed = tokio::task::spawn_blocking(move || -> crate::base::error::Result<_> {
        let now = chrono::Utc::now().with_timezone(&crate::base::dates::default_offset());
        let changes = worker.changes();
        let mut cache = worker.inner.listing.lock().unwrap_or_else(|e| e.into_inner());
        let key = (changes, lang, now.timestamp() / 60);
        if let Some((_, json)) = cache.1.as_ref().filter(|(seen, _)| *seen == key) {
            return Ok(json.clone());
        }
        let listing = pages::list(&worker.inner.root, now, lang, &mut cache.0, changes)?;
        let json = axum::body::Bytes::from(serde_json::to_vec(&listing).unwrap_or_default());
        cache.1 = Some((key, json.clone()));
        Ok(json)
    })
    .await;
    match listed {
        Ok(Ok(listing)) => {
            (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], listing).into_response()
        }
        Ok(Err(error)) => problem(StatusCode::INTERNAL_SERVER_ERROR, &error, lang),
        Err(_) => plain_status(StatusCode::INTERNAL_SERVER_ERROR),
    }
}

/// What `loa check` finds, per source file (slower than the list, so asked for after it).
async fn list_problems(State(studio): State<Studio>, headers: HeaderMap) -> Response {
    if studio.inner.access.admit(&headers, None) != access::Admission::Admitted {
        return forbidden(&studio, &headers);
    }
    let lang = lang_of(&studio, &headers);
    let worker = studio.clone();
    let found = tokio::task::spawn_blocking(move || {
        let changes = worker.changes();
        let mut kept = worker.inner.found.lock().unwrap_or_else(|e| e.into_inner());
        let (root, shared) = (&worker.inner.root, &worker.inner.shared);
        let again = match kept.as_ref() {
            Some((seen, found)) if *seen == changes => return found.clone(),
            Some((seen, found)) => shared.pages_changed_since(seen.0).and_then(|pages| {
                let checked =
                    |site: &crate::model::Site| found.with_pages_checked_again(site, &pages);
                worker.inner.previews.with_site(root, shared, checked).ok()
            }),
            None => None,
        };
        let found = Arc::new(again.unwrap_or_else(|| {
            let now = chrono::Utc::now().with_timezone(&crate::base::dates::default_offset());
            pages::problems(root, now)
        }));
        *kept = Some((changes, found.clone()));
        found
    })
    .await;
    match found {
        Ok(found) => json(StatusCode::OK, &found.in_lang(lang)),
        Err(_) => plain_status(StatusCode::INTERNAL_SERVER_ERROR),
    }
}

/// The materials of each published version, from the build's plan (asked for after the list).
async fn list_materials(State(studio): State<Studio>, headers: HeaderMap) -> Response {
    if studio.inner.access.admit(&headers, None) != access::Admission::Admitted {
        return forbidden(&studio, &headers);
    }
    let lang = lang_of(&studio, &headers);
    let worker = studio.clone();
    let found = tokio::task::spawn_blocking(move || {
        worker.inner.previews.materials(&worker.inner.root, &worker.inner.shared)
    })
    .await;
    match found {
        Ok(Ok(found)) => json(StatusCode::OK, &found),
        Ok(Err(error)) => problem(StatusCode::UNPROCESSABLE_ENTITY, &error, lang),
        Err(_) => plain_status(StatusCode::INTERNAL_SERVER_ERROR),
    }
}

/// The theme's shortcodes with their arguments, for the toolbar's forms.
async fn list_shortcodes(State(studio): State<Studio>, headers: HeaderMap) -> Response {
    if studio.inner.access.admit(&headers, None) != access::Admission::Admitted {
        return forbidden(&studio, &headers);
    }
    let lang = lang_of(&studio, &headers);
    match shortcodes::list(&studio.inner.root) {
        Ok(list) => json(StatusCode::OK, &list),
        Err(error) => problem(StatusCode::INTERNAL_SERVER_ERROR, &error, lang),
    }
}

/// A page's form fields, body and version.
async fn open_file(State(studio): State<Studio>, headers: HeaderMap, uri: Uri) -> Response {
    if studio.inner.access.admit(&headers, None) != access::Admission::Admitted {
        return forbidden(&studio, &headers);
    }
    let lang = lang_of(&studio, &headers);
    let Some(path) = query_param(&uri, "path") else {
        return plain_status(StatusCode::BAD_REQUEST);
    };
    let query = FileQuery { path };
    let file = match files::page_path(&studio.inner.root, &query.path) {
        Ok(file) => file,
        Err(refusal) => return refused(&refusal, &query.path, lang),
    };
    let shown = Path::new(&query.path);
    let bytes = match std::fs::read(&file) {
        Ok(bytes) => bytes,
        Err(e) => {
            let error = crate::base::encoding::unreadable(shown, &e);
            return problem(StatusCode::NOT_FOUND, &error, lang);
        }
    };
    let text = String::from_utf8_lossy(&bytes);
    match front::open(&text, shown) {
        Ok(opened) => json(
            StatusCode::OK,
            &serde_json::json!({
                "path": query.path,
                "version": files::version(&bytes),
                "fields": opened.fields,
                "body": opened.body,
                "text": opened.text,
            }),
        ),
        Err(error) => problem(StatusCode::UNPROCESSABLE_ENTITY, &error, lang),
    }
}

/// A save: the file, the version the writer opened, and what changed.
#[derive(Deserialize)]
struct SaveRequest {
    path: String,
    version: String,
    #[serde(flatten)]
    changes: front::Changes,
}

/// The writer's language and the JSON body of a request that changes something; a refusal
/// (403 without the token or from another origin, 400 for a body that is not the request).
fn change_request<T: serde::de::DeserializeOwned>(
    studio: &Studio,
    headers: &HeaderMap,
    body: &[u8],
) -> std::result::Result<(UiLang, T), Box<Response>> {
    if !studio.inner.access.allows_change(headers) {
        return Err(Box::new(forbidden(studio, headers)));
    }
    let lang = lang_of(studio, headers);
    let request = serde_json::from_slice(body)
        .map_err(|_| Box::new(plain_status(StatusCode::BAD_REQUEST)))?;
    Ok((lang, request))
}

/// Writes the changes into the file when it is still the version the writer opened; else 409
/// with the file as it is now, and nothing written.
async fn save_file(
    State(studio): State<Studio>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let (lang, request) = match change_request::<SaveRequest>(&studio, &headers, &body) {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let file = match files::page_path(&studio.inner.root, &request.path) {
        Ok(file) => file,
        Err(refusal) => return refused(&refusal, &request.path, lang),
    };
    let shown = PathBuf::from(&request.path);
    let _saving = studio.inner.saving.lock().unwrap_or_else(|e| e.into_inner());
    let current = match std::fs::read(&file) {
        Ok(bytes) => bytes,
        Err(e) => {
            return problem(
                StatusCode::NOT_FOUND,
                &crate::base::encoding::unreadable(&shown, &e),
                lang,
            );
        }
    };
    if files::version(&current) != request.version {
        return conflict(&current);
    }
    let Ok(original) = std::str::from_utf8(&current) else {
        let error = Error::at(&shown, None, msg!("studio.not_utf8"))
            .with_hint(msg!("studio.not_utf8.hint"));
        return problem(StatusCode::UNPROCESSABLE_ENTITY, &error, lang);
    };
    let edited = match front::apply(original, &request.changes, &shown) {
        Ok(edited) => edited,
        Err(error) => return problem(StatusCode::UNPROCESSABLE_ENTITY, &error, lang),
    };
    match files::save(&file, &shown, edited.as_bytes(), Some(&request.version)) {
        Ok(files::Saved::Written(version)) => {
            studio.wrote();
            json(StatusCode::OK, &serde_json::json!({ "version": version }))
        }
        Ok(files::Saved::Conflict(now)) => conflict(&now),
        Err(error) => problem(StatusCode::INTERNAL_SERVER_ERROR, &error, lang),
    }
}

/// Renders the page from the writer's unsaved changes, in memory; answers the problems found
/// at their lines (the page itself is fetched from [`preview_page`]).
async fn render_preview(
    State(studio): State<Studio>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    unsaved_problems(studio, &headers, &body, preview::Previews::render).await
}

/// Lays out the page's printed editions from the writer's unsaved changes, in memory, and
/// answers what stops them (a leaflet whose text no longer fits its layout).
async fn check_print(
    State(studio): State<Studio>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    unsaved_problems(studio, &headers, &body, preview::Previews::fits).await
}

/// What `ask` finds in the page of a preview request with the writer's unsaved changes
/// applied, as the answer of [`render_preview`] and [`check_print`].
async fn unsaved_problems(
    studio: Studio,
    headers: &HeaderMap,
    body: &[u8],
    ask: UnsavedCheck,
) -> Response {
    let (lang, request) = match change_request::<PreviewRequest>(&studio, headers, body) {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let file = match files::page_path(&studio.inner.root, &request.path) {
        Ok(file) => file,
        Err(refusal) => return refused(&refusal, &request.path, lang),
    };
    let worker = studio.clone();
    let found = tokio::task::spawn_blocking(move || {
        let shown = PathBuf::from(&request.path);
        let original = crate::base::encoding::read_source(&file, &shown)?;
        let text = front::apply(&original, &request.changes, &shown)?;
        let (root, shared) = (&worker.inner.root, &worker.inner.shared);
        ask(&worker.inner.previews, root, &request.path, &text, shared, lang)
    })
    .await;
    match found {
        Ok(Ok(problems)) => json(StatusCode::OK, &serde_json::json!({ "problems": problems })),
        Ok(Err(error)) => problem(StatusCode::UNPROCESSABLE_ENTITY, &error, lang),
        Err(_) => plain_status(StatusCode::INTERNAL_SERVER_ERROR),
    }
}

/// A look at a page's unsaved text by the studio's previews: the preview or the print layout.
type UnsavedCheck = fn(
    &preview::Previews,
    &Path,
    &str,
    &str,
    &crate::commands::serve::Shared,
    UiLang,
) -> crate::base::error::Result<Vec<preview::Problem>>;

/// Publish: a full `loa build` of the site into its output folder (drafts left out), answering
/// its summary and warnings, or its error, in the request's language.
async fn publish(State(studio): State<Studio>, headers: HeaderMap) -> Response {
    if !studio.inner.access.allows_change(&headers) {
        return forbidden(&studio, &headers);
    }
    let lang = lang_of(&studio, &headers);
    let worker = studio.clone();
    let built = tokio::task::spawn_blocking(move || {
        let options = crate::model::BuildOptions {
            drafts: false,
            now: chrono::Utc::now().with_timezone(&crate::base::dates::default_offset()),
            base_url: None,
            bleed: false,
            untrusted_authors: true,
        };
        crate::commands::build::build(&worker.inner.root, &worker.inner.out, &options)
    })
    .await;
    match built {
        Ok(Ok(report)) => {
            let summary = summary(&report, &studio.inner.out, lang);
            let warnings: Vec<String> =
                report.diagnostics.sorted().iter().map(|d| d.render(lang)).collect();
            json(StatusCode::OK, &serde_json::json!({ "summary": summary, "warnings": warnings }))
        }
        Ok(Err(error)) => problem(StatusCode::UNPROCESSABLE_ENTITY, &error, lang),
        Err(_) => plain_status(StatusCode::INTERNAL_SERVER_ERROR),
    }
}

/// A build's summary, as `loa build` prints it.
fn summary(report: &crate::commands::build::BuildReport, out: &Path, lang: UiLang) -> String {
    let languages: Vec<String> = report
        .pages
        .iter()
        .map(|(code, translated, fallback)| {
            msg!("cli.language_pages", code = code, translated = translated, fallback = fallback)
                .render(lang)
        })
        .collect();
    msg!(
        "cli.built",
        files = report.files,
        ms = report.elapsed.as_millis(),
        languages = languages.join(", "),
        scripts = report.scripts,
        out = out.display()
    )
    .render(lang)
}

/// The translation of a source into a language, as the studio names it.
#[derive(Deserialize)]
struct TranslationRequest {
    source: String,
    lang: String,
}

/// The source and translation files of a request, checked: the source exists in `content/`,
/// the language is one of the site's others, and the translation is where loa looks for it.
fn translation_files(
    root: &Path,
    request: &TranslationRequest,
    lang: UiLang,
) -> std::result::Result<(PathBuf, PathBuf), Box<Response>> {
    let source = files::page_path(root, &request.source)
        .map_err(|refusal| Box::new(refused(&refusal, &request.source, lang)))?;
    let config = crate::load::config::Config::load(root)
        .map_err(|error| Box::new(problem(StatusCode::INTERNAL_SERVER_ERROR, &error, lang)))?;
    let known = config.languages.iter().skip(1).any(|l| l.code == request.lang);
    let translation =
        crate::commands::i18n::translation_path(Path::new(&request.source), &request.lang);
    let raw = translation.to_string_lossy().into_owned();
    if !known || !source.is_file() {
        return Err(Box::new(refused(&crate::base::paths::Refusal::Parent, &raw, lang)));
    }
    files::page_path(root, &raw).map_err(|refusal| Box::new(refused(&refusal, &raw, lang)))?;
    Ok((PathBuf::from(&request.source), translation))
}

/// The source and its translation side by side, block by block.
async fn translation_view(State(studio): State<Studio>, headers: HeaderMap, uri: Uri) -> Response {
    if studio.inner.access.admit(&headers, None) != access::Admission::Admitted {
        return forbidden(&studio, &headers);
    }
    let lang = lang_of(&studio, &headers);
    let (Some(source), Some(code)) = (query_param(&uri, "source"), query_param(&uri, "lang"))
    else {
        return plain_status(StatusCode::BAD_REQUEST);
    };
    let request = TranslationRequest { source, lang: code };
    let (source, translation) = match translation_files(&studio.inner.root, &request, lang) {
        Ok(found) => found,
        Err(response) => return *response,
    };
    match translate::view(&studio.inner.root, &source, &translation) {
        Ok(view) => json(
            StatusCode::OK,
            &serde_json::json!({ "path": translation.to_string_lossy(), "view": view }),
        ),
        Err(error) => problem(StatusCode::UNPROCESSABLE_ENTITY, &error, lang),
    }
}

/// Writes a missing translation's first text (the source's structure, no text, a draft).
async fn start_translation(
    State(studio): State<Studio>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let (lang, request) = match change_request::<TranslationRequest>(&studio, &headers, &body) {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let root = &studio.inner.root;
    let (source, translation) = match translation_files(root, &request, lang) {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let made = crate::base::encoding::read_source(&root.join(&source), &source)
        .and_then(|text| translate::skeleton(&text, &source));
    let text = match made {
        Ok(text) => text,
        Err(error) => return problem(StatusCode::UNPROCESSABLE_ENTITY, &error, lang),
    };
    let _saving = studio.inner.saving.lock().unwrap_or_else(|e| e.into_inner());
    match files::save(&root.join(&translation), &translation, text.as_bytes(), None) {
        Ok(files::Saved::Written(version)) => {
            studio.wrote();
            json(
                StatusCode::CREATED,
                &serde_json::json!({ "path": translation.to_string_lossy(), "version": version }),
            )
        }
        Ok(files::Saved::Conflict(_)) => {
            let error = Error::at(&translation, None, msg!("studio.exists"))
                .with_hint(msg!("studio.exists.hint"));
            problem(StatusCode::CONFLICT, &error, lang)
        }
        Err(error) => problem(StatusCode::INTERNAL_SERVER_ERROR, &error, lang),
    }
}

/// "Mark as up to date": stamps the translation as `loa i18n stamp` does.
async fn stamp_translation(
    State(studio): State<Studio>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let (lang, request) = match change_request::<TranslationRequest>(&studio, &headers, &body) {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let (_, translation) = match translation_files(&studio.inner.root, &request, lang) {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let worker = studio.clone();
    let stamped = tokio::task::spawn_blocking(move || {
        let root = &worker.inner.root;
        let options = crate::model::BuildOptions {
            drafts: true,
            now: chrono::Utc::now().with_timezone(&crate::base::dates::default_offset()),
            base_url: None,
            bleed: false,
            untrusted_authors: true,
        };
        let site = crate::model::Site::load(root, &options, &mut Default::default())?;
        let _saving = worker.inner.saving.lock().unwrap_or_else(|e| e.into_inner());
        crate::commands::i18n::stamp_file(&site, &root.join(&translation))
    })
    .await;
    match stamped {
        Ok(Ok(stamp)) => {
            studio.wrote();
            json(StatusCode::OK, &serde_json::json!({ "stamp": stamp }))
        }
        Ok(Err(error)) => problem(StatusCode::UNPROCESSABLE_ENTITY, &error, lang),
        Err(_) => plain_status(StatusCode::INTERNAL_SERVER_ERROR),
    }
}

/// What the preview renders: the file and the unsaved changes.
#[derive(Deserialize)]
struct PreviewRequest {
    path: String,
    #[serde(flatten)]
    changes: front::Changes,
}

/// The last preview of a file, for the preview frame.
async fn preview_page(State(studio): State<Studio>, headers: HeaderMap, uri: Uri) -> Response {
    if studio.inner.access.admit(&headers, None) != access::Admission::Admitted {
        return forbidden(&studio, &headers);
    }
    let page = query_param(&uri, "path").and_then(|path| studio.inner.previews.page(&path));
    match page {
        Some(html) => ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response(),
        None => plain_status(StatusCode::NOT_FOUND),
    }
}

/// A photo for a page (`?page=content/…&name=…`, the photo as the body): cleaned of every
/// metadata block, turned upright and stored in the page's folder.
async fn upload_photo(
    State(studio): State<Studio>,
    headers: HeaderMap,
    uri: Uri,
    body: axum::body::Bytes,
) -> Response {
    if !studio.inner.access.allows_change(&headers) {
        return forbidden(&studio, &headers);
    }
    let lang = lang_of(&studio, &headers);
    let (Some(page), Some(name)) = (query_param(&uri, "page"), query_param(&uri, "name")) else {
        return plain_status(StatusCode::BAD_REQUEST);
    };
    if body.len() > photos::MAX_BYTES {
        return plain_status(StatusCode::PAYLOAD_TOO_LARGE);
    }
    match files::page_path(&studio.inner.root, &page) {
        Ok(file) if file.is_file() => {}
        Ok(_) => return plain_status(StatusCode::NOT_FOUND),
        Err(refusal) => return refused(&refusal, &page, lang),
    }
    let worker = studio.clone();
    let stored = tokio::task::spawn_blocking(move || {
        let _saving = worker.inner.saving.lock().unwrap_or_else(|e| e.into_inner());
        photos::store(&worker.inner.root, &page, &name, &body)
    })
    .await;
    match stored {
        Ok(Ok(stored)) => {
            studio.wrote();
            json(StatusCode::CREATED, &stored)
        }
        Ok(Err(error)) => problem(StatusCode::UNSUPPORTED_MEDIA_TYPE, &error, lang),
        Err(_) => plain_status(StatusCode::INTERNAL_SERVER_ERROR),
    }
}

/// The pages that link to a page, shown before it is deleted.
async fn links_to(State(studio): State<Studio>, headers: HeaderMap, uri: Uri) -> Response {
    if studio.inner.access.admit(&headers, None) != access::Admission::Admitted {
        return forbidden(&studio, &headers);
    }
    let lang = lang_of(&studio, &headers);
    let Some(path) = query_param(&uri, "path") else {
        return plain_status(StatusCode::BAD_REQUEST);
    };
    if let Err(refusal) = files::page_path(&studio.inner.root, &path) {
        return refused(&refusal, &path, lang);
    }
    json(StatusCode::OK, &files::linking_pages(&studio.inner.root, &path))
}

/// A deletion: the file and the version the writer saw when confirming.
#[derive(Deserialize)]
struct DeleteRequest {
    path: String,
    version: String,
}

/// Deletes one page file, if it is still the version the writer confirmed deleting.
async fn delete_page(
    State(studio): State<Studio>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let (lang, request) = match change_request::<DeleteRequest>(&studio, &headers, &body) {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let file = match files::page_path(&studio.inner.root, &request.path) {
        Ok(file) => file,
        Err(refusal) => return refused(&refusal, &request.path, lang),
    };
    let shown = PathBuf::from(&request.path);
    let _saving = studio.inner.saving.lock().unwrap_or_else(|e| e.into_inner());
    match files::delete(&file, &shown, &request.version) {
        Ok(true) => {
            studio.wrote();
            json(StatusCode::OK, &serde_json::json!({ "deleted": request.path }))
        }
        Ok(false) => match std::fs::read(&file) {
            Ok(now) => conflict(&now),
            Err(e) => {
                problem(StatusCode::NOT_FOUND, &crate::base::encoding::unreadable(&shown, &e), lang)
            }
        },
        Err(error) => problem(StatusCode::NOT_FOUND, &error, lang),
    }
}

/// A rename: the file, the version the writer saw, and the new file name.
#[derive(Deserialize)]
struct RenameRequest {
    path: String,
    version: String,
    slug: String,
}

/// Moves a page (every language version) to a new file name, each version keeping its old
/// address in its `aliases`; 409 when the new name is taken or the file changed on disk.
async fn rename_page(
    State(studio): State<Studio>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let (lang, request) = match change_request::<RenameRequest>(&studio, &headers, &body) {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let file = match files::page_path(&studio.inner.root, &request.path) {
        Ok(file) => file,
        Err(refusal) => return refused(&refusal, &request.path, lang),
    };
    let slug = crate::base::text::slugify(request.slug.trim());
    if slug.is_empty() {
        let error = Error::at(&request.path, None, msg!("studio.no_name"))
            .with_hint(msg!("studio.no_name.hint"));
        return problem(StatusCode::UNPROCESSABLE_ENTITY, &error, lang);
    }
    let worker = studio.clone();
    let renamed = tokio::task::spawn_blocking(move || {
        let _saving = worker.inner.saving.lock().unwrap_or_else(|e| e.into_inner());
        let current = std::fs::read(&file)
            .map_err(|e| crate::base::encoding::unreadable(Path::new(&request.path), &e))?;
        if files::version(&current) != request.version {
            return Ok(Err(current));
        }
        rename_files(&worker, &request.path, &slug).map(Ok)
    })
    .await;
    match renamed {
        Ok(Ok(Ok(renamed))) => {
            studio.wrote();
            json(StatusCode::OK, &renamed)
        }
        Ok(Ok(Err(current))) => conflict(&current),
        Ok(Err(error)) => problem(StatusCode::CONFLICT, &error, lang),
        Err(_) => plain_status(StatusCode::INTERNAL_SERVER_ERROR),
    }
}

/// Moves the versions of the page at `page` to `slug`, adding each one's old address to its
/// aliases (a draft, never published, keeps none).
fn rename_files(
    studio: &Studio,
    page: &str,
    slug: &str,
) -> crate::base::error::Result<rename::Renamed> {
    let root = &studio.inner.root;
    let (moves, folder) = rename::plan(root, page, slug)?;
    for one in &moves {
        let raw = one.to.to_string_lossy().replace('\\', "/");
        if let Err(refusal) = files::page_path(root, &raw) {
            return Err(Error::at(&raw, None, refusal.message(&raw)).with_hint(refusal.hint()));
        }
    }
    let found = studio.inner.previews.with_site(root, &studio.inner.shared, |site| {
        moves.iter().map(|one| own_address(site, &one.from)).collect::<Vec<_>>()
    })?;
    let mut texts = Vec::new();
    let mut aliases = Vec::new();
    for (one, found) in moves.iter().zip(found) {
        let bytes = std::fs::read(root.join(&one.from))
            .map_err(|e| crate::base::encoding::unreadable(&one.from, &e))?;
        let Ok(original) = String::from_utf8(bytes) else {
            return Err(Error::at(&one.from, None, msg!("studio.not_utf8"))
                .with_hint(msg!("studio.not_utf8.hint")));
        };
        match found {
            Some((address, kept, has_slug)) => {
                let slug = has_slug.then_some(slug);
                texts.push(rename::with_alias(&original, &kept, &address, slug, &one.from)?);
                aliases.push(address);
            }
            None => texts.push(original),
        }
    }
    rename::apply(root, &moves, folder.as_ref(), &texts)?;
    let relinked = rename::relink(root, &moves)?;
    let shown = |p: &Path| p.to_string_lossy().replace('\\', "/");
    let path = moves
        .iter()
        .find(|m| shown(&m.from) == page)
        .map_or_else(|| page.to_owned(), |m| shown(&m.to));
    let moved = moves.iter().map(|m| (shown(&m.from), shown(&m.to))).collect();
    Ok(rename::Renamed { path, moved, aliases, relinked })
}

/// The address of the published version read from `path`, with its aliases and whether it
/// has a `slug:`; `None` for a draft or a file the site does not show.
fn own_address(site: &crate::model::Site, path: &Path) -> Option<(String, Vec<String>, bool)> {
    let doc = site.doc_at(path)?;
    let front = &site.docs[doc].front;
    if front.draft {
        return None;
    }
    let variants = site.variants_showing(doc)?;
    let own = variants.iter().flatten().find(|v| v.translated && v.doc == doc)?;
    let kept = front.aliases.iter().map(|(a, _)| a.clone()).collect();
    Some((own.path.clone(), kept, front.slug.is_some()))
}

/// A new page: its section, its title (with its diacritics), its file name, its kind (`page`,
/// `article`, `leaflet`, `poster` or `campaign`) and, for a campaign, its day (`30/7/2025`).
#[derive(Deserialize)]
struct NewRequest {
    section: String,
    title: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    day: String,
}

/// The kind of page `loa new` writes for a kind the studio names; `None` for a plain page,
/// which the studio writes with its title alone.
fn scaffold_kind(kind: &str) -> Option<crate::commands::scaffold::Kind> {
    use crate::commands::scaffold::Kind;
    match kind {
        "article" => Some(Kind::Page),
        "leaflet" => Some(Kind::Leaflet),
        "poster" => Some(Kind::Poster),
        "campaign" => Some(Kind::Campaign),
        _ => None,
    }
}

/// Makes a draft page in a section from its title, as `loa new` does for an article, a
/// leaflet, a poster or a campaign; 409 when the file exists.
async fn new_page(
    State(studio): State<Studio>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let (lang, request) = match change_request::<NewRequest>(&studio, &headers, &body) {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let title = request.title.trim();
    let slug = match request.slug.trim() {
        "" => crate::base::text::slugify(title),
        given => crate::base::text::slugify(given),
    };
    let section = request.section.trim_matches('/');
    let kind = scaffold_kind(&request.kind);
    let place = if section.is_empty() { slug.clone() } else { format!("{section}/{slug}") };
    let raw = match kind {
        Some(crate::commands::scaffold::Kind::Campaign) => format!("content/{place}/_index.md"),
        _ => format!("content/{place}.md"),
    };
    if title.is_empty() || slug.is_empty() {
        let error =
            Error::at(&raw, None, msg!("studio.no_title")).with_hint(msg!("studio.no_title.hint"));
        return problem(StatusCode::UNPROCESSABLE_ENTITY, &error, lang);
    }
    if kind == Some(crate::commands::scaffold::Kind::Campaign) && request.day.trim().is_empty() {
        let error = Error::at(&raw, None, msg!("studio.campaign_day"))
            .with_hint(msg!("studio.campaign_day.hint"));
        return problem(StatusCode::UNPROCESSABLE_ENTITY, &error, lang);
    }
    let file = match files::page_path(&studio.inner.root, &raw) {
        Ok(file) if studio.inner.root.join("content").join(section).is_dir() => file,
        Ok(_) => {
            let error = Error::at(&raw, None, msg!("studio.no_section", section = section))
                .with_hint(msg!("studio.no_section.hint"));
            return problem(StatusCode::BAD_REQUEST, &error, lang);
        }
        Err(refusal) => return refused(&refusal, &raw, lang),
    };
    let _saving = studio.inner.saving.lock().unwrap_or_else(|e| e.into_inner());
    if file.exists() || file.with_extension("").exists() {
        let error =
            Error::at(&raw, None, msg!("studio.exists")).with_hint(msg!("studio.exists.hint"));
        return problem(StatusCode::CONFLICT, &error, lang);
    }
    let made = match kind {
        Some(kind) => scaffold(&studio.inner.root, kind, (&place, title), request.day.trim()),
        None => {
            let quoted = serde_json::to_string(title).unwrap_or_default();
            let text = format!("---\ntitle: {quoted}\ndraft: true\n---\n\n");
            files::save(&file, Path::new(&raw), text.as_bytes(), None).map(|_| ())
        }
    };
    match made.and_then(|()| {
        std::fs::read(&file).map_err(|e| crate::base::encoding::unreadable(Path::new(&raw), &e))
    }) {
        Ok(bytes) => {
            studio.wrote();
            let version = files::version(&bytes);
            json(StatusCode::CREATED, &serde_json::json!({ "path": raw, "version": version }))
        }
        Err(error) => problem(StatusCode::UNPROCESSABLE_ENTITY, &error, lang),
    }
}

/// Writes a new draft of `kind` at `place` (under `content/`) with `title`, as `loa new` does.
fn scaffold(
    root: &Path,
    kind: crate::commands::scaffold::Kind,
    (place, title): (&str, &str),
    day: &str,
) -> crate::base::error::Result<()> {
    let config = crate::load::config::Config::load(root)?;
    let request = crate::commands::scaffold::NewPage {
        kind,
        path: Path::new(place),
        lang: None,
        title: Some(title),
        day: Some(day).filter(|d| !d.is_empty()),
    };
    let today = chrono::Utc::now().with_timezone(&crate::base::dates::default_offset());
    crate::commands::scaffold::new_page(&config, &request, today).map(|_| ())
}

/// The file a request names.
struct FileQuery {
    path: String,
}

/// A parameter of a request's query, percent-decoded (`None` when absent or not UTF-8).
fn query_param(uri: &Uri, name: &str) -> Option<String> {
    uri.query()?.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (key == name)
            .then(|| crate::base::percent::decode_utf8(value))
            .flatten()
            .map(|v| v.into_owned())
    })
}

/// 409 with the file as it is on disk now.
fn conflict(current: &[u8]) -> Response {
    let theirs = String::from_utf8_lossy(current).trim_start_matches('\u{feff}').to_owned();
    json(
        StatusCode::CONFLICT,
        &serde_json::json!({ "conflict": true, "theirs": theirs, "version": files::version(current) }),
    )
}

/// The interface language of a request: its header, else the server's.
fn lang_of(studio: &Studio, headers: &HeaderMap) -> UiLang {
    match headers.get(LANG_HEADER).and_then(|v| v.to_str().ok()) {
        Some(code) => UiLang::from_code(code),
        None => studio.inner.lang,
    }
}

/// 403 with the reason in the request's language.
fn forbidden(studio: &Studio, headers: &HeaderMap) -> Response {
    let text = msg!("studio.forbidden").render(lang_of(studio, headers));
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("{text}\n"),
    )
        .into_response()
}

/// 400 for a path outside the studio's folders.
fn refused(refusal: &crate::base::paths::Refusal, raw: &str, lang: UiLang) -> Response {
    let error = Error::at(raw, None, refusal.message(raw)).with_hint(refusal.hint());
    problem(StatusCode::BAD_REQUEST, &error, lang)
}

/// An error as JSON for the page to show.
fn problem(status: StatusCode, error: &Error, lang: UiLang) -> Response {
    json(status, &serde_json::json!({ "error": error.render(lang) }))
}

fn json(status: StatusCode, value: &impl serde::Serialize) -> Response {
    let body = serde_json::to_vec(value).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn plain_status(status: StatusCode) -> Response {
    (status, format!("{status}\n")).into_response()
}

fn redirect(to: &'static str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
}

/// Headers that keep the studio page out of frames and other sites' reach.
fn secure(response: &mut Response) {
    let headers = response.headers_mut();
    headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
    headers.insert(
        "content-security-policy",
        HeaderValue::from_static(
            "default-src 'self'; frame-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
        ),
    );
    headers.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
}
