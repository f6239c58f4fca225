//! For the reader in danger: the quick exit link, the service worker and the "browse safely"
//! and offline pages, as built (the browser test in browser.rs shows them working).

use crate::common::{build, example, read, write};

fn worker_version(worker: &str) -> &str {
    worker.lines().next().unwrap_or_default()
}

#[test]
fn the_quick_exit_is_a_plain_link_to_the_harmless_site_on_every_page() {
    let site = example();
    build(site.path()).unwrap();
    for path in ["index.html", "en/index.html", "tin-tuc/canh-bao-viec-lam-gia-qua-mang/index.html"]
    {
        let html = read(site.path(), path);
        let link = html.split("<a ").find(|a| a.contains("data-exit")).unwrap_or_default();
        assert!(link.contains("href=https://vnexpress.net/>"), "{path}: {link}");
    }
    assert!(read(site.path(), "safety/index.html").contains("Thẻ ẩn danh mới"));
    assert!(read(site.path(), "en/safety/index.html").contains("New Incognito tab"));
}

#[test]
fn site_yaml_turns_the_quick_exit_and_the_worker_off() {
    let site = example();
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).unwrap();
    write(site.path(), "site.yaml", format!("{yaml}quick_exit: false\noffline: false\n"));
    build(site.path()).unwrap();
    let html = read(site.path(), "index.html");
    assert!(!html.contains("data-exit"), "no quick exit button");
    assert!(!html.contains("data-worker"), "no service worker registered");
    assert!(!site.path().join("public/sw.js").exists());
}

#[test]
fn the_service_worker_is_the_same_for_the_same_sources_and_changes_with_a_page() {
    let site = example();
    build(site.path()).unwrap();
    let first = read(site.path(), "sw.js");
    build(site.path()).unwrap();
    assert_eq!(read(site.path(), "sw.js"), first, "same sources, same bytes");
    assert!(first.contains(r#""vi":["/","/offline/","/safety/""#), "{}", &first[..600]);
    assert!(
        read(site.path(), "offline/index.html").contains("href=tel:111")
            || read(site.path(), "offline/index.html").contains("href=\"tel:111\"")
    );
    let page = site.path().join("content/tin-tuc/ra-mat-ke-hoach-2024.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replacen("Quảng Nam ban hành", "Quảng Nam đã ban hành", 1)).unwrap();
    build(site.path()).unwrap();
    let changed = read(site.path(), "sw.js");
    assert_ne!(
        worker_version(&changed),
        worker_version(&first),
        "a changed page makes a new cache"
    );
}
