//! Search index of the example site: words folded the Vietnamese way, every document indexed once,
//! fallback languages' documents shown where they stand in, small files, and the search pages.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::{build, example, read};
use loa::render::search::index::{HEADING_BIT, TITLE_BIT, fold};
use serde_json::Value;

/// A built language index read back from `public/search-index/<code>/`.
struct Built {
    meta: Value,
    words: BTreeMap<String, Vec<(usize, u32)>>,
    docs: Vec<Value>,
}

fn load(site: &Path, code: &str) -> Built {
    let meta: Value = serde_json::from_str(&read(site, &format!("search-index/{code}/meta.json")))
        .expect("meta.json is JSON");
    let mut words = BTreeMap::new();
    for key in meta["shards"].as_object().unwrap().keys() {
        let file = loa::render::search::index::shard_file(key);
        let shard: BTreeMap<String, Vec<u32>> =
            serde_json::from_str(&read(site, &format!("search-index/{code}/t/{file}.json")))
                .unwrap();
        for (word, flat) in shard {
            assert!(word.starts_with(key.as_str()), "{word} is in the shard of {key}");
            let mut number = 0;
            let postings = flat
                .chunks(2)
                .map(|pair| {
                    number += pair[0] as usize;
                    (number, pair[1])
                })
                .collect();
            assert!(words.insert(word, postings).is_none(), "each word is in one shard");
        }
    }
    let count = meta["docs"].as_u64().unwrap() as usize;
    let docs = (0..count)
        .map(|n| {
            serde_json::from_str(&read(site, &format!("search-index/{code}/d/{n}.json"))).unwrap()
        })
        .collect();
    Built { meta, words, docs }
}

impl Built {
    /// Titles of the documents that have every folded word of `query` (whole words).
    fn titles_with_all(&self, query: &str) -> BTreeSet<String> {
        let mut numbers: Option<BTreeSet<usize>> = None;
        for word in fold(query).split_whitespace() {
            let found: BTreeSet<usize> =
                self.words.get(word).into_iter().flatten().map(|(n, _)| *n).collect();
            numbers = Some(match numbers {
                None => found,
                Some(before) => before.intersection(&found).copied().collect(),
            });
        }
        numbers.unwrap_or_default().iter().map(|n| self.title(*n)).collect()
    }

    fn title(&self, number: usize) -> String {
        self.docs[number]["t"].as_str().unwrap().to_owned()
    }

    fn shown_in(&self, number: usize, code: &str) -> Option<&Value> {
        self.docs[number].get("f").and_then(|f| f.get(code))
    }
}

/// The fallback ranges of `meta` for `code`, as document numbers.
fn shown(meta: &Value, code: &str) -> BTreeSet<usize> {
    let fallback = meta["fallbacks"].as_array().unwrap().iter().find(|f| f["lang"] == code);
    let ranges = fallback.expect("fallback listed")["show"].as_array().unwrap();
    ranges
        .iter()
        .flat_map(|r| r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize)
        .collect()
}

#[test]
fn finds_the_same_pages_with_or_without_tones_and_d() {
    let site = example();
    build(site.path()).unwrap();
    let vi = load(site.path(), "vi");
    assert!(vi.words.keys().all(|w| w.is_ascii()), "Vietnamese words fold to ASCII");
    let plain = vi.titles_with_all("mua ban nguoi");
    assert!(plain.contains("Nhận biết mua bán người và việc làm giả"), "{plain:?}");
    assert_eq!(vi.titles_with_all("Mua Bán Người"), plain);
    assert_eq!(vi.titles_with_all("MUA BÁN NGƯỜI"), plain);
    let hotline = vi.titles_with_all("duong day nong");
    assert!(!hotline.is_empty());
    assert_eq!(vi.titles_with_all("đường dây nóng"), hotline);
    assert_eq!(vi.titles_with_all("ĐƯỜNG DÂY NÓNG"), hotline);
}

#[test]
fn weighs_titles_and_headings_above_the_body() {
    let site = example();
    build(site.path()).unwrap();
    let vi = load(site.path(), "vi");
    let recognise = (0..vi.docs.len())
        .find(|n| vi.title(*n) == "Nhận biết mua bán người và việc làm giả")
        .unwrap();
    let weight = |word: &str| vi.words[word].iter().find(|(n, _)| *n == recognise).unwrap().1;
    assert!(weight("nhan") & TITLE_BIT != 0, "a title word carries the title bit");
    let sign = weight("dau");
    assert!(sign & TITLE_BIT == 0 && sign & HEADING_BIT != 0, "“Dấu hiệu” is a heading: {sign}");
    let person = weight("nguoi");
    assert!(person & TITLE_BIT != 0 && person & HEADING_BIT != 0 && person & 15 > 1, "{person}");
    let body_only =
        vi.words.values().flatten().filter(|(n, w)| *n == recognise && *w < HEADING_BIT);
    assert!(body_only.count() > 20, "most words are only in the body");
}

#[test]
fn indexes_each_document_once_in_its_own_language() {
    let site = example();
    build(site.path()).unwrap();
    let (vi, en, ktv) =
        (load(site.path(), "vi"), load(site.path(), "en"), load(site.path(), "ktv"));
    assert_eq!(ktv.docs.len(), 0, "Cơ Tu has no translation of its own yet");
    assert!(ktv.words.is_empty());
    assert_eq!(shown(&ktv.meta, "vi").len(), vi.docs.len(), "Cơ Tu shows every Vietnamese page");
    let urls: BTreeSet<&str> =
        vi.docs.iter().chain(&en.docs).map(|d| d["u"].as_str().unwrap()).collect();
    assert_eq!(urls.len(), vi.docs.len() + en.docs.len(), "no document twice");
    assert!(en.docs.iter().all(|d| d["u"].as_str().unwrap().starts_with("/en/")));
    assert!(
        vi.titles_with_all("tap huan")
            .contains("Tập huấn kỹ năng hỗ trợ nạn nhân cho cán bộ xã miền núi")
    );
    assert!(en.titles_with_all("tap huan").is_empty(), "the fallback is not copied into English");
}

#[test]
fn shows_fallback_documents_only_where_they_stand_in() {
    let site = example();
    build(site.path()).unwrap();
    let vi = load(site.path(), "vi");
    let en = load(site.path(), "en");
    let shown_in_en = shown(&en.meta, "vi");
    assert!(!shown_in_en.is_empty() && shown_in_en.len() < vi.docs.len());
    for number in 0..vi.docs.len() {
        let place = vi.shown_in(number, "en");
        assert_eq!(place.is_some(), shown_in_en.contains(&number), "{}", vi.title(number));
        if let Some(place) = place {
            let url = place["u"].as_str().unwrap();
            assert!(url.starts_with("/en/"), "{url}");
            assert!(
                site.path()
                    .join("public")
                    .join(url.trim_start_matches('/'))
                    .join("index.html")
                    .exists()
            );
        }
    }
    let training =
        (0..vi.docs.len()).find(|n| vi.title(*n).starts_with("Tập huấn kỹ năng")).unwrap();
    assert!(shown_in_en.contains(&training), "untranslated news is shown in English");
    assert_eq!(vi.shown_in(training, "en").unwrap()["s"], "News", "with the English section");
    let plan = (0..vi.docs.len()).find(|n| vi.title(*n).starts_with("Kế hoạch hỗ trợ")).unwrap();
    assert!(!shown_in_en.contains(&plan), "translated pages come from the English index");
}

#[test]
fn keeps_the_example_index_small() {
    let site = example();
    build(site.path()).unwrap();
    for code in ["vi", "en", "ktv"] {
        let folder = site.path().join("public/search-index").join(code);
        let mut total = 0;
        for entry in walkdir::WalkDir::new(&folder) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                total += gzipped_size(entry.path());
            }
        }
        assert!(total <= 30 * 1024, "the {code} index weighs {total} bytes gzipped, file by file");
    }
    let script = gzipped_size(&common::repo().join("themes/default/static/search.js"));
    assert!(script <= 5 * 1024, "search.js weighs {script} bytes gzipped");
}

fn gzipped_size(path: &Path) -> usize {
    let output = std::process::Command::new("gzip").args(["-9", "-c"]).arg(path).output();
    output.expect("gzip is installed").stdout.len()
}

#[test]
fn has_a_search_page_per_language_that_works_without_javascript() {
    let site = example();
    build(site.path()).unwrap();
    for (path, lang, index) in [
        ("search/index.html", "vi", "/search-index/vi/"),
        ("en/search/index.html", "en", "/search-index/en/"),
        ("ktv/search/index.html", "ktv", "/search-index/ktv/"),
    ] {
        let html = read(site.path(), path);
        assert!(html.contains(&format!("<html lang={lang}>")), "{html}");
        assert!(html.contains(&format!("data-index={index}")), "{html}");
        assert!(html.contains("class=search-nojs"), "{html}");
        assert!(html.contains("<form hidden"), "the form waits for the script: {html}");
    }
    let vi = read(site.path(), "search/index.html");
    assert!(vi.contains("Trang tìm kiếm cần JavaScript"), "{vi}");
    assert!(vi.contains("<a href=/tin-tuc/>Tin tức</a>"), "sections listed: {vi}");
    let en = read(site.path(), "en/search/index.html");
    assert!(en.contains("Search needs JavaScript"), "{en}");
    assert!(en.contains("<a href=/en/tin-tuc/>News</a>"), "{en}");
}
