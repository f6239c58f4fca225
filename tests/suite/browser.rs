//! The example site in a real browser: builds it, serves it on 127.0.0.1 from this test, and has
//! headless Chromium (Debian's `chromium`, driven by tests/browser/check.mjs with npm
//! `playwright-core` and `axe-core`) open every kind of page in every language at phone and
//! desktop sizes. Fails on serious or critical axe-core violations, sideways scrolling on phones,
//! a hotline `tel:` link missing from the first screen, layout shift, script errors and failed
//! requests. Screenshots go to target/browser-screenshots/.
//!
//! Needs `chromium` (or LOA_CHROMIUM=/path) and `npm ci` in tests/browser. Without them the test
//! is skipped with a message, unless the environment variable CI is set: then it fails.
//!
//! To check more pages or an interaction (typing in a search box…), add a `Check` to `checks()`
//! and, for an interaction, a function to tests/browser/interactions.mjs.

use crate::common;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{options_at, repo};

/// Phone (the theme's target) and desktop window sizes.
const VIEWPORTS: [[u32; 2]; 2] = [[360, 740], [1280, 800]];

/// The moment the example is built at: during the July campaign, so the home page features it.
const BUILD_AT: &str = "2024-07-20";

/// The new title of an article in the second build (the offline cache must take it).
const CHANGED_TITLE: &str = "Bài đã sửa sau lần dựng thứ nhất";

/// One page to open at every viewport.
struct Check {
    name: String,
    path: String,
    status: u16,
    interaction: Option<&'static str>,
    viewports: Vec<[u32; 2]>,
}

impl Check {
    fn new(name: impl Into<String>, path: impl Into<String>) -> Check {
        Check {
            name: name.into(),
            path: path.into(),
            status: 200,
            interaction: None,
            viewports: VIEWPORTS.to_vec(),
        }
    }

    fn with_status(mut self, status: u16) -> Check {
        self.status = status;
        self
    }

    /// Runs the named function of tests/browser/interactions.mjs after the checks.
    fn with_interaction(mut self, name: &'static str) -> Check {
        self.interaction = Some(name);
        self
    }

    /// Opens the page at phone size only.
    fn on_phone_only(mut self) -> Check {
        self.viewports = vec![VIEWPORTS[0]];
        self
    }

    fn plan(&self) -> serde_json::Value {
        serde_json::json!({
            "name": self.name,
            "path": self.path,
            "status": self.status,
            "viewports": self.viewports,
            "interaction": self.interaction,
        })
    }
}

/// Home, section, article, fallback, campaign, tags, 404 and search pages in each language.
fn checks() -> Vec<Check> {
    let mut checks = Vec::new();
    for (lang, prefix, fallback) in [
        ("vi", "", None),
        ("en", "/en", Some("/tin-tuc/tap-huan-can-bo-xa-mien-nui/")),
        ("ktv", "/ktv", Some("/quyen-cua-nan-nhan/")),
    ] {
        let page = |kind: &str, path: &str| {
            Check::new(format!("{lang}-{kind}"), format!("{prefix}{path}"))
        };
        checks.push(page("home", "/"));
        checks.push(page("section", "/tin-tuc/"));
        checks.push(
            page("article", "/tin-tuc/canh-bao-viec-lam-gia-qua-mang/")
                .with_interaction("skip-link"),
        );
        if lang == "vi" {
            checks.push(page("offline", "/").with_interaction("offline"));
            checks.push(
                page("share-bar", "/tin-tuc/canh-bao-viec-lam-gia-qua-mang/")
                    .with_interaction("share-bar")
                    .on_phone_only(),
            );
            checks.push(
                page("quick-exit", "/tin-tuc/canh-bao-viec-lam-gia-qua-mang/")
                    .with_interaction("quick-exit"),
            );
        }
        if let Some(path) = fallback {
            checks.push(page("fallback", path));
        }
        checks.push(page("campaign", "/ngay-30-thang-7/"));
        checks.push(page("tags", "/tags/"));
        checks.push(page("tag", "/tags/30-7/"));
        checks.push(page("404", "/khong-co-trang-nay/").with_status(404));
        let search = page("search", "/search/");
        checks.push(if lang == "vi" {
            search.with_interaction("search-vietnamese")
        } else {
            search
        });
    }
    checks
}

#[test]
fn example_site_in_headless_chromium() {
    let Some(tools) = browser_tools() else { return };
    let harmless = harmless_site();
    let example = common::example();
    let yaml = std::fs::read_to_string(example.path().join("site.yaml")).unwrap();
    let exit_to = format!("{}/", serve(harmless.path().to_path_buf()));
    common::write(example.path(), "site.yaml", format!("{yaml}quick_exit:\n  url: {exit_to}\n"));
    let site = tempfile::tempdir().unwrap();
    loa::build(example.path(), site.path(), &options_at(BUILD_AT))
        .expect("the example site builds");
    let rebuilt = tempfile::tempdir().unwrap();
    let article = example.path().join("content/tin-tuc/ra-mat-ke-hoach-2024.md");
    let text = std::fs::read_to_string(&article).unwrap();
    let (old_title, _) = text.split_once('\n').and_then(|(_, rest)| rest.split_once('\n')).unwrap();
    std::fs::write(&article, text.replacen(old_title, &format!("title: {CHANGED_TITLE}"), 1))
        .unwrap();
    loa::build(example.path(), rebuilt.path(), &options_at(BUILD_AT))
        .expect("the changed site builds");
    let base = serve_builds(vec![site.path().to_path_buf(), rebuilt.path().to_path_buf()]);
    let mut checks = checks();
    checks.extend(articles(site.path()).into_iter().map(|path| {
        Check::new(format!("first-screen{}", path.replace('/', "-")), path)
            .with_interaction("first-screen")
            .on_phone_only()
    }));
    let screenshots = target_dir().join("browser-screenshots");
    let plan = serde_json::json!({
        "base": base,
        "harmless": exit_to,
        "changed": "/tin-tuc/ra-mat-ke-hoach-2024/",
        "changedTitle": CHANGED_TITLE,
        "unread": "/tin-cu/",
        "screenshots": screenshots,
        "chromium": tools.chromium,
        "pages": checks.iter().map(Check::plan).collect::<Vec<_>>(),
    });
    let plan_file = site.path().join("browser-plan.json");
    std::fs::write(&plan_file, plan.to_string()).unwrap();
    let started = Instant::now();
    let report = run_node(&tools.script, &plan_file);
    eprintln!(
        "browser: {} page views in {:.1} s; screenshots in {}",
        report["checked"],
        started.elapsed().as_secs_f64(),
        screenshots.display()
    );
    let problems: Vec<&str> =
        report["problems"].as_array().unwrap().iter().filter_map(|p| p.as_str()).collect();
    assert!(
        problems.is_empty(),
        "{} problems in the browser:\n{}",
        problems.len(),
        problems.join("\n")
    );
    let views: usize = checks.iter().map(|c| c.viewports.len()).sum();
    assert_eq!(report["checked"], views, "every page was opened");
}

/// The URL paths of every article of the built site (pages made with `<article>`), in every
/// language, for the first-screen check.
fn articles(site: &Path) -> Vec<String> {
    let mut paths: Vec<String> = walkdir::WalkDir::new(site)
        .into_iter()
        .flatten()
        .filter(|e| e.file_name() == "index.html")
        .filter(|e| std::fs::read_to_string(e.path()).is_ok_and(|html| html.contains("<article")))
        .filter_map(|e| {
            let folder = e.path().parent()?.strip_prefix(site).ok()?.to_str()?.to_owned();
            (!folder.is_empty()).then(|| format!("/{folder}/"))
        })
        .collect();
    paths.sort();
    assert!(paths.len() > 20, "the example has articles in three languages: {paths:?}");
    paths
}

/// A one-page site on another origin, standing for the harmless site the quick exit opens.
fn harmless_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let page =
        "<!doctype html><html lang=en><title>Weather</title><p>A harmless weather page.</p></html>";
    std::fs::write(dir.path().join("index.html"), page).unwrap();
    dir
}

/// What the browser test needs.
pub(crate) struct Tools {
    pub(crate) chromium: PathBuf,
    pub(crate) script: PathBuf,
}

/// The browser, Node and the npm packages; `None` (skip, loudly) when one is missing, a panic in CI.
pub(crate) fn browser_tools() -> Option<Tools> {
    let chromium = std::env::var_os("LOA_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    let folder = repo().join("tests/browser");
    let node = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    let missing = [
        (!chromium.is_file()).then(|| {
            format!(
                "Chromium at {} (apt-get install chromium, or set LOA_CHROMIUM)",
                chromium.display()
            )
        }),
        (!node).then(|| "Node.js (`node`)".to_owned()),
        (!folder.join("node_modules/playwright-core").is_dir()
            || !folder.join("node_modules/axe-core").is_dir())
        .then(|| "the npm packages (run `npm ci` in tests/browser)".to_owned()),
    ];
    let missing: Vec<String> = missing.into_iter().flatten().collect();
    if missing.is_empty() {
        return Some(Tools { chromium, script: folder.join("check.mjs") });
    }
    let message = format!("the browser test needs {}", missing.join(", "));
    assert!(
        std::env::var_os("CI").is_none(),
        "{message} (CI is set, so this fails instead of skipping)"
    );
    // Written to the process's stderr, not through the test harness, so it shows even when the
    // test passes and output is captured.
    let line = "!".repeat(72);
    let _ = writeln!(
        std::io::stderr(),
        "\n{line}\nSKIPPED tests/suite/browser.rs: {message}\n{line}\n"
    );
    None
}

/// Runs check.mjs on the plan and returns its report, stopping it after ten minutes.
pub(crate) fn run_node(script: &Path, plan: &Path) -> serde_json::Value {
    let mut child = Command::new("node")
        .arg(script)
        .arg(plan)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("node starts");
    let deadline = Instant::now() + Duration::from_secs(600);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the browser checks took more than ten minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "check.mjs failed ({}):\n{stdout}", output.status);
    let last = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(last)
        .unwrap_or_else(|e| panic!("check.mjs printed no report ({e}):\n{stdout}"))
}

/// The cargo target folder (screenshots are kept there for people to look at).
pub(crate) fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap().to_path_buf()
}

/// Serves `root` on a free port of 127.0.0.1 for the rest of the test; returns its address.
fn serve(root: PathBuf) -> String {
    serve_builds(vec![root])
}

/// Serves the first of `builds`; a request for `/__next-build` moves on to the next one, as if
/// the site were built again.
fn serve_builds(builds: Vec<PathBuf>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let current = Arc::new(AtomicUsize::new(0));
    let builds = Arc::new(builds);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (builds, current) = (builds.clone(), current.clone());
            std::thread::spawn(move || respond(stream, &builds, &current));
        }
    });
    address
}

/// Answers one request with the file as built, or the nearest 404.html with status 404.
fn respond(mut stream: TcpStream, builds: &[PathBuf], current: &AtomicUsize) {
    let mut request_line = String::new();
    if BufReader::new(&stream).read_line(&mut request_line).is_err() {
        return;
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or("/");
    if target == "/__next-build" {
        let next = (current.load(Ordering::SeqCst) + 1).min(builds.len() - 1);
        current.store(next, Ordering::SeqCst);
    }
    let root = &builds[current.load(Ordering::SeqCst)];
    let (status, file) = match loa::commands::serve::resolve(root, target) {
        Some(file) => ("200 OK", Some(file)),
        None => ("404 Not Found", not_found_page(root, target)),
    };
    let body =
        file.as_deref().map(std::fs::read).transpose().unwrap_or_default().unwrap_or_default();
    let kind = file.as_deref().map_or("text/plain", content_type);
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&body));
}

/// The 404 page of the language the missing path is under (`/en/…` → `/en/404.html`).
fn not_found_page(root: &Path, target: &str) -> Option<PathBuf> {
    let relative = loa::commands::serve::safe_relative(target)?;
    relative
        .ancestors()
        .map(|folder| root.join(folder).join("404.html"))
        .find(|page| page.is_file())
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "xml" => "application/xml",
        _ => "application/octet-stream",
    }
}
