//! The one reader of HTML attributes, for every layer that looks into a piece of HTML (the
//! sanitiser's report, image rewriting, the first-load check): names lowercased, values as
//! written (still escaped), in any quoting.

/// The attributes of the inside of a start tag after its name: names lowercased, values as
/// written.
pub fn attributes(inside: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut chars = inside.char_indices().peekable();
    loop {
        while chars.next_if(|(_, c)| c.is_whitespace() || *c == '/').is_some() {}
        let Some(&(start, _)) = chars.peek() else { break };
        let mut end = start;
        while let Some((i, c)) = chars.next_if(|(_, c)| !c.is_whitespace() && !"=/>".contains(*c)) {
            end = i + c.len_utf8();
        }
        if end == start {
            chars.next();
            continue;
        }
        let name = inside[start..end].to_ascii_lowercase();
        while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
        if chars.next_if(|(_, c)| *c == '=').is_none() {
            found.push((name, String::new()));
            continue;
        }
        while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
        let quote = chars.next_if(|(_, c)| *c == '"' || *c == '\'').map(|(_, c)| c);
        let mut value = String::new();
        while let Some((_, c)) = chars.next_if(|(_, c)| match quote {
            Some(q) => *c != q,
            None => !c.is_whitespace(),
        }) {
            value.push(c);
        }
        if quote.is_some() {
            chars.next();
        }
        found.push((name, value));
    }
    found
}

/// The attributes of a whole start tag such as `<img src="a.png" alt=x />`.
pub fn start_tag_attributes(tag: &str) -> Vec<(String, String)> {
    let inner = tag.trim_start_matches('<').trim_end_matches('>').trim_end_matches('/');
    let name_end = inner.find(|c: char| c.is_whitespace() || c == '/').unwrap_or(inner.len());
    attributes(&inner[name_end..])
}

/// The value of attribute `name` of a whole start tag, as written.
pub fn attribute(tag: &str, name: &str) -> Option<String> {
    start_tag_attributes(tag).into_iter().find(|(n, _)| n == name).map(|(_, value)| value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_attributes_in_any_quoting() {
        let found = start_tag_attributes(r#"<img src="/a b.png" alt='x "y"' hidden data-n=3 />"#);
        let names: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["src", "alt", "hidden", "data-n"]);
        assert_eq!(found[0].1, "/a b.png");
        assert_eq!(found[1].1, "x \"y\"");
        assert_eq!(found[3].1, "3");
    }

    #[test]
    fn names_are_lowercased_and_values_kept_as_written() {
        let found = attributes(r#" ONCLICK="go()" HREF=/a?b=1&amp;c=2 /"#);
        assert_eq!(
            found,
            [("onclick".into(), "go()".into()), ("href".into(), "/a?b=1&amp;c=2".into())]
        );
        assert_eq!(attribute("<script src=/app.js defer>", "src").as_deref(), Some("/app.js"));
        assert_eq!(
            attribute("<link rel=stylesheet href='/s.css'>", "href").as_deref(),
            Some("/s.css")
        );
        assert_eq!(attribute("<img alt=x>", "src"), None);
    }

    #[test]
    fn a_stray_equals_sign_or_slash_is_no_attribute() {
        let found = attributes(" = / a=1");
        assert_eq!(found, [("a".into(), "1".into())]);
    }
}
