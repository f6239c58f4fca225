//! 30 July campaign pages: slogan, countdown, events by district, materials, and the home page feature.

use crate::common;

use common::{fixture, read, run_loa, write};

const CAMPAIGN: &str = "---\ntitle: Hưởng ứng Ngày 30/7\ncampaign:\n  day: 30/7/2024\n  start: 1/7/2024\n  end: 31/7/2024\n  slogan: Chung tay chấm dứt mua bán người\n  events:\n    - date: 22/7/2024\n      district: Tây Giang\n      place: Trường nội trú\n    - date: 1/7/2024\n      district: Tam Kỳ\n      place: Trụ sở UBND\n    - date: 30/7/2024\n      district: Tam Kỳ\n      place: Quảng trường\n---\n\nNội dung.\n";

fn campaign_site() -> tempfile::TempDir {
    let site = fixture("minimal");
    write(site.path(), "content/ngay-30-7/_index.md", CAMPAIGN);
    site
}

#[test]
fn can_render_campaign_with_countdown_and_events_by_district() {
    let site = campaign_site();
    assert!(run_loa(site.path(), &["build", "--now", "2024-07-20"]).0);
    let page = read(site.path(), "ngay-30-7/index.html");
    assert!(page.contains("<p class=slogan>Chung tay chấm dứt mua bán người</p>"), "{page}");
    assert!(page.contains("Còn 10 ngày nữa đến 30/7/2024"), "{page}");
    let tam_ky = page.find("<h3>Tam Kỳ</h3>").expect("Tam Kỳ group");
    let tay_giang = page.find("<h3>Tây Giang</h3>").expect("Tây Giang group");
    assert!(tam_ky < tay_giang, "groups follow their first event's date");
    let first = page.find("Trụ sở UBND").unwrap();
    let second = page.find("Quảng trường").unwrap();
    assert!(
        tam_ky < first && first < second && second < tay_giang,
        "events by date within a group"
    );
    assert!(
        page.contains("facebook.com/sharer/sharer.php?u=https%3A%2F%2Fexample.org%2Fngay-30-7%2F"),
        "{page}"
    );
    assert!(page.contains("href=tel:111"), "the hotlines are on the campaign page");
    assert!(run_loa(site.path(), &["build", "--now", "2024-08-05"]).0);
    assert!(read(site.path(), "ngay-30-7/index.html").contains("Đã diễn ra ngày 30/7/2024"));
}

#[test]
fn home_features_the_current_or_next_campaign() {
    let site = campaign_site();
    assert!(run_loa(site.path(), &["build", "--now", "2024-06-01"]).0);
    let home = read(site.path(), "index.html");
    assert!(
        home.contains("Chiến dịch sắp tới")
            && home.contains("href=/ngay-30-7/>Hưởng ứng Ngày 30/7</a>"),
        "{home}"
    );
    assert!(run_loa(site.path(), &["build", "--now", "2024-07-10"]).0);
    assert!(read(site.path(), "index.html").contains("Chiến dịch đang diễn ra"));
    assert!(run_loa(site.path(), &["build", "--now", "2024-09-01"]).0);
    assert!(
        !read(site.path(), "index.html").contains("class=featured-campaign"),
        "a past campaign is not featured"
    );
    let english = read(site.path(), "en/index.html");
    assert!(!english.contains("class=featured-campaign"));
}
