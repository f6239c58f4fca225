//! Built-in word tables: the §10 abbreviations, document codes, context words and letter names.

/// The whole-token abbreviation table of §10 (sites add or override rows in the locale).
pub(crate) const ABBREVIATIONS: &[(&str, &str)] = &[
    ("UBND", "Ủy ban nhân dân"),
    ("HĐND", "Hội đồng nhân dân"),
    ("MTTQ", "Mặt trận Tổ quốc"),
    ("MTTQVN", "Mặt trận Tổ quốc Việt Nam"),
    ("UBMTTQVN", "Ủy ban Mặt trận Tổ quốc Việt Nam"),
    ("LĐTBXH", "Lao động - Thương binh và Xã hội"),
    ("LĐ-TB&XH", "Lao động - Thương binh và Xã hội"),
    ("BLĐTBXH", "Bộ Lao động - Thương binh và Xã hội"),
    ("BCĐ", "Ban Chỉ đạo"),
    ("BCA", "Bộ Công an"),
    ("BQP", "Bộ Quốc phòng"),
    ("BNG", "Bộ Ngoại giao"),
    ("BĐBP", "Bộ đội Biên phòng"),
    ("LHPN", "Liên hiệp Phụ nữ"),
    ("GD&ĐT", "Giáo dục và Đào tạo"),
    ("PCMBN", "phòng, chống mua bán người"),
    ("MBN", "mua bán người"),
    ("THCS", "trung học cơ sở"),
    ("THPT", "trung học phổ thông"),
    ("SĐT", "số điện thoại"),
    ("TP.", "thành phố"),
    ("Tp.", "thành phố"),
    ("KT-XH", "kinh tế - xã hội"),
    ("ANTT", "an ninh trật tự"),
    ("CSGT", "Cảnh sát giao thông"),
    ("BHYT", "bảo hiểm y tế"),
    ("TNXH", "tệ nạn xã hội"),
    ("v.v.", "vân vân"),
];

/// Document type and issuer codes, expanded only inside document numbers (§10).
pub(crate) const DOC_CODES: &[(&str, &str)] = &[
    ("QĐ", "Quyết định"),
    ("KH", "Kế hoạch"),
    ("CT", "Chỉ thị"),
    ("NQ", "Nghị quyết"),
    ("NĐ", "Nghị định"),
    ("TT", "Thông tư"),
    ("CV", "Công văn"),
    ("TB", "Thông báo"),
    ("BC", "Báo cáo"),
    ("HD", "Hướng dẫn"),
    ("TTg", "Thủ tướng Chính phủ"),
    ("CP", "Chính phủ"),
    ("TW", "Trung ương"),
    ("QP", "Quốc phòng"),
    ("NG", "Ngoại giao"),
    ("CA", "Công an"),
];

/// Names of document types (lowercase): `Quyết định số 113` is a document, not a hotline (§5.5).
pub(crate) const DOC_TYPES: &[&str] = &[
    "quyết định",
    "kế hoạch",
    "chỉ thị",
    "nghị quyết",
    "nghị định",
    "thông tư",
    "công văn",
    "thông báo",
    "báo cáo",
    "hướng dẫn",
    "văn bản",
    "công điện",
    "tờ trình",
];

/// Looks up a document code.
pub(crate) fn doc_code(code: &str) -> Option<&'static str> {
    DOC_CODES.iter().find(|(k, _)| *k == code).map(|(_, v)| *v)
}

/// Words after which `CA` means *Công an* (lowercase; two-word entries are matched word by word).
pub(crate) const CA_PLACES: &[&str] =
    &["tỉnh", "huyện", "xã", "thị xã", "thành phố", "phường", "thị trấn"];

/// Words after which `a/b` is a fraction (§6a), lowercase; *tỷ lệ* is matched apart.
pub(crate) const QUANTITY_CUES: &[&str] =
    &["khoảng", "chừng", "gần", "hơn", "trên", "dưới", "chiếm", "đạt", "còn", "bằng"];

/// Words before *trường* that make it no school or square (*môi trường*, *thị trường*…), §6b.
pub(crate) const NOT_SCHOOLS: &[&str] = &["môi", "thị", "chiến", "hiện", "lập"];

/// Administrative units written `H.`, `X.`, `TX.`, `TT.`, `Q.`, `P.`, expanded only before a
/// capitalised place name (§10); the token is given without its dot.
pub(crate) fn place_prefix(token: &str) -> Option<&'static str> {
    Some(match token {
        "H" => "huyện",
        "X" => "xã",
        "TX" => "thị xã",
        "TT" => "thị trấn",
        "Q" => "quận",
        "P" => "phường",
        _ => return None,
    })
}

/// Words kept as written after a number (multipliers).
pub(crate) const MULTIPLIERS: &[&str] = &["nghìn", "ngàn", "triệu", "tỷ", "tỉ"];

/// Words after which a Roman numeral is read as a cardinal (§8), by their last word.
/// Each entry is (last word, required word before it or "").
pub(crate) const ROMAN_CARDINAL_AFTER: &[(&str, &str)] = &[
    ("kỷ", "thế"),
    ("kỉ", "thế"),
    ("khóa", ""),
    ("khoá", ""),
    ("hội", "đại"),
    ("phần", ""),
    ("chương", ""),
    ("mục", ""),
    ("lục", "phụ"),
    ("quý", ""),
];

/// Spoken name of a letter, for `doc_code: spell`.
pub(crate) fn letter_name(c: char) -> Option<&'static str> {
    let lower: String = c.to_lowercase().collect();
    Some(match lower.as_str() {
        "a" => "a",
        "ă" => "á",
        "â" => "ớ",
        "b" => "bê",
        "c" => "xê",
        "d" => "đê",
        "đ" => "đê",
        "e" => "e",
        "ê" => "ê",
        "f" => "ép",
        "g" => "giê",
        "h" => "hát",
        "i" => "i",
        "j" => "gi",
        "k" => "ca",
        "l" => "e-lờ",
        "m" => "em",
        "n" => "en",
        "o" => "o",
        "ô" => "ô",
        "ơ" => "ơ",
        "p" => "pê",
        "q" => "quy",
        "r" => "e-rờ",
        "s" => "ét",
        "t" => "tê",
        "u" => "u",
        "ư" => "ư",
        "v" => "vê",
        "w" => "vê kép",
        "x" => "ích",
        "y" => "i dài",
        "z" => "dét",
        _ => return None,
    })
}
