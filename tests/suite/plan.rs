//! The plan through which outputs meet: routes declared before rendering, materials listed on
//! pages, and the build report's counts taken from it.

use crate::common;

use common::{example, options_at, read};
use loa::render::plan::SitePlan;

/// The example site loaded, with its outputs and their plan rendered once (sizes measured).
fn planned(site: &std::path::Path) -> (loa::Site, loa::render::Outputs, SitePlan) {
    let mut diagnostics = loa::Diagnostics::default();
    let loaded = loa::Site::load(site, &options_at("2024-07-20"), &mut diagnostics).unwrap();
    let outputs = loa::render::standard_outputs(&loaded, &Default::default()).unwrap();
    let plan = loa::render::render_timed(&loaded, &outputs).unwrap().plan;
    (loaded, outputs, plan)
}

#[test]
fn every_file_an_output_writes_lies_on_a_route_it_planned() {
    let site = example();
    let (loaded, outputs, plan) = planned(site.path());
    for (index, output) in outputs.iter().enumerate() {
        let (name, own) = &plan.plans[index];
        assert_eq!(*name, output.name());
        for artifact in output.render(&loaded, &plan).unwrap() {
            assert!(
                own.routes.iter().any(|route| route.covers(&artifact.path)),
                "{name} wrote {} without planning it",
                artifact.path
            );
        }
    }
}

#[test]
fn a_printed_page_lists_its_pdf_with_the_size_measured_before_web_renders() {
    let site = example();
    let (_, _, plan) = planned(site.path());
    let materials = plan.materials("/nhan-biet/");
    let pdf = materials.iter().find(|m| m.kind == "print").expect("the leaflet is a material");
    assert_eq!(pdf.path, "/nhan-biet/nhan-biet.pdf");
    let bytes = std::fs::metadata(site.path().join("public/nhan-biet/nhan-biet.pdf"));
    assert!(bytes.is_err(), "render_timed writes nothing");
    assert!(pdf.size.is_some_and(|s| s > 1000), "measured from the laid-out PDF: {pdf:?}");
    let web = plan.plans.iter().position(|(name, _)| *name == "web").unwrap();
    assert!(plan.needs(web, loa::render::plan::Need::MaterialSizes));
}

#[test]
fn the_build_report_counts_the_scripts_the_plan_lists() {
    let site = example();
    let report =
        loa::build(site.path(), &site.path().join("public"), &options_at("2024-07-20")).unwrap();
    let written = walkdir::WalkDir::new(site.path().join("public/loudspeaker"))
        .into_iter()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "txt"))
        .count();
    assert!(written > 10, "{written}");
    assert_eq!(report.scripts, written);
    let page = read(site.path(), "nhan-biet/index.html");
    assert!(
        page.contains("href=/loudspeaker/vi/nhan-biet.html>Bài đọc trên loa truyền thanh</a>"),
        "{page}"
    );
}

#[test]
fn an_edit_of_a_printed_page_renders_only_that_page_and_its_materials() {
    use loa::commands::serve::{change::Change, session::Session};
    let site = common::fixture("minimal");
    let leaflet = "content/to-roi.md";
    let page = |text: &str| format!("---\ntitle: Tờ rơi\nprint: leaflet-a5\n---\n\n{text}\n");
    common::write(site.path(), leaflet, page("Câu thứ nhất."));
    let out = site.path().join("public");
    let mut session = Session::new(site.path(), &out, options_at("2024-08-01"));
    let full = session.build_all().unwrap();
    let before = std::fs::read(out.join("to-roi/to-roi.pdf")).unwrap();
    common::write(site.path(), leaflet, page("Câu thứ hai, dài hơn câu thứ nhất nhiều."));
    let edited = session.apply(&Change::Pages(vec![leaflet.into()])).unwrap();
    let written = &edited.files.written;
    assert!(edited.files.rendered * 3 < full.files.rendered, "not the whole site: {edited:?}");
    assert!(written.contains(&"to-roi/to-roi.pdf".to_owned()), "the PDF is laid out: {written:?}");
    assert_ne!(std::fs::read(out.join("to-roi/to-roi.pdf")).unwrap(), before);
    assert!(written.contains(&"to-roi/index.html".to_owned()), "{written:?}");
    assert!(read(site.path(), "to-roi/index.html").contains("Câu thứ hai"));
    for other in ["bai-viet/index.html", "en/bai-viet/index.html", "index.html", "sitemap.xml"] {
        assert!(!written.contains(&other.to_owned()), "{other} was written again: {written:?}");
    }
}

#[test]
fn the_web_output_takes_other_outputs_addresses_from_the_plan_not_from_their_modules() {
    let others = [
        "banners",
        "feeds",
        "images",
        "loudspeaker",
        "offline",
        "print",
        "safety",
        "search",
        "share",
        "sms",
        "fingerprint",
        "static_files",
        "typesetting",
    ];
    let folder = common::repo().join("src/render/web");
    for entry in std::fs::read_dir(&folder).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for other in others {
            for reach in [format!("render::{other}::"), format!("super::{other}::")] {
                assert!(!text.contains(&reach), "{} reaches into {other}", path.display());
            }
        }
    }
    let site = example();
    let (_, _, plan) = planned(site.path());
    use loa::render::plan::{LINK_LOUDSPEAKER_INDEX, LINK_SAFETY, LINK_SERVICE_WORKER};
    assert_eq!(plan.link(LINK_SAFETY, "en"), Some("/en/safety/"));
    assert_eq!(plan.link(LINK_LOUDSPEAKER_INDEX, "ktv"), Some("/loudspeaker/vi/"));
    assert_eq!(plan.link(LINK_SERVICE_WORKER, ""), Some("/sw.js"));
    common::build(site.path()).unwrap();
    let home = read(site.path(), "en/index.html");
    assert!(home.contains("href=/en/safety/>"), "the footer links the safety page");
}

#[test]
fn an_edit_of_a_title_renders_the_pages_that_list_it_as_the_plan_says() {
    use loa::commands::serve::{change::Change, session::Session};
    let site = common::fixture("minimal");
    let page = "content/bai-viet.md";
    let out = site.path().join("public");
    let mut session = Session::new(site.path(), &out, options_at("2024-08-01"));
    let full = session.build_all().unwrap();
    common::write(
        site.path(),
        page,
        "---\ntitle: Bài viết mới đổi tên\ndate: 2024-07-30\n---\n\nNội dung bài viết.\n",
    );
    let edited = session.apply(&Change::Pages(vec![page.into()])).unwrap();
    let written = &edited.files.written;
    assert!(edited.files.rendered < full.files.rendered, "not the whole site: {edited:?}");
    for listing in ["index.html", "bai-viet/index.html", "atom.xml"] {
        assert!(written.contains(&listing.to_owned()), "{listing} shows the title: {written:?}");
    }
    assert!(read(site.path(), "index.html").contains("Bài viết mới đổi tên"));
}

#[test]
fn an_edit_of_a_page_speaks_its_script_again_and_lists_it_anew_in_the_index() {
    use loa::commands::serve::{change::Change, session::Session};
    let site = common::fixture("minimal");
    let page = "content/bai-viet.md";
    let out = site.path().join("public");
    let mut session = Session::new(site.path(), &out, options_at("2024-08-01"));
    session.build_all().unwrap();
    let text = "---\ntitle: Bài viết\ndate: 2024-07-30\n---\n\nNội dung bài viết. Gọi 111 khi cần giúp đỡ, bất cứ lúc nào, ngày hay đêm.\n";
    common::write(site.path(), page, text);
    let edited = session.apply(&Change::Pages(vec![page.into()])).unwrap();
    let written = &edited.files.written;
    let script = "loudspeaker/vi/bai-viet.txt";
    assert!(written.contains(&script.to_owned()), "{written:?}");
    assert!(read(site.path(), script).contains("bất cứ lúc nào"));
    assert!(
        written.contains(&"loudspeaker/vi/index.html".to_owned()),
        "its duration changed: {written:?}"
    );
}
