//! Property tests: no panics, no digits left outside URLs, idempotence and NFC output.

use proptest::prelude::*;

use super::{Variant, VietnameseReader};

fn readers() -> [VietnameseReader; 3] {
    let issuer = [("doc_code".to_owned(), "issuer".to_owned())];
    let spell = [("doc_code".to_owned(), "spell".to_owned())];
    [
        VietnameseReader::new(&[], Some(Variant::North)),
        VietnameseReader::new(&issuer, Some(Variant::Central)),
        VietnameseReader::new(&spell, None),
    ]
}

/// Strings of digits, separators and Vietnamese letters.
fn mixed() -> impl Strategy<Value = String> {
    let chars: Vec<char> =
        "0123456789.,/-:h%  aăđơưệTPUBNDIVXCMgkm+&=°²\n–h:g/.,0019".chars().collect();
    prop::collection::vec(prop::sample::select(chars), 0..40).prop_map(|v| v.into_iter().collect())
}

/// Sequences of words and numbers that trigger the rules.
fn phrases() -> impl Strategy<Value = String> {
    let pieces = vec![
        "thứ",
        "Thứ",
        "tháng",
        "ngày",
        "mùng",
        "năm",
        "gọi",
        "kêu",
        "ĐT",
        "SĐT",
        "điện thoại",
        "số",
        "miễn phí",
        "hoặc",
        "và",
        "CA",
        "tỉnh",
        "thị",
        "xã",
        "TP.",
        "Tp.",
        "v.v.",
        "UBND",
        "LĐ-TB&XH",
        "GD&ĐT",
        "KT",
        "XH",
        "IV",
        "XIII",
        "I",
        "C",
        "Chương",
        "Đại hội",
        "thế kỷ",
        "lần",
        "&",
        "/",
        "-",
        "–",
        "+",
        "=",
        "%",
        "km",
        "km/h",
        "m2",
        "m²",
        "°C",
        "đ",
        "VNĐ",
        "USD",
        "triệu",
        "tỷ",
        "đồng",
        "người",
        ".",
        "!",
        "?",
        ",",
        ":",
        "(",
        ")",
        "\n",
        "KH-UBND",
        "QĐ-TTg",
        "CT/TW",
        "2024",
        "1800",
        "1581",
        "0905",
        "123",
        "456",
        "111",
        "30",
        "7",
        "24",
        "12",
        "h",
        "g",
        "05",
        "00",
        "1.000",
        "2,5",
        "0,125",
        "https://a.vn/1",
        "www.b.vn/2",
        "www.",
        "+84",
        "Ch'ơm",
        "Giẻ-Triêng",
        "khoá",
        "Hòa",
        "lưu",
        "bấm",
        "đường",
        "dây",
        "tổng",
        "113",
        "Quyết định",
        "tỷ lệ",
        "khoảng",
        "dân",
        "2/3",
        "3/40",
        "Quảng trường",
        "từ",
        "đến",
        "1-7",
        "31-7",
        "Đ/c",
        "đ/c",
        "H.",
        "X.",
        "TX.",
        "Nam Trà My",
    ];
    let seps = vec!["", " ", " ", " ", "\u{a0}", "  "];
    prop::collection::vec((prop::sample::select(pieces), prop::sample::select(seps)), 0..14)
        .prop_map(|v| v.into_iter().map(|(p, s)| format!("{p}{s}")).collect())
}

fn is_url_chunk(chunk: &str) -> bool {
    chunk.contains("http://") || chunk.contains("https://") || chunk.contains("www.")
}

fn check(text: &str) -> Result<(), TestCaseError> {
    for reader in readers() {
        let once = reader.read(text);
        for chunk in once.split_whitespace() {
            prop_assert!(
                !chunk.bytes().any(|b| b.is_ascii_digit()) || is_url_chunk(chunk),
                "digit left in {chunk:?} from {text:?} → {once:?}"
            );
        }
        prop_assert!(unicode_normalization::is_nfc(&once), "not NFC: {once:?}");
        let twice = reader.read(&once);
        prop_assert_eq!(&twice, &once, "not idempotent for {:?}", text);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_unicode(text in any::<String>()) {
        check(&text)?;
    }

    #[test]
    fn digits_separators_and_letters(text in mixed()) {
        check(&text)?;
    }

    #[test]
    fn rule_triggering_phrases(text in phrases()) {
        check(&text)?;
    }

    #[test]
    fn phone_reading_never_panics(text in "[0-9 .+-]{0,30}") {
        let spoken = readers()[0].read_phone(&text);
        prop_assert!(!spoken.bytes().any(|b| b.is_ascii_digit()));
    }
}
