//! Unit tests: every rule of `loudspeaker-reading-rules.md`, both variants, and the §13 table.

use super::*;

fn north() -> VietnameseReader {
    VietnameseReader::new(&[], Some(Variant::North))
}

fn central() -> VietnameseReader {
    VietnameseReader::new(&[], Some(Variant::Central))
}

fn with(entries: &[(&str, &str)]) -> VietnameseReader {
    let entries: Vec<(String, String)> =
        entries.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    VietnameseReader::new(&entries, None)
}

/// Reads `text` as a fragment from the middle of a sentence.
fn mid(reader: &VietnameseReader, text: &str) -> String {
    let spoken = reader.read(&format!("có {text}"));
    spoken.strip_prefix("có ").unwrap_or_else(|| panic!("prefix lost: {spoken}")).to_owned()
}

/// Checks the north reading and, when given, the central one (else the same as north).
fn check(text: &str, n: &str, c: Option<&str>) {
    assert_eq!(mid(&north(), text), n, "north: {text}");
    assert_eq!(mid(&central(), text), c.unwrap_or(n), "central: {text}");
}

#[test]
fn examples_table_section_13() {
    let rows: &[(&str, &str, Option<&str>)] = &[
        ("105", "một trăm linh năm", Some("một trăm lẻ năm")),
        (
            "21, 11, 101",
            "hai mươi mốt, mười một, một trăm linh một",
            Some("hai mươi mốt, mười một, một trăm lẻ một"),
        ),
        ("15, 25, 55", "mười lăm, hai mươi lăm, năm mươi lăm", None),
        ("14, 24", "mười bốn, hai mươi tư", Some("mười bốn, hai mươi bốn")),
        ("2024", "hai nghìn không trăm hai mươi tư", Some("hai ngàn không trăm hai mươi bốn")),
        ("2030", "hai nghìn không trăm ba mươi", Some("hai ngàn không trăm ba mươi")),
        ("1.005", "một nghìn không trăm linh năm", Some("một ngàn không trăm lẻ năm")),
        ("1.000.000, 1.000.000.000", "một triệu, một tỷ", None),
        ("gọi 111", "gọi một một một", None),
        ("1800 1581", "một tám không không, một năm tám một", None),
        ("18001581", "một tám không không, một năm tám một", None),
        ("30/7", "ngày ba mươi tháng bảy", None),
        (
            "ngày 09/02/2021",
            "ngày chín tháng hai năm hai nghìn không trăm hai mươi mốt",
            Some("ngày chín tháng hai năm hai ngàn không trăm hai mươi mốt"),
        ),
        (
            "07/3/2024",
            "ngày bảy tháng ba năm hai nghìn không trăm hai mươi tư",
            Some("ngày bảy tháng ba năm hai ngàn không trăm hai mươi bốn"),
        ),
        ("100%", "một trăm phần trăm", None),
        ("1,5", "một phẩy năm", None),
        ("7h30, 14:00", "bảy giờ ba mươi phút, mười bốn giờ", None),
        (
            "2021-2025",
            "hai nghìn không trăm hai mươi mốt đến hai nghìn không trăm hai mươi lăm",
            Some("hai ngàn không trăm hai mươi mốt đến hai ngàn không trăm hai mươi lăm"),
        ),
        (
            "Kế hoạch số 4215/KH-UBND",
            "Kế hoạch số bốn nghìn hai trăm mười lăm",
            Some("Kế hoạch số bốn ngàn hai trăm mười lăm"),
        ),
        ("Quyết định số 193/QĐ-TTg", "Quyết định số một trăm chín mươi ba", None),
        ("UBND tỉnh", "Ủy ban nhân dân tỉnh", None),
        ("Sở LĐTBXH", "Sở Lao động - Thương binh và Xã hội", None),
        ("50.000 VNĐ", "năm mươi nghìn đồng", Some("năm mươi ngàn đồng")),
        ("12 km, 3 kg", "mười hai ki-lô-mét, ba ki-lô-gam", None),
        ("lần thứ 4, Thứ 2", "lần thứ tư, Thứ hai", None),
        ("tháng 4", "tháng tư", None),
        ("Lưu số 111", "Lưu số một một một", None),
        ("gọi Công an theo số 113", "gọi Công an theo số một một ba", None),
        ("Có 111 người", "Có một trăm mười một người", None),
        ("Tỷ lệ 2/3, 3/40", "Tỷ lệ hai phần ba, ba phần bốn mươi", None),
        (
            "Quảng trường 24/3",
            "Quảng trường hai mươi tư tháng ba",
            Some("Quảng trường hai mươi bốn tháng ba"),
        ),
        ("đường 30/4", "đường ba mươi tháng tư", None),
        ("Từ 1-7 đến 31-7", "Từ ngày một tháng bảy đến ngày ba mươi mốt tháng bảy", None),
        (
            "Đ/c Nguyễn Văn A, Đ/c: 12 Trần Phú",
            "đồng chí Nguyễn Văn A, địa chỉ: mười hai Trần Phú",
            None,
        ),
        ("H. Nam Trà My", "huyện Nam Trà My", None),
    ];
    for (text, n, c) in rows {
        check(text, n, *c);
    }
    for reader in [north(), central()] {
        assert_eq!(reader.read("III. Giải pháp"), "Ba. Giải pháp");
    }
}

#[test]
fn cardinals() {
    let rows = [
        ("0", "không"),
        ("10", "mười"),
        ("20", "hai mươi"),
        ("100", "một trăm"),
        ("110", "một trăm mười"),
        ("115", "một trăm mười lăm"),
        ("104", "một trăm linh bốn"),
        ("111", "một trăm mười một"),
        ("1000", "một nghìn"),
        ("10000", "mười nghìn"),
        ("1.000.001", "một triệu không trăm linh một"),
        ("2.000.020", "hai triệu không trăm hai mươi"),
        ("1.000.000.000.000", "một nghìn tỷ"),
        ("1000000000000000", "một triệu tỷ"),
        ("1000000000000000000", "một tỷ tỷ"),
        ("1.000.000.000.005", "một nghìn tỷ không trăm linh năm"),
        (
            "123456789012345",
            "một trăm hai mươi ba nghìn bốn trăm năm mươi sáu tỷ bảy trăm tám mươi chín triệu \
             không trăm mười hai nghìn ba trăm bốn mươi lăm",
        ),
        ("1\u{a0}500\u{a0}000", "một triệu năm trăm nghìn"),
        ("1\u{202f}000", "một nghìn"),
    ];
    for (text, spoken) in rows {
        assert_eq!(mid(&north(), text), spoken, "{text}");
    }
    check("1.975", "một nghìn chín trăm bảy mươi lăm", Some("một ngàn chín trăm bảy mươi lăm"));
    check("31, 41", "ba mươi mốt, bốn mươi mốt", None);
    check("44", "bốn mươi tư", Some("bốn mươi bốn"));
    // An ordinary space does not join numbers.
    check("1 000", "một không không không", None);
}

#[test]
fn leading_zeros_and_minus() {
    check("Đề án 06", "Đề án không sáu", None);
    check("Chỉ thị 05", "Chỉ thị không năm", None);
    check("-2°C", "âm hai độ C", None);
    check("(-5)", "(âm năm)", None);
    check("COVID-19", "COVID-mười chín", None);
}

#[test]
fn variant_settings_from_the_locale() {
    let r = with(&[("variant", "central")]);
    assert_eq!(r.variant(), Variant::Central);
    assert_eq!(mid(&r, "105"), "một trăm lẻ năm");
    let r = VietnameseReader::new(&[("variant".into(), "central".into())], Some(Variant::North));
    assert_eq!(r.variant(), Variant::North, "the argument wins");
    let r = with(&[("five_units", "nhăm"), ("billion", "tỉ"), ("zero_hundreds", "omit")]);
    assert_eq!(mid(&r, "25"), "hai mươi nhăm");
    assert_eq!(mid(&r, "2.000.000.000"), "hai tỉ");
    assert_eq!(mid(&r, "2024"), "hai nghìn hai mươi tư");
    assert_eq!(mid(&r, "1005"), "một nghìn linh năm");
    let r = with(&[("decimal_fraction", "digits")]);
    assert_eq!(mid(&r, "3,14"), "ba phẩy một bốn");
    let r = with(&[("central.thousand", "nghìn"), ("variant", "central"), ("thousand", "ngàn")]);
    assert_eq!(mid(&r, "2000"), "hai nghìn", "the variant's own key wins");
    let r = with(&[("north.thousand", "ngàn")]);
    assert_eq!(mid(&r, "2000"), "hai ngàn");
    let r = with(&[("thousand", "ngan"), ("variant", "south")]);
    assert_eq!(r.problems().len(), 2, "{:?}", r.problems());
    assert_eq!(r.variant(), Variant::North);
    assert!(north().problems().is_empty());
}

#[test]
fn variant_from_str() {
    assert_eq!("north".parse::<Variant>(), Ok(Variant::North));
    assert_eq!("central".parse::<Variant>(), Ok(Variant::Central));
    let err = "south".parse::<Variant>().unwrap_err();
    assert!(err.contains("north") && err.contains("central"), "{err}");
}

#[test]
fn decimals_and_percentages() {
    check("2,5", "hai phẩy năm", None);
    check("3,14", "ba phẩy mười bốn", None);
    check("2,07", "hai phẩy không bảy", None);
    check("0,125", "không phẩy một hai năm", None);
    check(
        "1.234,5",
        "một nghìn hai trăm ba mươi tư phẩy năm",
        Some("một ngàn hai trăm ba mươi bốn phẩy năm"),
    );
    check("50 %", "năm mươi phần trăm", None);
    check("1,2 tỷ đồng", "một phẩy hai tỷ đồng", None);
    check("3 triệu người", "ba triệu người", None);
}

#[test]
fn phone_numbers() {
    let rows = [
        ("0905 123 456", "không chín không năm, một hai ba, bốn năm sáu"),
        ("0235.3852.111", "không hai ba năm, ba tám năm hai, một một một"),
        ("0905123456", "không chín không năm, một hai ba, bốn năm sáu"),
        ("02353852111", "không hai ba năm, ba tám năm hai, một một một"),
        ("1800599920", "một tám không không, năm chín chín, chín hai không"),
        ("1800.1581", "một tám không không, một năm tám một"),
        ("1900-1234", "một chín không không, một hai ba bốn"),
        ("+84 905 123 456", "cộng tám bốn, chín không năm, một hai ba, bốn năm sáu"),
        ("+84905123456", "cộng tám bốn, chín không năm, một hai ba, bốn năm sáu"),
        ("Gọi điện 113", "Gọi điện một một ba"),
        ("đường dây nóng 111", "đường dây nóng một một một"),
        ("Tổng đài: 111", "Tổng đài: một một một"),
        ("SĐT: 113", "số điện thoại: một một ba"),
        ("ĐT: 0905123456", "điện thoại: không chín không năm, một hai ba, bốn năm sáu"),
        ("ĐT 113", "điện thoại một một ba"),
        ("liên hệ số 111", "liên hệ số một một một"),
        ("gọi miễn phí 111", "gọi miễn phí một một một"),
        ("gọi ngay đến số 1080", "gọi ngay đến số một không tám không"),
        ("hotline: 18001567", "hotline: một tám không không, một năm sáu bảy"),
        ("nhắn tin tới 1900", "nhắn tin tới một chín không không"),
        ("số máy 12345", "số máy một hai ba bốn năm"),
        ("gọi 111, 113 hoặc 114", "gọi một một một, một một ba hoặc một một bốn"),
        ("gọi 111 hay 113", "gọi một một một hay một một ba"),
        ("kêu gọi 300 thanh niên", "kêu gọi ba trăm thanh niên"),
        ("Có 111 người", "Có một trăm mười một người"),
        ("gọi 111 và 5 người", "gọi một một một và năm người"),
        ("ĐT của đội", "ĐT của đội"),
    ];
    for (text, spoken) in rows {
        assert_eq!(mid(&north(), text), spoken, "{text}");
    }
    let r = north();
    assert_eq!(r.read_phone("1800 1581"), "một tám không không, một năm tám một");
    assert_eq!(r.read_phone("18001581"), "một tám không không, một năm tám một");
    assert_eq!(r.read_phone("111"), "một một một");
    assert_eq!(r.read_phone("0905.123.456"), "không chín không năm, một hai ba, bốn năm sáu");
    assert_eq!(
        r.read_phone("+84 236 3822 111"),
        "cộng tám bốn, hai ba sáu, ba tám hai hai, một một một"
    );
    assert_eq!(r.read("Gọi 111."), "Gọi một một một.");
    assert_eq!(r.read("111 là số miễn phí."), "Một trăm mười một là số miễn phí.");
}

#[test]
fn dates() {
    check(
        "2-9-1945",
        "ngày hai tháng chín năm một nghìn chín trăm bốn mươi lăm",
        Some("ngày hai tháng chín năm một ngàn chín trăm bốn mươi lăm"),
    );
    check(
        "2.9.1945",
        "ngày hai tháng chín năm một nghìn chín trăm bốn mươi lăm",
        Some("ngày hai tháng chín năm một ngàn chín trăm bốn mươi lăm"),
    );
    check(
        "7/2024",
        "tháng bảy năm hai nghìn không trăm hai mươi tư",
        Some("tháng bảy năm hai ngàn không trăm hai mươi bốn"),
    );
    check(
        "tháng 7/2024",
        "tháng bảy năm hai nghìn không trăm hai mươi tư",
        Some("tháng bảy năm hai ngàn không trăm hai mươi bốn"),
    );
    check("mùng 2/9", "mùng hai tháng chín", None);
    check("mồng 1/4", "mồng một tháng tư", None);
    check("ngày 30-4", "ngày ba mươi tháng tư", None);
    check("Ngày 24/02", "Ngày hai mươi tư tháng hai", Some("Ngày hai mươi bốn tháng hai"));
    check("30-4", "ba mươi đến bốn", None);
    check("24/7", "hai mươi tư trên bảy", Some("hai mươi bốn trên bảy"));
    check("ngày 24/7", "ngày hai mươi tư tháng bảy", Some("ngày hai mươi bốn tháng bảy"));
    check("20-25/7", "ngày hai mươi đến ngày hai mươi lăm tháng bảy", None);
    check(
        "ngày 1-3/5/2025",
        "ngày một đến ngày ba tháng năm năm hai nghìn không trăm hai mươi lăm",
        Some("ngày một đến ngày ba tháng năm năm hai ngàn không trăm hai mươi lăm"),
    );
    check("30/7 - 2/8", "ngày ba mươi tháng bảy đến ngày hai tháng tám", None);
    check("tháng 04", "tháng tư", None);
    check("tháng 12", "tháng mười hai", None);
    check("tháng 4-6", "tháng tư đến tháng sáu", None);
    check(
        "năm 2025",
        "năm hai nghìn không trăm hai mươi lăm",
        Some("năm hai ngàn không trăm hai mươi lăm"),
    );
    check("32/7", "ba mươi hai phần bảy", None);
}

#[test]
fn times_and_ranges() {
    check("11h24", "mười một giờ hai mươi tư phút", Some("mười một giờ hai mươi bốn phút"));
    check("7h05", "bảy giờ năm phút", None);
    check("14h00", "mười bốn giờ", None);
    check("8h sáng", "tám giờ sáng", None);
    check("7g30", "bảy giờ ba mươi phút", None);
    check("07:30", "bảy giờ ba mươi phút", None);
    check("7h30-11h00", "bảy giờ ba mươi phút đến mười một giờ", None);
    check("14:00 - 16:30", "mười bốn giờ đến mười sáu giờ ba mươi phút", None);
    check("7-9h", "bảy đến chín giờ", None);
    check("3-5%", "ba đến năm phần trăm", None);
    check("20-25 km", "hai mươi đến hai mươi lăm ki-lô-mét", None);
    check(
        "từ 2021 – 2025",
        "từ hai nghìn không trăm hai mươi mốt đến hai nghìn không trăm hai mươi lăm",
        Some("từ hai ngàn không trăm hai mươi mốt đến hai ngàn không trăm hai mươi lăm"),
    );
    check("1-2 triệu đồng", "một đến hai triệu đồng", None);
    check("5 -3", "năm âm ba", None);
}

#[test]
fn ordinals_and_roman_numerals() {
    check("thứ 1", "thứ nhất", None);
    check("thứ 24", "thứ hai mươi tư", Some("thứ hai mươi bốn"));
    check("Thứ 7", "Thứ bảy", None);
    check("thứ 2-6", "thứ hai đến thứ sáu", None);
    check("THỨ 3", "THỨ ba", None);
    check("Đại hội XIII", "Đại hội mười ba", None);
    check("Chương IV", "Chương bốn", None);
    check("Quý IV", "Quý bốn", None);
    check(
        "Quý IV/2024",
        "Quý bốn năm hai nghìn không trăm hai mươi tư",
        Some("Quý bốn năm hai ngàn không trăm hai mươi bốn"),
    );
    check("lần thứ IV", "lần thứ tư", None);
    check("lần thứ I", "lần thứ nhất", None);
    check("thế kỷ XXI", "thế kỷ hai mươi mốt", None);
    check("thế kỉ XX", "thế kỉ hai mươi", None);
    check("Khoá XV", "Khoá mười lăm", None);
    check("khóa XIV", "khóa mười bốn", Some("khóa mười bốn"));
    check("phần II", "phần hai", None);
    check("mục V", "mục năm", None);
    check("phụ lục III", "phụ lục ba", None);
    check("vua Louis XIV", "vua Louis XIV", None);
    check("Chương IIII", "Chương IIII", None);
    let r = north();
    assert_eq!(r.read("IV) Kết luận"), "Bốn) Kết luận");
    assert_eq!(r.read("a\n  II. Mục tiêu"), "a\n  Hai. Mục tiêu");
    assert_eq!(r.read("C. Tổ chức"), "C. Tổ chức");
    assert_eq!(r.read("Xem II. Mục tiêu"), "Xem II. Mục tiêu");
}

#[test]
fn document_numbers() {
    check(
        "Nghị định 100/2019/NĐ-CP",
        "Nghị định một trăm năm hai nghìn không trăm mười chín",
        Some("Nghị định một trăm năm hai ngàn không trăm mười chín"),
    );
    check("Chỉ thị 05-CT/TW", "Chỉ thị không năm", None);
    check(
        "Thông tư 39/2020/TT-BTTTT",
        "Thông tư ba mươi chín năm hai nghìn không trăm hai mươi",
        Some("Thông tư ba mươi chín năm hai ngàn không trăm hai mươi"),
    );
    check("Công văn 123/UBND", "Công văn một trăm hai mươi ba", None);
    check("Số 12/QĐ-LĐTB&XH", "Số mười hai", None);
    let issuer = with(&[("doc_code", "issuer")]);
    assert_eq!(
        mid(&issuer, "Kế hoạch số 4215/KH-UBND về"),
        "Kế hoạch số bốn nghìn hai trăm mười lăm của Ủy ban nhân dân về"
    );
    assert_eq!(
        mid(&issuer, "Quyết định 193/QĐ-TTg của Thủ tướng Chính phủ"),
        "Quyết định một trăm chín mươi ba của Thủ tướng Chính phủ"
    );
    assert_eq!(
        mid(&issuer, "Kế hoạch 5/KH-UBND của UBND xã"),
        "Kế hoạch năm của Ủy ban nhân dân xã"
    );
    assert_eq!(mid(&issuer, "Chỉ thị 05-CT/TW"), "Chỉ thị không năm của Trung ương");
    assert_eq!(
        mid(&issuer, "Thông tư liên tịch 1/TTLT-BCA-BQP"),
        "Thông tư liên tịch một của Bộ Công an và Bộ Quốc phòng"
    );
    assert_eq!(
        mid(&issuer, "Thông tư 39/2020/TT-BTTTT"),
        "Thông tư ba mươi chín năm hai nghìn không trăm hai mươi"
    );
    let spell = with(&[("doc_code", "spell")]);
    assert_eq!(
        mid(&spell, "số 4215/KH-UBND"),
        "số bốn nghìn hai trăm mười lăm, ca hát, u bê en đê"
    );
    assert_eq!(mid(&spell, "số 193/QĐ-TTg"), "số một trăm chín mươi ba, quy đê, tê tê giê");
}

#[test]
fn abbreviations() {
    let rows = [
        ("TP. Đà Nẵng", "thành phố Đà Nẵng"),
        ("Tp.Hội An", "thành phố Hội An"),
        ("gạo, muối v.v. và", "gạo, muối vân vân và"),
        ("CA tỉnh", "Công an tỉnh"),
        ("CA thị xã", "Công an thị xã"),
        ("CA TP. Huế", "Công an thành phố Huế"),
        ("CA thành phố", "Công an thành phố"),
        ("CA Hà Nội", "CA Hà Nội"),
        ("CT xã", "CT xã"),
        ("KH và TT", "KH và TT"),
        ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo"),
        ("Sở LĐ-TB&XH", "Sở Lao động - Thương binh và Xã hội"),
        ("công tác PCMBN", "công tác phòng, chống mua bán người"),
        ("MTTQVN và MTTQ", "Mặt trận Tổ quốc Việt Nam và Mặt trận Tổ quốc"),
        ("UBMTTQVN, HĐND", "Ủy ban Mặt trận Tổ quốc Việt Nam, Hội đồng nhân dân"),
        (
            "BLĐTBXH, BCĐ, BCA, BQP, BNG",
            "Bộ Lao động - Thương binh và Xã hội, Ban Chỉ đạo, Bộ Công an, Bộ Quốc phòng, Bộ Ngoại giao",
        ),
        ("BĐBP, LHPN, MBN", "Bộ đội Biên phòng, Liên hiệp Phụ nữ, mua bán người"),
        (
            "THCS, THPT, KT-XH, ANTT",
            "trung học cơ sở, trung học phổ thông, kinh tế - xã hội, an ninh trật tự",
        ),
        ("CSGT, BHYT, TNXH", "Cảnh sát giao thông, bảo hiểm y tế, tệ nạn xã hội"),
        ("ABC và UBNDX", "ABC và UBNDX"),
        ("ubnd", "ubnd"),
        ("UBND5", "Ủy ban nhân dân năm"),
    ];
    for (text, spoken) in rows {
        assert_eq!(mid(&north(), text), spoken, "{text}");
    }
    let r = with(&[
        ("abbreviations.HCM", "Hồ Chí Minh"),
        ("abbreviations.TP.HCM", "Thành phố Hồ Chí Minh"),
        ("abbreviations.MBN", ""),
        ("abbreviations.UBND", "Ủy ban"),
    ]);
    assert_eq!(mid(&r, "TP.HCM và HCM"), "Thành phố Hồ Chí Minh và Hồ Chí Minh");
    assert_eq!(mid(&r, "MBN, UBND"), "MBN, Ủy ban");
    assert_eq!(mid(&r, "TP. Huế"), "thành phố Huế");
}

#[test]
fn currency_units_and_symbols() {
    let rows = [
        ("500.000đ", "năm trăm nghìn đồng"),
        ("500₫", "năm trăm đồng"),
        ("20.000 VND", "hai mươi nghìn đồng"),
        ("10 USD", "mười đô la Mỹ"),
        ("30 triệu đồng/tháng", "ba mươi triệu đồng một tháng"),
        ("100.000đ/người", "một trăm nghìn đồng một người"),
        ("2 viên/ngày", "hai viên một ngày"),
        ("50.000/người", "năm mươi nghìn một người"),
        ("60 km/h", "sáu mươi ki-lô-mét trên giờ"),
        ("500 m2, 3 m², 5 ha", "năm trăm mét vuông, ba mét vuông, năm héc-ta"),
        ("2 km2, 4km²", "hai ki-lô-mét vuông, bốn ki-lô-mét vuông"),
        (
            "2,5 kg, 12km, 5 cm, 3 mm",
            "hai phẩy năm ki-lô-gam, mười hai ki-lô-mét, năm xăng-ti-mét, ba mi-li-mét",
        ),
        ("200 g, 2 l, 500 ml, 10 m", "hai trăm gam, hai lít, năm trăm mi-li-lít, mười mét"),
        ("37,5°C", "ba mươi bảy phẩy năm độ C"),
        ("A&B", "A và B"),
        ("A & B", "A và B"),
        ("nam/nữ", "nam hoặc nữ"),
        ("nam / nữ", "nam hoặc nữ"),
        ("2+3=5", "hai cộng ba bằng năm"),
        ("2 + 3 = 5", "hai cộng ba bằng năm"),
        ("a+b", "a+b"),
        ("người Giẻ-Triêng", "người Giẻ-Triêng"),
        ("an ninh - trật tự", "an ninh - trật tự"),
        ("5người", "năm người"),
        ("H5N1", "H năm N một"),
    ];
    for (text, spoken) in rows {
        assert_eq!(mid(&north(), text), spoken, "{text}");
    }
    check("50.000 VNĐ/lượt", "năm mươi nghìn đồng một lượt", Some("năm mươi ngàn đồng một lượt"));
}

#[test]
fn sentence_initial_capitals() {
    let r = north();
    assert_eq!(r.read("105 người."), "Một trăm linh năm người.");
    assert_eq!(r.read("Xong. 5 người"), "Xong. Năm người");
    assert_eq!(r.read("Ôi! 5 người? 6 người"), "Ôi! Năm người? Sáu người");
    assert_eq!(r.read("a\n5 người"), "a\nNăm người");
    assert_eq!(r.read("ở TP. 5 quận"), "ở thành phố năm quận");
    assert_eq!(r.read("Xong. MBN là tội ác"), "Xong. Mua bán người là tội ác");
    assert_eq!(r.read("a.5"), "a.năm");
    assert_eq!(r.read("30/7 là ngày"), "Ngày ba mươi tháng bảy là ngày");
    assert_eq!(r.read("& b"), "Và b");
    assert_eq!(r.read("Xong.  12 km"), "Xong.  Mười hai ki-lô-mét");
}

#[test]
fn other_text_passes_through() {
    let r = north();
    for text in [
        "Anh Ch'ơm và chị A Vương, người Giẻ-Triêng, đi học khoá học ở Hòa Vang.",
        "Bà con hãy cảnh giác!  Đừng tin lời hứa việc nhẹ lương cao…",
        "«Xuất khẩu lao động» — (trái phép) ; [ghi chú]",
        "",
        "\n\n",
        "tab\there",
    ] {
        assert_eq!(r.read(text), text);
    }
    assert_eq!(
        r.read("Xem https://a.vn/2024/x?a=1&b=2 và www.b.vn/3"),
        "Xem https://a.vn/2024/x?a=1&b=2 và www.b.vn/3"
    );
    assert_eq!(r.read("một\n2\nba"), "một\nHai\nba");
}

#[test]
fn output_is_nfc() {
    use unicode_normalization::UnicodeNormalization;
    let r = north();
    let nfd: String = "Ngày 30/7, UBND xã khoá học".nfd().collect();
    let spoken = r.read(&nfd);
    assert_eq!(spoken, "Ngày ba mươi tháng bảy, Ủy ban nhân dân xã khoá học");
    assert!(unicode_normalization::is_nfc(&spoken));
    let r = with(&[("abbreviations.X", &"Hòa".nfd().collect::<String>())]);
    assert_eq!(mid(&r, "X"), "Hòa");
}

#[test]
fn syllable_counts() {
    assert_eq!(syllables("một tám không không, một năm tám một"), 8);
    assert_eq!(syllables("mười hai ki-lô-mét"), 5);
    assert_eq!(syllables("  an ninh - trật tự  "), 4);
    assert_eq!(syllables(""), 0);
}

/// A locale value as loa reads it: text, or a group of keys (lists are not kept).
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Entry {
    Text(String),
    Integer(i64),
    Group(std::collections::BTreeMap<String, Entry>),
}

fn flatten(prefix: &str, entry: Entry, out: &mut Vec<(String, String)>) {
    match entry {
        Entry::Text(text) => out.push((prefix.to_owned(), text)),
        Entry::Integer(n) => out.push((prefix.to_owned(), n.to_string())),
        Entry::Group(group) => {
            for (key, value) in group {
                let full = if prefix.is_empty() { key } else { format!("{prefix}.{key}") };
                flatten(&full, value, out);
            }
        }
    }
}

#[test]
fn default_locale_block_survives_flattening() {
    let yaml = include_str!("../../../themes/default/locales/vi.yaml");
    let root: std::collections::BTreeMap<String, Entry> = serde_saphyr::from_str(yaml).unwrap();
    let mut entries = Vec::new();
    flatten(
        "",
        root.into_iter().find(|(k, _)| k == "speech").expect("speech block").1,
        &mut entries,
    );
    for (token, expansion) in lexicon::ABBREVIATIONS {
        let key = format!("abbreviations.{token}");
        assert!(entries.iter().any(|(k, v)| *k == key && v == expansion), "vi.yaml lacks {key}");
    }
    let reader = VietnameseReader::new(&entries, None);
    assert!(reader.problems().is_empty(), "{:?}", reader.problems());
    assert_eq!(reader.variant(), Variant::North);
    assert_eq!(
        reader.read("TP. Huế, Sở GD&ĐT, v.v."),
        "Thành phố Huế, Sở Giáo dục và Đào tạo, vân vân"
    );
}

/// A megabyte of text is read whole; its speed is measured by `cargo bench --bench speech`.
#[test]
fn a_megabyte_of_text_is_read_whole() {
    let paragraph = "Ngày 30/7/2024, UBND xã tổ chức 15 buổi tuyên truyền PCMBN cho 1.250 người; \
                     gọi 111 hoặc 1800 1581 (miễn phí) từ 7h30-17h00. Thứ 2, Chương IV, 3-5%. ";
    let repeats = 1_000_000 / paragraph.len();
    let spoken = north().read(&paragraph.repeat(repeats));
    assert!(!spoken.bytes().any(|b| b.is_ascii_digit()));
    assert_eq!(
        spoken.matches("gọi một một một hoặc một tám không không").count(),
        repeats,
        "every hotline is read: {}",
        &spoken[..300]
    );
}

#[test]
fn finding_hotlines_after_cues_the_rules_did_not_list_are_read_digit_by_digit() {
    let rows = [
        ("Đường dây 111", "Đường dây một một một"),
        ("đường dây nóng 111", "đường dây nóng một một một"),
        ("đường dây: 1080", "đường dây: một không tám không"),
        ("bấm 1234", "bấm một hai ba bốn"),
        ("bấm số 1080", "bấm số một không tám không"),
        ("quay số 1080", "quay số một không tám không"),
        ("Lưu số 1080", "Lưu số một không tám không"),
        ("nhớ số 111", "nhớ số một một một"),
        ("nhắn 8079", "nhắn tám không bảy chín"),
        ("nhắn tin tới 1900", "nhắn tin tới một chín không không"),
        ("Lưu số 111 hoặc 113", "Lưu số một một một hoặc một một ba"),
        ("đường 111 người", "đường một trăm mười một người"),
        ("số dây 111", "số dây một trăm mười một"),
    ];
    for reader in [north(), central()] {
        for (text, spoken) in rows {
            assert_eq!(mid(&reader, text), spoken, "{text}");
        }
    }
}

#[test]
fn finding_emergency_numbers_after_so_are_read_digit_by_digit() {
    let rows = [
        ("gọi Công an theo số 113", "gọi Công an theo số một một ba"),
        ("báo ngay số 112.", "báo ngay số một một hai."),
        ("Số 114 là số cứu hỏa", "Số một một bốn là số cứu hỏa"),
        ("cấp cứu số 115", "cấp cứu số một một năm"),
        ("Trẻ em cần giúp, số 111, 113", "Trẻ em cần giúp, số một một một, một một ba"),
        ("theo số máy 113", "theo số máy một một ba"),
        // Document numbers and quantities stay as they were.
        ("Quyết định số 113/QĐ-UBND", "Quyết định số một trăm mười ba"),
        ("Kế hoạch số 111/KH-UBND", "Kế hoạch số một trăm mười một"),
        ("Quyết định số 113 ngày", "Quyết định số một trăm mười ba ngày"),
        ("Có 111 người", "Có một trăm mười một người"),
        ("tổng số 112 hộ", "tổng số một trăm mười hai hộ"),
        ("dân số 115 nghìn", "dân số một trăm mười lăm nghìn"),
        ("số 111 nghìn", "số một trăm mười một nghìn"),
        ("số 113,5", "số một trăm mười ba phẩy năm"),
        ("số 113%", "số một trăm mười ba phần trăm"),
        ("số 116", "số một trăm mười sáu"),
        ("số 1080", "số một nghìn không trăm tám mươi"),
    ];
    for (text, spoken) in rows {
        assert_eq!(mid(&north(), text), spoken, "{text}");
    }
}

#[test]
fn finding_site_hotline_numbers_after_so_are_read_digit_by_digit() {
    let site = north().with_hotlines(["1080", " 0905 ", "18001567", "+84111", "abc"]);
    assert_eq!(mid(&site, "theo số 1080"), "theo số một không tám không");
    assert_eq!(mid(&site, "Số 1080 miễn phí"), "Số một không tám không miễn phí");
    assert_eq!(mid(&site, "Có 1080 người"), "Có một nghìn không trăm tám mươi người");
    assert_eq!(mid(&site, "Kế hoạch số 1080/KH-UBND"), "Kế hoạch số một nghìn không trăm tám mươi");
    assert_eq!(mid(&site, "số 905"), "số chín trăm linh năm", "only whole numbers match");
    assert_eq!(site.hotlines, ["1080", "0905"], "only 3 to 6 digits are kept");
    assert_eq!(mid(&north(), "theo số 1080"), "theo số một nghìn không trăm tám mươi");
    let central = central().with_hotlines(["1080"]);
    assert_eq!(mid(&central, "số 1080"), "số một không tám không");
}

#[test]
fn finding_fractions_are_not_read_as_dates() {
    let rows: &[(&str, &str, Option<&str>)] = &[
        ("Tỷ lệ 2/3", "Tỷ lệ hai phần ba", None),
        ("tỉ lệ 1/4", "tỉ lệ một phần bốn", None),
        ("khoảng 1/3 số hộ", "khoảng một phần ba số hộ", None),
        ("chừng 1/2", "chừng một phần hai", None),
        ("gần 2/3", "gần hai phần ba", None),
        ("hơn 3/4", "hơn ba phần bốn", None),
        ("trên 1/5", "trên một phần năm", None),
        ("dưới 1/10", "dưới một phần mười", None),
        ("chiếm 2/5", "chiếm hai phần năm", None),
        ("đạt 4/5", "đạt bốn phần năm", None),
        ("CÒN 1/3", "CÒN một phần ba", None),
        ("bằng 1/2", "bằng một phần hai", None),
        ("1/3 số hộ", "một phần ba số hộ", None),
        ("2/3 dân số", "hai phần ba dân số", None),
        ("3/40", "ba phần bốn mươi", None),
        ("32/7", "ba mươi hai phần bảy", None),
        ("1/24", "một phần hai mươi tư", Some("một phần hai mươi bốn")),
        ("5/100", "năm phần một trăm", None),
        ("0/5", "không phần năm", None),
        // Still dates, months and the fixed expression.
        ("2/3", "ngày hai tháng ba", None),
        ("ngày 2/3 số người", "ngày hai tháng ba số người", None),
        (
            "khoảng 7/2024",
            "khoảng tháng bảy năm hai nghìn không trăm hai mươi tư",
            Some("khoảng tháng bảy năm hai ngàn không trăm hai mươi bốn"),
        ),
        (
            "trên 1/3/2024",
            "trên ngày một tháng ba năm hai nghìn không trăm hai mươi tư",
            Some("trên ngày một tháng ba năm hai ngàn không trăm hai mươi bốn"),
        ),
        ("hơn 24/7", "hơn hai mươi tư trên bảy", Some("hơn hai mươi bốn trên bảy")),
        ("30 triệu đồng/tháng", "ba mươi triệu đồng một tháng", None),
    ];
    for (text, n, c) in rows {
        check(text, n, *c);
    }
}

#[test]
fn finding_names_made_of_dates_are_read_without_ngay() {
    let rows: &[(&str, &str, Option<&str>)] = &[
        (
            "Quảng trường 24/3",
            "Quảng trường hai mươi tư tháng ba",
            Some("Quảng trường hai mươi bốn tháng ba"),
        ),
        ("đường 30/4", "đường ba mươi tháng tư", None),
        ("Đường 3/2", "Đường ba tháng hai", None),
        ("phố 19/5", "phố mười chín tháng năm", None),
        ("cầu 2/9", "cầu hai tháng chín", None),
        ("Công viên 29/3", "Công viên hai mươi chín tháng ba", None),
        ("trường 20/11", "trường hai mươi tháng mười một", None),
        ("chợ 30/4", "chợ ba mươi tháng tư", None),
        ("bến 1/5", "bến một tháng năm", None),
        ("khu phố 24/7", "khu phố hai mươi tư tháng bảy", Some("khu phố hai mươi bốn tháng bảy")),
        ("Khu dân cư 8/3", "Khu dân cư tám tháng ba", None),
        // Not names: compounds, other words, full dates.
        ("môi trường 5/6", "môi trường ngày năm tháng sáu", None),
        ("thị trường 2/9", "thị trường ngày hai tháng chín", None),
        ("nhu cầu 1/6", "nhu cầu ngày một tháng sáu", None),
        ("viên 1/6", "viên ngày một tháng sáu", None),
        ("dân cư 1/6", "dân cư ngày một tháng sáu", None),
        ("đường 30-4", "đường ba mươi đến bốn", None),
    ];
    for (text, n, c) in rows {
        check(text, n, *c);
    }
}

#[test]
fn finding_hyphenated_date_ranges_after_tu_are_dates() {
    let rows: &[(&str, &str, Option<&str>)] = &[
        ("Từ 1-7 đến 31-7", "Từ ngày một tháng bảy đến ngày ba mươi mốt tháng bảy", None),
        ("từ 01-07 đến 15-08", "từ ngày một tháng bảy đến ngày mười lăm tháng tám", None),
        ("từ 1-7 Đến 31-7", "từ ngày một tháng bảy Đến ngày ba mươi mốt tháng bảy", None),
        (
            "từ 1-7 đến 31-7-2024",
            "từ ngày một tháng bảy đến ngày ba mươi mốt tháng bảy năm hai nghìn không trăm hai mươi tư",
            Some(
                "từ ngày một tháng bảy đến ngày ba mươi mốt tháng bảy năm hai ngàn không trăm hai mươi bốn",
            ),
        ),
        ("từ 1/7 đến 31/7", "từ ngày một tháng bảy đến ngày ba mươi mốt tháng bảy", None),
        // Anything else stays a range.
        ("từ 1-7 người", "từ một đến bảy người", None),
        ("từ 1-7 đến 9", "từ một đến bảy đến chín", None),
        ("1-7 đến 31-7", "một đến bảy đến ba mươi mốt đến bảy", None),
        ("từ 7-9h đến 10h", "từ bảy đến chín giờ đến mười giờ", None),
        ("từ 40-50 đến 31-7", "từ bốn mươi đến năm mươi đến ba mươi mốt đến bảy", None),
    ];
    for (text, n, c) in rows {
        check(text, n, *c);
    }
    assert_eq!(
        north().read("Từ 1-7 đến 31-7."),
        "Từ ngày một tháng bảy đến ngày ba mươi mốt tháng bảy."
    );
}

#[test]
fn finding_dc_is_read_dong_chi_or_dia_chi() {
    let rows = [
        ("Đ/c Nguyễn Văn A", "đồng chí Nguyễn Văn A"),
        ("đ/c Hồ Thị Lan", "đồng chí Hồ Thị Lan"),
        ("Đ/c: 12 Trần Phú", "địa chỉ: mười hai Trần Phú"),
        ("đ/c 12 Trần Phú", "địa chỉ mười hai Trần Phú"),
        ("đ/c thôn 3", "địa chỉ thôn ba"),
        ("Đ/c -5", "đồng chí âm năm"),
        ("Đ/c.", "đồng chí."),
        ("Đ/c, ", "đồng chí, "),
        ("Đ/cá", "Đ hoặc cá"),
        ("Đ/C Nguyễn", "Đ hoặc C Nguyễn"),
    ];
    for reader in [north(), central()] {
        for (text, spoken) in rows {
            assert_eq!(mid(&reader, text), spoken, "{text}");
        }
    }
    assert_eq!(north().read("Đ/c Nguyễn Văn A phát biểu."), "Đồng chí Nguyễn Văn A phát biểu.");
}

#[test]
fn finding_district_and_commune_abbreviations_before_place_names() {
    let rows = [
        ("H. Nam Trà My", "huyện Nam Trà My"),
        ("X. Trà Dơn", "xã Trà Dơn"),
        ("TX. Điện Bàn", "thị xã Điện Bàn"),
        ("TT. Prao", "thị trấn Prao"),
        ("Q. Hải Châu", "quận Hải Châu"),
        ("P. Hòa Cường", "phường Hòa Cường"),
        ("H.Đông Giang", "huyện Đông Giang"),
        ("CA H. Nam Trà My", "Công an huyện Nam Trà My"),
        // Not before a capitalised place name, or part of a word: as written.
        ("H. và", "H. và"),
        ("loại H.", "loại H."),
        ("AH. Nam", "AH. Nam"),
        ("TT Prao", "TT Prao"),
    ];
    for reader in [north(), central()] {
        for (text, spoken) in rows {
            assert_eq!(mid(&reader, text), spoken, "{text}");
        }
    }
    let r = north();
    assert_eq!(r.read("H. Nam Trà My có 5 xã."), "Huyện Nam Trà My có năm xã.");
    assert_eq!(r.read("X. Kết luận"), "Mười. Kết luận", "an outline heading at a line start");
    assert_eq!(r.read("Về X. Trà Dơn"), "Về xã Trà Dơn");
    // A dot kept with its letter ends no sentence, so a second reading changes nothing.
    let once = r.read("H. 2024 và P. & b");
    assert_eq!(once, "H. hai nghìn không trăm hai mươi tư và P. và b");
    assert_eq!(r.read(&once), once);
}
