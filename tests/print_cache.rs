//! `loa serve` rebuilds in one process: an unchanged PDF or banner is not laid out again.
//! (Its own test binary, apart from `tests/suite`, so that no other test lays out documents
//! meanwhile: the count it reads is the whole process's.)

#[path = "suite/common/mod.rs"]
mod common;

#[test]
fn an_unchanged_pdf_is_not_remade_but_a_changed_one_is() {
    let site = common::example();
    let options = common::options_at("2024-07-20");
    let out = site.path().join("public");
    loa::build(site.path(), &out, &options).unwrap();
    let after_first = loa::engines::typeset::documents_laid_out();
    assert!(after_first >= 6 + 9, "six PDFs and nine banners: {after_first}");
    loa::build(site.path(), &out, &options).unwrap();
    assert_eq!(loa::engines::typeset::documents_laid_out(), after_first, "nothing changed");
    let page = site.path().join("content/nhan-biet/index.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("Kẻ mua bán người", "Những kẻ mua bán người")).unwrap();
    loa::build(site.path(), &out, &options).unwrap();
    assert_eq!(
        loa::engines::typeset::documents_laid_out(),
        after_first + 1,
        "only the edited leaflet"
    );
}
