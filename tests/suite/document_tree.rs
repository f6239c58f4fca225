//! One document tree (issue 24): load parses a body once into a tree where a shortcode is one
//! typed node, and the web, print, search and loudspeaker outputs each render that same node,
//! or say that they skip it.

use crate::common;

use common::{fixture, has_tool, options_at, read, write};
use loa::load::document::{Block, BlockNode, InlineNode, Shortcode, ShortcodeText};

const PAGE: &str = r#"---
title: Gọi ngay
print: leaflet-a5
---

Gọi {{ hotline(id="111") }} ngay.

{{ qr(url="https://example.org/quet") }}
"#;

/// Every shortcode node of a tree, in order.
fn shortcodes(blocks: &[Block]) -> Vec<&Shortcode> {
    let mut found = Vec::new();
    for block in blocks {
        match &block.node {
            BlockNode::Shortcode(shortcode) => found.push(shortcode),
            BlockNode::Paragraph(inlines) => {
                found.extend(inlines.iter().filter_map(|i| match &i.node {
                    InlineNode::Shortcode(shortcode) => Some(shortcode.as_ref()),
                    _ => None,
                }))
            }
            _ => {}
        }
    }
    found
}

/// The search entry of the page at `url`, as written in `search-index/vi/d/`.
fn search_entry(site: &std::path::Path, url: &str) -> String {
    let folder = site.join("public/search-index/vi/d");
    let entries = std::fs::read_dir(&folder).unwrap();
    let texts = entries.map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap());
    let mut found = texts.filter(|t| t.contains(&format!("\"u\":\"{url}\"")));
    found.next().unwrap_or_else(|| panic!("no search entry for {url}"))
}

#[test]
fn a_shortcode_is_one_node_that_web_print_search_and_the_loudspeaker_each_render() {
    let site = fixture("minimal");
    write(site.path(), "content/goi.md", PAGE);
    common::build(site.path()).expect("the site builds");
    let mut diagnostics = loa::base::error::Diagnostics::default();
    let model = loa::model::Site::load(site.path(), &options_at("2024-08-01"), &mut diagnostics)
        .expect("the site loads");
    let doc = model.docs.iter().find(|d| d.front.title == "Gọi ngay").expect("the page");
    let nodes = shortcodes(&doc.rendered.tree);
    let names: Vec<&str> = nodes.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["hotline", "qr"]);
    let (hotline, qr) = (nodes[0], nodes[1]);
    assert_eq!(hotline.text_arg("id").as_deref(), Some("111"));
    assert_eq!(hotline.position, loa::base::error::Position::new(6, 5));

    let html = read(site.path(), "goi/index.html");
    assert!(html.contains("Gọi <a class=hotline-link href=tel:111><strong>111</strong> <span class=label>Tổng đài 111</span></a> ngay."), "{html}");
    assert!(html.contains("<figure class=qr><svg"), "{html}");

    let search = |node| loa::render::search::index::shortcode_text(&model, 0, node);
    assert_eq!(search(hotline), ShortcodeText::Text("111 Tổng đài 111".into()));
    assert_eq!(search(qr), ShortcodeText::Skip);
    let entry = search_entry(site.path(), "/goi/");
    assert!(entry.contains("\"x\":\"Gọi 111 Tổng đài 111 ngay.\""), "{entry}");

    let speak = |node| loa::render::loudspeaker::shortcode_text(&model, 0, node);
    assert_eq!(speak(hotline), ShortcodeText::Text("Tổng đài 111 111".into()));
    assert_eq!(speak(qr), ShortcodeText::Skip);
    let script = read(site.path(), "loudspeaker/vi/goi.txt");
    assert!(script.contains("Gọi Tổng đài một một một"), "{script}");
    assert!(!script.contains("example"), "{script}");

    if has_tool("pdftotext") {
        let pdf = site.path().join("public/goi/goi.pdf");
        let output = std::process::Command::new("pdftotext")
            .args(["-enc", "UTF-8"])
            .arg(&pdf)
            .arg("-")
            .output()
            .expect("pdftotext");
        let text = String::from_utf8(output.stdout).unwrap();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.contains("Gọi Tổng đài 111: 111 ngay."), "{text}");
        assert!(!text.contains("example.org/quet"), "{text}");
    }
}
