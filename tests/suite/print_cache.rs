//! `loa serve` rebuilds keep the PDFs and banners laid out: an unchanged PDF or banner is not
//! laid out again. The count is the session's own cache's, so other tests running meanwhile
//! do not change it.

use loa::commands::serve::session::Session;

use crate::common;

#[test]
fn an_unchanged_pdf_is_not_remade_but_a_changed_one_is() {
    let site = common::example();
    let options = common::options_at("2024-07-20");
    let mut session = Session::new(site.path(), &site.path().join("public"), options);
    session.build_all().unwrap();
    let after_first = session.typeset_cache().documents_laid_out();
    assert!(after_first >= 6 + 9, "six PDFs and nine banners: {after_first}");
    session.build_all().unwrap();
    assert_eq!(session.typeset_cache().documents_laid_out(), after_first, "nothing changed");
    let page = site.path().join("content/nhan-biet/index.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("Kẻ mua bán người", "Những kẻ mua bán người")).unwrap();
    session.build_all().unwrap();
    assert_eq!(
        session.typeset_cache().documents_laid_out(),
        after_first + 1,
        "only the edited leaflet"
    );
}

#[test]
fn a_new_build_lays_every_document_out_again() {
    let site = common::example();
    let options = common::options_at("2024-07-20");
    let out = site.path().join("public");
    let mut first = Session::new(site.path(), &out, options.clone());
    first.build_all().unwrap();
    let mut second = Session::new(site.path(), &out, options);
    second.build_all().unwrap();
    assert_eq!(
        second.typeset_cache().documents_laid_out(),
        first.typeset_cache().documents_laid_out(),
        "a second session shares no cache with the first"
    );
}
