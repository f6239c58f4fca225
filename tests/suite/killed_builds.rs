//! Robustness round 2, finding 3: a build killed at any moment, or one whose final step fails,
//! leaves the previous output exactly as it was or the complete new one, and the next build
//! removes whatever the killed one left beside it.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common;

use common::{fixture, run_loa, write};

const PAGES: usize = 150;

/// A site of many pages whose every page shows the site title.
fn big_site(title: &str) -> tempfile::TempDir {
    let site = fixture("minimal");
    for i in 0..PAGES {
        let body = format!("---\ntitle: Trang {i}\n---\nĐoạn văn của trang {i}.\n");
        write(site.path(), &format!("content/trang-{i}.md"), body);
    }
    set_title(site.path(), title);
    site
}

fn set_title(site: &Path, title: &str) {
    write(
        site,
        "locales/vi.yaml",
        format!("site:\n  title: {title}\nhotline:\n  \"111\": Tổng đài 111\n"),
    );
}

/// The page files of the output and the site title each shows.
fn titles(public: &Path) -> Vec<(String, &'static str)> {
    let mut found: Vec<(String, &'static str)> = walkdir::WalkDir::new(public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name() == "index.html" && !e.path().to_string_lossy().contains("/loudspeaker/")
        })
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            let title = match (text.contains("Tiêu đề cũ"), text.contains("Tiêu đề mới"))
            {
                (true, false) => "old",
                (false, true) => "new",
                _ => "mixed",
            };
            (e.path().strip_prefix(public).unwrap().display().to_string(), title)
        })
        .collect();
    found.sort();
    found
}

/// Names beside and inside the output that a build stages and must not leave behind.
fn staging_leftovers(site: &Path) -> Vec<String> {
    walkdir::WalkDir::new(site)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.path().display().to_string())
        .filter(|p| p.contains(".loa-new-") || p.contains(".loa-old-"))
        .collect()
}

#[test]
fn finding_3_kill_9_leaves_the_old_site_or_the_new_one_never_a_mix() {
    let site = big_site("Tiêu đề cũ");
    assert!(run_loa(site.path(), &["build"]).0);
    let public = site.path().join("public");
    let pages = titles(&public);
    assert!(pages.len() > PAGES && pages.iter().all(|(_, t)| *t == "old"));
    set_title(site.path(), "Tiêu đề mới");
    let started = Instant::now();
    assert!(run_loa(site.path(), &["build", "--out", "timed"]).0);
    let full = started.elapsed();
    let (mut before_swap, mut after_swap) = (0, 0);
    let mut shown = "old";
    for run in 0..16u32 {
        let (other, title) =
            if shown == "old" { ("new", "Tiêu đề mới") } else { ("old", "Tiêu đề cũ") };
        set_title(site.path(), title);
        let mut child = Command::new(env!("CARGO_BIN_EXE_loa"))
            .arg("build")
            .current_dir(site.path())
            .stderr(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Up to 1.6 times the timed build: a build into a folder holding an output, with the
        // other tests running beside it, can take longer than the first one into an empty one.
        std::thread::sleep(full.mul_f64(f64::from(run) / 15.0 * 1.6));
        let _ = child.kill();
        let _ = child.wait();
        let now = titles(&public);
        let all = |t: &str| now.len() == pages.len() && now.iter().all(|(_, s)| *s == t);
        assert!(all(shown) || all(other), "run {run}: the output is a mix of old and new pages");
        if all(shown) {
            before_swap += 1;
        } else {
            after_swap += 1;
            shown = other;
        }
        assert!(public.join(".loa-build").is_file(), "run {run}: the marker stays");
    }
    assert!(
        before_swap > 0 && after_swap > 0,
        "kills before the swap and after: {before_swap}, {after_swap}"
    );
    assert!(run_loa(site.path(), &["build"]).0);
    let left = staging_leftovers(site.path());
    assert!(
        left.is_empty(),
        "the next build cleans up: {} left, first {:?}",
        left.len(),
        left.first()
    );
}

#[test]
fn finding_3_a_killed_first_build_leaves_nothing_after_the_next_one() {
    let site = big_site("Tiêu đề cũ");
    let mut child = Command::new(env!("CARGO_BIN_EXE_loa"))
        .arg("build")
        .current_dir(site.path())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while staging_leftovers(site.path()).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        !site.path().join("public").exists() || titles(&site.path().join("public")).len() > PAGES
    );
    assert!(run_loa(site.path(), &["build"]).0);
    let left = staging_leftovers(site.path());
    assert!(left.is_empty(), "{} left, first {:?}", left.len(), left.first());
    assert!(titles(&site.path().join("public")).iter().all(|(_, t)| *t == "old"));
}

#[test]
fn finding_3_a_failed_swap_leaves_the_output_as_it_was() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let source = big_site("Tiêu đề cũ");
    let site = dir.path().join("site");
    common::copy_tree(source.path(), &site);
    let out = dir.path().join("locked/public");
    std::fs::create_dir_all(dir.path().join("locked")).unwrap();
    let out_arg = out.display().to_string();
    assert!(run_loa(&site, &["build", "--out", &out_arg]).0);
    let before = titles(&out);
    set_title(&site, "Tiêu đề mới");
    // A folder the build may not write in: staging beside the output fails, as on a read-only
    // or busy share. (Root ignores permissions, so the check is made as another user there.)
    std::fs::set_permissions(dir.path().join("locked"), std::fs::Permissions::from_mode(0o555))
        .unwrap();
    let as_root = running_as_root();
    let (ok, _, err) = if as_root {
        run_as_nobody(&site, &out_arg)
    } else {
        run_loa(&site, &["build", "--out", &out_arg])
    };
    std::fs::set_permissions(dir.path().join("locked"), std::fs::Permissions::from_mode(0o755))
        .unwrap();
    assert!(!ok, "the build fails: {err}");
    assert_eq!(titles(&out), before, "every page is as it was");
    let left = staging_leftovers(dir.path());
    assert!(left.is_empty(), "{} left, first {:?}", left.len(), left.first());
}

fn running_as_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

/// Runs the build as uid 65534, which may read the site and the output but not write beside it.
fn run_as_nobody(site: &Path, out: &str) -> (bool, String, String) {
    let (ok, stderr) = common::run_as_nobody(site, &[Path::new(out)], &["build", "--out", out]);
    (ok, String::new(), stderr)
}
