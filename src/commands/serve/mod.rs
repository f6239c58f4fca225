//! `loa serve`: a preview server on 127.0.0.1 that rebuilds the site when a source changes,
//! reloads the browser (server-sent events) and shows build errors in the page until fixed.
//!
//! The HTTP side ([`http`] for what is answered, [`connections`] for how connections are
//! taken and limited) runs on a tokio runtime; the watching and rebuilding stay on their own
//! thread and talk to it through [`Shared`].

pub mod change;
pub mod connections;
pub mod http;
pub mod mirror;
pub mod session;
pub mod studio;

use std::net::TcpListener;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// The path of the live-reload event stream.
pub const EVENTS_PATH: &str = "/__loa/events";

/// The script injected into served HTML (never into `loa build` output): `reload` loads the
/// page again; `css` fetches it and swaps its inlined styles and stylesheet links in place,
/// keeping scroll position and form state.
pub const RELOAD_SCRIPT: &str = concat!(
    "<script>new EventSource(\"/__loa/events\").onmessage=function(e){",
    "if(e.data!=\"css\")return location.reload();",
    "fetch(location.href,{cache:\"no-store\"}).then(function(r){return r.text()}).then(function(t){",
    "var d=new DOMParser().parseFromString(t,\"text/html\"),",
    "q=\"style,link[rel=stylesheet]\",n=d.querySelectorAll(q),o=document.querySelectorAll(q);",
    "if(n.length!=o.length)return location.reload();",
    "o.forEach(function(s,i){if(s.tagName==\"STYLE\")s.textContent=n[i].textContent;else s.href=n[i].href})",
    "})}</script>"
);

/// Quiet time after a file event before rebuilding, so that an editor's save (write, rename,
/// backup) is one rebuild.
pub const DEBOUNCE: Duration = Duration::from_millis(10);

/// Quiet time after the last edit before outputs that cannot follow edits one page at a time
/// (the search index) are rendered again in full.
pub const CATCH_UP_AFTER: Duration = Duration::from_secs(1);

/// What the server shows: the build number and the error of the last build, if it failed.
#[derive(Debug, Default)]
pub struct BuildState {
    /// Increases with every finished build, good or bad.
    pub version: u64,
    /// The error of the last build, as text for people.
    pub error: Option<String>,
    /// The last build after which browsers must load the page again (not just its styles).
    pub reload_at: u64,
    /// The latest changes to the sources, each with the build number it came after: the pages
    /// changed, or `None` for anything more (see [`Shared::pages_changed_since`]).
    pub changes: std::collections::VecDeque<(u64, Option<Vec<PathBuf>>)>,
}

/// How many changes [`BuildState::changes`] keeps.
const CHANGES_KEPT: usize = 64;

/// The state of the last build, shared by the rebuilding thread and the server, with the
/// build number announced to the browsers' event streams.
#[derive(Debug)]
pub struct Shared {
    state: Mutex<BuildState>,
    builds: tokio::sync::watch::Sender<u64>,
}

impl Default for Shared {
    fn default() -> Shared {
        Shared { state: Mutex::default(), builds: tokio::sync::watch::channel(0).0 }
    }
}

impl Shared {
    /// Records a finished build and wakes the browsers; a failed build always reloads them.
    pub fn finish(&self, error: Option<String>, refresh: session::Refresh) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if refresh == session::Refresh::Nothing && error == state.error {
            return;
        }
        state.version += 1;
        if refresh != session::Refresh::Styles || error.is_some() || state.error.is_some() {
            state.reload_at = state.version;
        }
        state.error = error;
        self.builds.send_replace(state.version);
    }

    /// Notes a change to the sources, about to be rebuilt after the current build.
    pub fn note_change(&self, change: &change::Change) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let pages = match change {
            change::Change::Nothing => return,
            change::Change::Pages(paths) => Some(paths.clone()),
            _ => None,
        };
        let after = state.version;
        state.changes.push_back((after, pages));
        if state.changes.len() > CHANGES_KEPT {
            state.changes.pop_front();
        }
    }

    /// The pages changed on disk since build `seen` finished; `None` when something more than
    /// pages changed, or when the changes kept do not reach back that far.
    pub fn pages_changed_since(&self, seen: u64) -> Option<Vec<PathBuf>> {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.changes.len() == CHANGES_KEPT && state.changes.front().is_some_and(|c| c.0 >= seen)
        {
            return None;
        }
        let mut pages = Vec::new();
        for (_, changed) in state.changes.iter().filter(|(after, _)| *after >= seen) {
            pages.extend(changed.as_ref()?.iter().cloned());
        }
        pages.sort();
        pages.dedup();
        Some(pages)
    }

    /// The build number and the error of the last build.
    pub fn snapshot(&self) -> (u64, Option<String>) {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        (state.version, state.error.clone())
    }

    /// Whether a browser that saw build `seen` must load the page again.
    pub fn must_reload(&self, seen: u64) -> bool {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).reload_at > seen
    }

    /// The build number as it changes, for an event stream.
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<u64> {
        self.builds.subscribe()
    }
}

/// Binds the first free port from `port` upwards on `address` (127.0.0.1 unless asked
/// otherwise), trying 20 ports; port 0 lets the system choose.
pub fn bind(address: std::net::IpAddr, port: u16) -> std::io::Result<TcpListener> {
    let mut last_error = None;
    for candidate in port..=port.saturating_add(19) {
        match TcpListener::bind((address, candidate)) {
            Ok(listener) => return Ok(listener),
            Err(e) => last_error = Some(e),
        }
    }
    Err(last_error.unwrap_or_else(|| std::io::Error::other("no free port")))
}

/// Served HTML with the live-reload script and, after a failed build, the error on top.
pub fn decorate(html: &str, error: Option<&str>) -> String {
    let overlay = error.map(|e| {
        format!(
            "<div role=\"alert\" style=\"position:fixed;inset:0 0 auto 0;z-index:99;max-height:70vh;overflow:auto;background:#fff5f5;\
             border-bottom:4px solid #9b1c1c;padding:1rem;font:16px/1.5 system-ui,sans-serif;color:#1a1a1a\">\
             <pre style=\"white-space:pre-wrap;margin:0\">{}</pre></div>",
            crate::render::escape_xml(e)
        )
    });
    let addition = format!("{}{RELOAD_SCRIPT}", overlay.unwrap_or_default());
    match html.rfind("</body>") {
        Some(at) => format!("{}{addition}{}", &html[..at], &html[at..]),
        None => format!("{html}{addition}"),
    }
}

/// The path a request names, relative to the served folder; `None` when it tries to leave it
/// (`..`, an encoded `/`, a `\`, a NUL byte, `//`) or is not UTF-8 once decoded.
pub fn safe_relative(target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    if path.to_ascii_lowercase().contains("%2f") {
        return None;
    }
    let decoded = crate::base::percent::decode_utf8(path)?;
    if decoded.contains('\\') || decoded.contains('\0') || decoded.starts_with("//") {
        return None;
    }
    let relative = PathBuf::from(decoded.trim_start_matches('/'));
    relative.components().all(|c| matches!(c, Component::Normal(_))).then_some(relative)
}

/// Whether a relative path has a part starting with `.` (`.loa-build`, `.git/…`), which is
/// never served.
pub fn is_hidden(relative: &Path) -> bool {
    relative.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
}

/// The file a request path maps to, never outside `root` and never a hidden file.
pub fn resolve(root: &Path, target: &str) -> Option<PathBuf> {
    let relative = safe_relative(target).filter(|r| !is_hidden(r))?;
    let candidate = root.join(relative);
    let file = if candidate.is_dir() { candidate.join("index.html") } else { candidate };
    file.is_file().then_some(file)
}

/// The `Content-Type` of a served file, from its extension.
pub fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "ssml" => "application/ssml+xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "json" => "application/json",
        _ => "application/octet-stream",
    }
}

/// What wakes the watching loop: a change to the sources, or a request to stop.
enum Wake {
    Changed(notify::Result<notify::Event>),
    Stop,
}

/// What `loa serve` watches in the site folder: the folders and the settings file loa reads.
pub const WATCHED: [&str; 7] = [
    "content",
    "locales",
    "themes",
    "static",
    "templates",
    "shortcodes",
    crate::load::config::CONFIG_FILE,
];

/// The site's sources being watched, with the events not yet handled.
pub struct Watching {
    watcher: notify::RecommendedWatcher,
    events: std::sync::mpsc::Receiver<Wake>,
    wake: std::sync::mpsc::Sender<Wake>,
    /// The site folder, resolved once.
    root: PathBuf,
    out: PathBuf,
}

/// Starts watching the site's sources (before the server announces itself, so that no save
/// made after the announcement is missed).
pub fn watch(root: &Path, out: &Path) -> notify::Result<Watching> {
    use notify::{RecursiveMode, Watcher};
    let (wake, events) = std::sync::mpsc::channel();
    let changed = wake.clone();
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = changed.send(Wake::Changed(event));
    })?;
    // The site folder itself, alone, so that a watched folder made later (a first
    // `templates/` override) is seen and then watched in full.
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    for name in WATCHED {
        let path = root.join(name);
        if path.exists() {
            watcher.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    let (root, out) = (crate::write::absolute(root), crate::write::absolute(out));
    Ok(Watching { watcher, events, wake, root, out })
}

impl Watching {
    /// Makes Ctrl+C (SIGINT) and SIGTERM stop [`Watching::run`] once the rebuild under way has
    /// written its files; a second signal exits at once.
    pub fn stop_on_signals(&self) -> std::io::Result<()> {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])?;
        let wake = self.wake.clone();
        std::thread::spawn(move || {
            let mut received = signals.forever();
            if received.next().is_some() {
                let _ = wake.send(Wake::Stop);
            }
            if received.next().is_some() {
                std::process::exit(130);
            }
        });
        Ok(())
    }

    /// After each burst of changes (debounced) calls `rebuild` with what changed, and `idle`
    /// when nothing has changed for [`CATCH_UP_AFTER`]; returns when asked to stop.
    pub fn run(mut self, mut rebuild: impl FnMut(&change::Change), mut idle: impl FnMut()) {
        use std::sync::mpsc::RecvTimeoutError;
        loop {
            let first = match self.events.recv_timeout(CATCH_UP_AFTER) {
                Ok(Wake::Changed(first)) => first,
                Ok(Wake::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                Err(RecvTimeoutError::Timeout) => {
                    idle();
                    continue;
                }
            };
            let mut paths = event_paths(first, &self.out);
            let mut stop = false;
            while let Ok(next) = self.events.recv_timeout(DEBOUNCE) {
                match next {
                    Wake::Changed(event) => paths.extend(event_paths(event, &self.out)),
                    Wake::Stop => {
                        stop = true;
                        break;
                    }
                }
            }
            self.watch_new_folders(&paths);
            let change = change::classify(&self.root, &paths);
            if change != change::Change::Nothing {
                rebuild(&change);
            }
            if stop {
                return;
            }
        }
    }

    /// Watches in full each folder of [`WATCHED`] that has just been made in the site folder.
    fn watch_new_folders(&mut self, paths: &[PathBuf]) {
        use notify::{RecursiveMode, Watcher};
        for path in paths {
            let relative = change::relative_to(&self.root, path);
            if WATCHED.iter().any(|name| relative == Path::new(name)) && path.is_dir() {
                let _ = self.watcher.watch(path, RecursiveMode::Recursive);
            }
        }
    }
}

/// The paths of an event, without those in the output folder and those of access events.
fn event_paths(event: notify::Result<notify::Event>, out: &Path) -> Vec<PathBuf> {
    let Ok(event) = event else { return Vec::new() };
    if matches!(event.kind, notify::EventKind::Access(_)) {
        return Vec::new();
    }
    event.paths.into_iter().filter(|p| !p.starts_with(out)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_outside_the_root() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "x").unwrap();
        assert!(resolve(dir.path(), "/").is_some());
        for bad in ["/../etc/passwd", "/%2e%2e/x", "/a%2fb", "/..\\x", "//etc/passwd"] {
            assert!(resolve(dir.path(), bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn decodes_percent_escapes_and_refuses_encoded_separators() {
        assert_eq!(safe_relative("/%E1%BA%A3nh%20x.jpg?v=1"), Some(PathBuf::from("ảnh x.jpg")));
        assert_eq!(safe_relative("/tin-tuc/"), Some(PathBuf::from("tin-tuc")));
        for bad in ["/%2e%2e/x", "/.%2E/x", "/a%2Fb", "/a%5cb", "/a%00b", "/%ff", "/%2f%2fetc"] {
            assert_eq!(safe_relative(bad), None, "{bad}");
        }
    }

    #[test]
    fn never_resolves_hidden_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".hidden")).unwrap();
        std::fs::write(dir.path().join(".hidden/x"), "x").unwrap();
        std::fs::write(dir.path().join(".loa-build"), "").unwrap();
        std::fs::create_dir_all(dir.path().join("a")).unwrap();
        std::fs::write(dir.path().join("a/.env"), "x").unwrap();
        std::fs::write(dir.path().join("a/b.txt"), "x").unwrap();
        assert!(resolve(dir.path(), "/a/b.txt").is_some());
        for hidden in ["/.loa-build", "/.hidden/x", "/%2ehidden/x", "/a/.env", "/a/%2Eenv"] {
            assert!(resolve(dir.path(), hidden).is_none(), "{hidden}");
        }
    }

    #[test]
    fn injects_reload_script_and_error_overlay() {
        let html = decorate("<html><body><p>x</p></body></html>", None);
        assert!(html.ends_with(&format!("{RELOAD_SCRIPT}</body></html>")));
        let broken = decorate("<body></body>", Some("content/a.md:3:1: <lỗi>"));
        assert!(
            broken.contains("role=\"alert\"") && broken.contains("content/a.md:3:1: &lt;lỗi&gt;")
        );
    }

    #[test]
    fn wakes_event_streams_after_a_build() {
        let shared = Shared::default();
        let mut builds = shared.subscribe();
        assert!(!builds.has_changed().unwrap());
        shared.finish(Some("boom".into()), session::Refresh::Styles);
        assert!(builds.has_changed().unwrap(), "a waiting stream is woken");
        assert_eq!(*builds.borrow_and_update(), 1);
        assert_eq!(shared.snapshot(), (1, Some("boom".into())));
        assert!(shared.must_reload(0), "an error shows by reloading");
    }

    #[test]
    fn tells_the_pages_changed_since_a_build_or_that_more_changed() {
        let shared = Shared::default();
        shared.finish(None, session::Refresh::Reload);
        shared.note_change(&change::Change::Pages(vec!["content/a.md".into()]));
        shared.finish(None, session::Refresh::Reload);
        shared.note_change(&change::Change::Pages(vec!["content/b.md".into()]));
        shared.finish(None, session::Refresh::Reload);
        let since = |seen| shared.pages_changed_since(seen);
        assert_eq!(since(1), Some(vec!["content/a.md".into(), "content/b.md".into()]));
        assert_eq!(since(2), Some(vec!["content/b.md".into()]));
        assert_eq!(since(3), Some(Vec::new()));
        shared.note_change(&change::Change::Everything);
        assert_eq!(since(2), None, "more than pages changed");
        for _ in 0..CHANGES_KEPT {
            shared.note_change(&change::Change::Pages(vec!["content/c.md".into()]));
        }
        assert_eq!(since(0), None, "older changes are no longer kept");
    }

    #[test]
    fn swaps_styles_without_reloading_after_a_stylesheet_change() {
        let shared = Shared::default();
        shared.finish(None, session::Refresh::Reload);
        shared.finish(None, session::Refresh::Styles);
        assert!(!shared.must_reload(1) && shared.must_reload(0));
        shared.finish(None, session::Refresh::Nothing);
        assert_eq!(shared.snapshot().0, 2, "a build that changed nothing shown wakes nobody");
    }
}
