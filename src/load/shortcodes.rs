//! Shortcodes in Markdown, Zola style: inline `{{ name(arg="v", n=3) }}` and block
//! `{% name(arg="v") %}…Markdown…{% end %}`. Code spans and fenced code are left alone.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};

use crate::base::messages::Message;

/// The block shortcodes that take no arguments and are written without parentheses:
/// `{% web %}…{% end %}` (for the web, print, search and SMS only) and `{% speak %}…{% end %}`
/// (for the loudspeaker only).
pub const BARE_BLOCKS: [&str; 2] = ["web", "speak"];

/// An argument value as written.
#[derive(Debug, Clone, PartialEq)]
pub enum ArgValue {
    /// A quoted string.
    Text(String),
    /// A whole number.
    Integer(i64),
    /// A number with a fraction.
    Float(f64),
    /// `true` or `false`.
    Bool(bool),
}

/// One shortcode call found in a body.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The shortcode's name.
    pub name: String,
    /// Arguments in the order written.
    pub args: Vec<(String, ArgValue)>,
    /// The Markdown between a block shortcode's tags (`None` for inline ones).
    pub body: Option<String>,
    /// Byte range of the whole call (tags and body) in the text.
    pub range: Range<usize>,
}

/// A shortcode that could not be read, at a byte offset of the text.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    /// Where in the text.
    pub offset: usize,
    /// What is wrong.
    pub message: Message,
}

/// Finds the shortcode calls of `text` outside code, in order.
pub fn find(text: &str) -> Result<Vec<Call>, SyntaxError> {
    if !text.contains("{{") && !text.contains("{%") {
        return Ok(Vec::new());
    }
    let code = code_ranges(text);
    let in_code = |offset: usize| {
        let after = code.partition_point(|r| r.end <= offset);
        code.get(after).is_some_and(|r| r.contains(&offset))
    };
    let mut calls = Vec::new();
    let mut at = 0;
    while let Some(found) = next_opening(text, at) {
        if in_code(found) {
            at = found + 2;
            continue;
        }
        let block = text[found..].starts_with("{%");
        let Some(head) = parse_head(text, found, block)? else {
            at = found + 2;
            continue;
        };
        let (name, args, head_end) = head;
        if name == "end" && block {
            return Err(SyntaxError {
                offset: found,
                message: msg!("shortcode.end_without_start"),
            });
        }
        if !block {
            calls.push(Call { name, args, body: None, range: found..head_end });
            at = head_end;
            continue;
        }
        let (body_end, close_end) = find_end(text, head_end, &in_code).ok_or_else(|| {
            SyntaxError { offset: found, message: msg!("shortcode.unclosed", name = &name) }
        })?;
        let body = text[head_end..body_end].to_owned();
        calls.push(Call { name, args, body: Some(body), range: found..close_end });
        at = close_end;
    }
    Ok(calls)
}

/// The next `{{` or `{%` from `from`, looking at each `{` once.
fn next_opening(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    while let Some(found) = text[at..].find('{').map(|i| at + i) {
        if matches!(bytes.get(found + 1), Some(b'{' | b'%')) {
            return Some(found);
        }
        at = found + 1;
    }
    None
}

/// Byte ranges of code spans and code blocks, where shortcodes are plain text, in order and
/// not overlapping.
fn code_ranges(text: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Code(_) | Event::Start(Tag::CodeBlock(_)) => ranges.push(range),
            _ => {}
        }
    }
    ranges
}

type Head = (String, Vec<(String, ArgValue)>, usize);

/// Reads `{{ name(args) }}` or `{% name(args) %}` at `start`; `None` when it is not a shortcode.
fn parse_head(text: &str, start: usize, block: bool) -> Result<Option<Head>, SyntaxError> {
    let mut cursor = Cursor { text, at: start + 2 };
    cursor.skip_spaces();
    let name = cursor.identifier();
    if name.is_empty() {
        return Ok(None);
    }
    cursor.skip_spaces();
    let close = if block { "%}" } else { "}}" };
    if name == "end" && block {
        return if cursor.eat(close) { Ok(Some((name, Vec::new(), cursor.at))) } else { Ok(None) };
    }
    if block && BARE_BLOCKS.contains(&name.as_str()) && cursor.eat(close) {
        return Ok(Some((name, Vec::new(), cursor.at)));
    }
    if !cursor.eat("(") {
        return Ok(None);
    }
    let args = parse_args(&mut cursor, &name)?;
    cursor.skip_spaces();
    if !cursor.eat(close) {
        return Err(cursor.error(msg!("shortcode.expected_close", close = close)));
    }
    Ok(Some((name, args, cursor.at)))
}

fn parse_args(cursor: &mut Cursor, name: &str) -> Result<Vec<(String, ArgValue)>, SyntaxError> {
    let mut args: Vec<(String, ArgValue)> = Vec::new();
    loop {
        cursor.skip_spaces();
        if cursor.eat(")") {
            return Ok(args);
        }
        let key = cursor.identifier();
        if key.is_empty() {
            return Err(cursor.error(msg!("shortcode.expected_argument", name = name)));
        }
        cursor.skip_spaces();
        if !cursor.eat("=") {
            return Err(cursor.error(msg!("shortcode.expected_equals", arg = &key)));
        }
        cursor.skip_spaces();
        let value = cursor.value()?;
        if args.iter().any(|(k, _)| *k == key) {
            return Err(cursor.error(msg!("shortcode.argument_twice", arg = &key)));
        }
        args.push((key, value));
        cursor.skip_spaces();
        if !cursor.eat(",") && !cursor.peek_is(')') {
            return Err(cursor.error(msg!("shortcode.expected_comma")));
        }
    }
}

/// The end of a block's body and of its `{% end %}`, skipping nested blocks.
fn find_end(text: &str, from: usize, in_code: &dyn Fn(usize) -> bool) -> Option<(usize, usize)> {
    let mut depth = 0;
    let mut at = from;
    while let Some(found) = text[at..].find("{%").map(|i| at + i) {
        if in_code(found) {
            at = found + 2;
            continue;
        }
        match parse_head(text, found, true) {
            Ok(Some((name, _, end))) if name == "end" => {
                if depth == 0 {
                    return Some((found, end));
                }
                depth -= 1;
                at = end;
            }
            Ok(Some((_, _, end))) => {
                depth += 1;
                at = end;
            }
            _ => at = found + 2,
        }
    }
    None
}

/// A position in the text being read.
struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl Cursor<'_> {
    fn rest(&self) -> &str {
        &self.text[self.at..]
    }

    fn skip_spaces(&mut self) {
        let trimmed = self.rest().trim_start_matches([' ', '\t', '\n']);
        self.at = self.text.len() - trimmed.len();
    }

    fn eat(&mut self, token: &str) -> bool {
        if self.rest().starts_with(token) {
            self.at += token.len();
            true
        } else {
            false
        }
    }

    fn peek_is(&self, c: char) -> bool {
        self.rest().starts_with(c)
    }

    fn identifier(&mut self) -> String {
        let length = self
            .rest()
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(self.rest().len());
        let name = self.rest()[..length].to_owned();
        if name.starts_with(|c: char| c.is_ascii_digit()) {
            return String::new();
        }
        self.at += length;
        name
    }

    fn error(&self, message: Message) -> SyntaxError {
        SyntaxError { offset: self.at, message }
    }

    fn value(&mut self) -> Result<ArgValue, SyntaxError> {
        if let Some(quote) = self.rest().chars().next().filter(|c| ['"', '\'', '`'].contains(c)) {
            let start = self.at;
            self.at += 1;
            let Some(end) = self.rest().find(quote) else {
                self.at = start;
                return Err(self.error(msg!("shortcode.unclosed_string")));
            };
            let value = self.rest()[..end].to_owned();
            self.at += end + 1;
            return Ok(ArgValue::Text(value));
        }
        let length = self
            .rest()
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
            .unwrap_or(self.rest().len());
        let word = &self.rest()[..length];
        let value = match word {
            "true" => ArgValue::Bool(true),
            "false" => ArgValue::Bool(false),
            _ if word.parse::<i64>().is_ok() => ArgValue::Integer(word.parse().unwrap_or_default()),
            _ if word.parse::<f64>().is_ok() => ArgValue::Float(word.parse().unwrap_or_default()),
            _ => return Err(self.error(msg!("shortcode.bad_value"))),
        };
        self.at += length;
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_find_inline_and_block_calls() {
        let text = "a {{ hotline(id=\"111\") }} b\n\n{% callout(kind='warning', n=3, big=true, x=1.5) %}\n**Chú ý**\n{% end %}\n";
        let calls = find(text).unwrap();
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].name, "hotline");
        assert_eq!(calls[0].args, vec![("id".into(), ArgValue::Text("111".into()))]);
        assert_eq!(&text[calls[0].range.clone()], "{{ hotline(id=\"111\") }}");
        assert_eq!(calls[1].body.as_deref(), Some("\n**Chú ý**\n"));
        assert_eq!(calls[1].args[1], ("n".into(), ArgValue::Integer(3)));
        assert_eq!(calls[1].args[2], ("big".into(), ArgValue::Bool(true)));
        assert_eq!(calls[1].args[3], ("x".into(), ArgValue::Float(1.5)));
    }

    #[test]
    fn leaves_code_alone() {
        let text = "`{{ hotline(id=\"1\") }}`\n\n```\n{% callout(kind=\"info\") %}\n```\n\n    {{ qr() }}\n";
        assert_eq!(find(text).unwrap(), Vec::new());
    }

    #[test]
    fn handles_nested_blocks() {
        let text =
            "{% callout(kind=\"info\") %}\n{% callout(kind=\"help\") %}\nx\n{% end %}\n{% end %}";
        let calls = find(text).unwrap();
        assert_eq!(calls.len(), 1);
        assert!(calls[0].body.as_deref().unwrap().contains("{% end %}"));
    }

    #[test]
    fn web_and_speak_blocks_are_written_without_parentheses() {
        let text =
            "{% web %}\nXem [trang](a.md).\n{% end %}\n\n{% speak %}\nGọi một một một.\n{% end %}";
        let calls = find(text).unwrap();
        let names: Vec<&str> = calls.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["web", "speak"]);
        assert_eq!(calls[1].body.as_deref(), Some("\nGọi một một một.\n"));
        assert!(find("{% callout %} x").unwrap().is_empty(), "only web and speak");
    }

    #[test]
    fn leaves_text_that_is_not_a_call() {
        assert!(find("{{ }} and {% if %} and {{name}}").unwrap().is_empty());
    }

    #[test]
    fn reports_syntax_errors_with_offsets() {
        let error = |text: &str| find(text).unwrap_err();
        assert_eq!(
            error("{% callout(kind=\"info\") %}\nno end").message.key(),
            "shortcode.unclosed"
        );
        assert_eq!(error("{{ hotline(id=\"111) }}").message.key(), "shortcode.unclosed_string");
        assert_eq!(error("{{ hotline(id=\"111\" }}").message.key(), "shortcode.expected_comma");
        assert_eq!(error("{{ hotline(id) }}").message.key(), "shortcode.expected_equals");
        assert_eq!(error("{{ hotline(id=abc) }}").message.key(), "shortcode.bad_value");
        assert_eq!(
            error("{{ hotline(id=\"1\", id=\"2\") }}").message.key(),
            "shortcode.argument_twice"
        );
        assert_eq!(error("{{ hotline(id=\"1\") %}").message.key(), "shortcode.expected_close");
        assert_eq!(error("x\n{% end %}").offset, 2);
    }
}
