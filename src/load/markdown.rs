//! Markdown parsed once into everything the outputs need: the document tree, headings, links,
//! images and word count; the HTML of a shortcode's body, which the shortcode's component
//! takes, and of a whole body for the callers that ask for it.

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::base::error::{LineIndex, Position};
use crate::base::messages::Message;
use crate::base::text::{is_forbidden_in_xml, slugify};
use crate::load::document::{self, Shortcode, Standing, TreeBuilder};
use crate::load::masked::{Masked, Part};
use crate::load::safety::{self, RawHtml};
use crate::load::shortcodes::{self, ArgValue, Call};

/// A heading of a page, for tables of contents and anchor checks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Plain text of the heading.
    pub title: String,
    /// Unique anchor id within the page.
    pub id: String,
    /// Place in the source file.
    #[serde(skip)]
    pub position: Position,
}

/// A link or image reference as written, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The destination as written in the source.
    pub destination: String,
    /// Alt text (images) or link text.
    pub text: String,
    /// Place in the source file.
    pub position: Position,
}

/// What a link destination turns into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// Leave it as written.
    Keep,
    /// Replace it with this URL.
    Rewrite(String),
    /// It points to a source that does not exist; the message says which.
    Broken(Message),
}

/// The result of parsing a Markdown body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// HTML of the body, made by [`render`] and its kin; empty for a page parsed by
    /// [`parse_page`], whose outputs write what they need from the tree.
    pub html: String,
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// Links in order.
    pub links: Vec<Reference>,
    /// Images in order.
    pub images: Vec<Reference>,
    /// Links that could not be resolved, with the reason.
    pub broken_links: Vec<(Reference, Message)>,
    /// Raw HTML written in the body, with where it starts.
    pub raw_html: Vec<(String, Position)>,
    /// What the author wrote that is not published (script, event handlers, unsafe links).
    pub removed: Vec<Removal>,
    /// The body as a document tree, shortcodes as typed nodes.
    pub tree: Vec<document::Block>,
    /// Number of words in the text.
    pub word_count: usize,
    /// URL paths of the co-located files the body links to or shows, filled by the model while
    /// it resolves links (only these are published).
    pub files: Vec<String>,
}

/// Something an author wrote that loa leaves out of the published page, with its place.
#[derive(Debug, Clone, PartialEq)]
pub struct Removal {
    /// Place in the source file.
    pub position: Position,
    /// What was removed.
    pub message: Message,
    /// Why, and what to write instead.
    pub hint: Message,
}

/// What an unsafe link or source is replaced with.
const REFUSED: &str = "#";

/// Shortcode arguments that hold addresses, checked like Markdown destinations.
const ADDRESS_ARGUMENTS: [&str; 5] = ["src", "href", "url", "link", "image"];

/// Schemes that only ever run script, refused in every shortcode argument.
const SCRIPT_SCHEMES: [&str; 2] = ["javascript", "vbscript"];

/// The Markdown extensions loa turns on.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders shortcode calls found in a body.
pub trait ShortcodeHost: Sync {
    /// The HTML of one call; `body_html` is the rendered body of a block shortcode.
    fn render(
        &self,
        call: &Call,
        body_html: Option<&str>,
        resolve: &dyn Fn(&str) -> Resolved,
    ) -> Result<String, (Message, Option<Message>)>;
}

/// A body that could not be read or rendered (a shortcode, or nesting too deep), with its
/// place and a hint.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyFailure {
    /// Place in the source file.
    pub position: Position,
    /// What is wrong.
    pub message: Message,
    /// How to fix it.
    pub hint: Option<Message>,
}

/// How many shortcodes deep a body may nest.
pub const MAX_NESTING: usize = 32;

/// How many levels deep a printed page may nest, every list, item, quote, paragraph, emphasis
/// and shortcode counted: the default theme's Typst templates lay out 14 quotes inside one
/// another before Typst's own limit on nested show rules stops them.
pub const MAX_PRINTED_NESTING: usize = 12;

/// What counts towards the limit: [`MAX_NESTING`] shortcodes, or [`MAX_PRINTED_NESTING`] levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nesting {
    /// Shortcodes inside shortcodes only: their bodies are rendered one inside the other,
    /// while HTML is made from the parse's events without recursion.
    Shortcodes,
    /// Every level (lists, quotes, emphasis, shortcodes), for a printed page, whose tree loa
    /// and the Typst templates walk recursively.
    Everything,
}

/// A parser of `body` with loa's Markdown extensions.
pub fn parser(body: &str) -> Parser<'_> {
    Parser::new_ext(body, options())
}

/// Parses `body`, which starts `line_offset` lines into its file; `resolve` maps link
/// destinations and `host`, when given, renders shortcodes. Raw HTML is sanitised.
pub fn render(
    body: &str,
    line_offset: usize,
    resolve: &dyn Fn(&str) -> Resolved,
    host: Option<&dyn ShortcodeHost>,
) -> Result<Rendered, BodyFailure> {
    render_nested(body, line_offset, resolve, host, Nesting::Shortcodes, RawHtml::Sanitized)
}

/// Like [`render`], with raw HTML sanitised or trusted as `raw_html` says. Unsafe link and
/// source addresses are refused either way.
#[cfg(test)]
fn render_with(
    body: &str,
    line_offset: usize,
    resolve: &dyn Fn(&str) -> Resolved,
    host: Option<&dyn ShortcodeHost>,
    raw_html: RawHtml,
) -> Result<Rendered, BodyFailure> {
    render_nested(body, line_offset, resolve, host, Nesting::Shortcodes, raw_html)
}

/// Like [`render`], with raw HTML as `raw_html` says, refusing a body nested deeper than
/// `nesting` allows.
fn render_nested(
    body: &str,
    line_offset: usize,
    resolve: &dyn Fn(&str) -> Resolved,
    host: Option<&dyn ShortcodeHost>,
    nesting: Nesting,
    raw_html: RawHtml,
) -> Result<Rendered, BodyFailure> {
    Renderer { resolve, host, nesting, raw_html, page_html: true }.body(body, line_offset, 0)
}

/// Like [`render_nested`], for the model: the page's own HTML is not made (`html` stays
/// empty), only the HTML of its shortcodes' bodies, which their components take.
pub fn parse_page(
    body: &str,
    line_offset: usize,
    resolve: &dyn Fn(&str) -> Resolved,
    host: Option<&dyn ShortcodeHost>,
    nesting: Nesting,
    raw_html: RawHtml,
) -> Result<Rendered, BodyFailure> {
    Renderer { resolve, host, nesting, raw_html, page_html: false }.body(body, line_offset, 0)
}

/// Renders a body and, one level deeper each, the bodies of its block shortcodes.
struct Renderer<'r> {
    resolve: &'r dyn Fn(&str) -> Resolved,
    host: Option<&'r dyn ShortcodeHost>,
    nesting: Nesting,
    raw_html: RawHtml,
    /// Whether the page's own body (depth 0) is written as HTML too.
    page_html: bool,
}

/// The HTML of the calls of a body, and what was removed from them and their bodies.
struct CallOutputs {
    html: Vec<String>,
    removed: Vec<Removal>,
    /// The images the calls show (a `src` argument, with its `alt`, and those of block
    /// shortcodes' bodies), checked like Markdown ones.
    images: Vec<Reference>,
    /// The links, broken links and raw HTML of block shortcodes' bodies, checked like the
    /// page's own.
    links: Vec<Reference>,
    broken_links: Vec<(Reference, Message)>,
    raw_html: Vec<(String, Position)>,
    /// Each call as a node of the tree, its body's tree inside.
    nodes: Vec<Option<Shortcode>>,
}

/// The events of one parse, and the depth at which each call was found.
struct Parsed<'t> {
    events: Vec<(Event<'t>, Range<usize>)>,
    call_depths: Vec<usize>,
}

impl Renderer<'_> {
    /// How deep bodies may nest.
    fn limit(&self) -> usize {
        match self.nesting {
            Nesting::Shortcodes => MAX_NESTING,
            Nesting::Everything => MAX_PRINTED_NESTING,
        }
    }

    /// A body `depth` levels down (0 for a page's own body).
    fn body(&self, body: &str, line_offset: usize, depth: usize) -> Result<Rendered, BodyFailure> {
        let lines = LineIndex::new(body);
        let at = |offset: usize| lines.position(offset).shifted(line_offset);
        let calls = match self.host {
            Some(_) => shortcodes::find(body).map_err(|e| BodyFailure {
                position: at(e.offset),
                message: e.message,
                hint: Some(msg!("shortcode.syntax.hint")),
            })?,
            None => Vec::new(),
        };
        let masked = Masked::new(body, &calls).ok_or_else(|| BodyFailure {
            position: at(0),
            message: msg!("shortcode.no_free_character"),
            hint: Some(msg!("shortcode.no_free_character.hint")),
        })?;
        let masked_lines = LineIndex::new(&masked.text);
        let place = |offset: usize| masked_lines.position(offset).shifted(line_offset);
        let parsed = self.parse(&masked, calls.len(), depth, &place)?;
        let outputs = self.outputs(&calls, &parsed.call_depths, &at)?;
        let pieces = splice(parsed.events, &masked);
        let sanitize = self.raw_html == RawHtml::Sanitized;
        let calls = Calls { html: &outputs.html, nodes: outputs.nodes };
        let html = self.page_html || depth > 0;
        let mut rendered = assemble(pieces, calls, &masked, (sanitize, html), &place, self.resolve);
        rendered.removed.extend(outputs.removed);
        rendered.images.extend(outputs.images);
        rendered.links.extend(outputs.links);
        rendered.broken_links.extend(outputs.broken_links);
        rendered.raw_html.extend(outputs.raw_html);
        rendered.images.sort_by_key(|r| r.position);
        rendered.links.sort_by_key(|r| r.position);
        rendered.broken_links.sort_by_key(|(r, _)| r.position);
        rendered.raw_html.sort_by_key(|(_, position)| *position);
        rendered.removed.sort_by_key(|r| r.position);
        Ok(rendered)
    }

    /// Parses the masked body once, refusing it where it nests too deep.
    fn parse<'t>(
        &self,
        masked: &'t Masked,
        calls: usize,
        base: usize,
        place: &dyn Fn(usize) -> Position,
    ) -> Result<Parsed<'t>, BodyFailure> {
        let counted = self.nesting == Nesting::Everything;
        let mut events = Vec::new();
        let mut found: Vec<Option<usize>> = vec![None; calls];
        let (mut open, mut deepest) = (0, 0);
        for (event, range) in parser(&masked.text).into_offset_iter() {
            match &event {
                Event::Start(_) => {
                    open += 1;
                    if counted && base + open > self.limit() {
                        return Err(self.too_deep(place(range.start)));
                    }
                }
                Event::End(_) => open = open.saturating_sub(1),
                Event::Text(text) | Event::Html(text) | Event::InlineHtml(text)
                    if masked.is_marked(text) =>
                {
                    let depth = base + if counted { open } else { 0 };
                    for part in masked.split(text) {
                        if let Some(slot) = call_slot(&mut found, &part) {
                            *slot = Some(depth);
                        }
                    }
                }
                _ => {}
            }
            deepest = deepest.max(open);
            events.push((event, range));
        }
        let unseen = base + if counted { deepest } else { 0 };
        let call_depths = found.into_iter().map(|d| d.unwrap_or(unseen)).collect();
        Ok(Parsed { events, call_depths })
    }

    /// The failure for a body nesting too deep at `position`.
    fn too_deep(&self, position: Position) -> BodyFailure {
        let max = self.limit();
        let (message, hint) = match self.nesting {
            Nesting::Shortcodes => {
                (msg!("shortcode.too_deep", max = max), msg!("shortcode.too_deep.hint"))
            }
            Nesting::Everything => {
                (msg!("markdown.too_deep", max = max), msg!("markdown.too_deep.hint"))
            }
        };
        BodyFailure { position, message, hint: Some(hint) }
    }

    /// The HTML of each call, block bodies rendered one level deeper than the call.
    fn outputs(
        &self,
        calls: &[Call],
        depths: &[usize],
        at: &dyn Fn(usize) -> Position,
    ) -> Result<CallOutputs, BodyFailure> {
        let mut outputs = CallOutputs {
            html: Vec::with_capacity(calls.len()),
            removed: Vec::new(),
            images: Vec::new(),
            links: Vec::new(),
            broken_links: Vec::new(),
            raw_html: Vec::new(),
            nodes: Vec::with_capacity(calls.len()),
        };
        let Some(host) = self.host else { return Ok(outputs) };
        for (call, depth) in calls.iter().zip(depths) {
            let position = at(call.range.start);
            let body = match &call.body {
                Some(_) if depth + 1 > self.limit() => return Err(self.too_deep(position)),
                Some(inner) => Some(self.body(inner, position.line - 1, depth + 1)?),
                None => None,
            };
            outputs.images.extend(shown_image(call, position));
            let call = refuse_unsafe_arguments(call, position, &mut outputs.removed);
            let body_html = body.as_ref().map(|b| b.html.as_str());
            let html = host
                .render(&call, body_html, self.resolve)
                .map_err(|(message, hint)| BodyFailure { position, message, hint })?;
            let tree = body.map(|b| {
                outputs.removed.extend(b.removed);
                outputs.images.extend(b.images);
                outputs.links.extend(b.links);
                outputs.broken_links.extend(b.broken_links);
                outputs.raw_html.extend(b.raw_html);
                b.tree
            });
            outputs.html.push(html);
            outputs.nodes.push(Some(Shortcode {
                position,
                name: call.name,
                args: call.args,
                body: tree,
                in_html: false,
            }));
        }
        Ok(outputs)
    }
}

/// The call with every address argument that uses an unsafe scheme replaced, each reported.
/// Other text arguments are refused only for the schemes no text starts with
/// (`javascript:`, `vbscript:`), since a site's own shortcode may put any argument in a link.
fn refuse_unsafe_arguments(call: &Call, position: Position, removed: &mut Vec<Removal>) -> Call {
    let mut call = call.clone();
    for (name, value) in &mut call.args {
        let ArgValue::Text(text) = value else { continue };
        let is_address = ADDRESS_ARGUMENTS.contains(&name.as_str());
        let refused = safety::unsafe_scheme(text)
            .filter(|scheme| is_address || SCRIPT_SCHEMES.contains(&scheme.as_str()));
        if let Some(scheme) = refused {
            removed.push(Removal {
                position,
                message: msg!(
                    "html.unsafe_argument",
                    arg = name.as_str(),
                    name = &call.name,
                    scheme = scheme
                ),
                hint: msg!("html.unsafe_link.hint"),
            });
            *text = REFUSED.to_owned();
        }
    }
    call
}

/// The image a call shows through its `src` argument, with its `alt` text.
fn shown_image(call: &Call, position: Position) -> Option<Reference> {
    let text_of = |name: &str| {
        call.args.iter().find(|(n, _)| n == name).and_then(|(_, v)| match v {
            ArgValue::Text(text) => Some(text.clone()),
            _ => None,
        })
    };
    let destination = text_of("src")?;
    Some(Reference { destination, text: text_of("alt").unwrap_or_default(), position })
}

fn call_slot<'f>(found: &'f mut [Option<usize>], part: &Part) -> Option<&'f mut Option<usize>> {
    match part {
        Part::Call(index) => found.get_mut(*index),
        Part::Text(_) => None,
    }
}

/// An event of the parse, or the place of a call.
enum Piece<'t> {
    Event(Event<'t>, Range<usize>),
    Call(usize, Placement),
}

/// Where a call stands.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Placement {
    /// In running text.
    Inline,
    /// Alone in its paragraph, which it replaces.
    Alone,
    /// Inside raw HTML.
    Html,
}

/// The events with the calls' tokens taken out of text and raw HTML, in one pass.
fn splice<'t>(events: Vec<(Event<'t>, Range<usize>)>, masked: &Masked) -> Vec<Piece<'t>> {
    let mut pieces = Vec::with_capacity(events.len());
    for (event, range) in events {
        match event {
            Event::Text(text) if masked.is_marked(&text) => {
                for part in masked.split(&text) {
                    pieces.push(match part {
                        Part::Text(t) => Piece::Event(Event::Text(owned(t)), range.clone()),
                        Part::Call(index) => Piece::Call(index, Placement::Inline),
                    });
                }
            }
            Event::Html(text) | Event::InlineHtml(text) if masked.is_marked(&text) => {
                for part in masked.split(&text) {
                    pieces.push(match part {
                        Part::Text(t) => Piece::Event(Event::Html(owned(t)), range.clone()),
                        Part::Call(index) => Piece::Call(index, Placement::Html),
                    });
                }
            }
            Event::End(TagEnd::Paragraph) => match pieces.as_slice() {
                [
                    ..,
                    Piece::Event(Event::Start(Tag::Paragraph), _),
                    Piece::Call(index, Placement::Inline),
                ] => {
                    let index = *index;
                    pieces.truncate(pieces.len() - 2);
                    pieces.push(Piece::Call(index, Placement::Alone));
                }
                _ => pieces.push(Piece::Event(Event::End(TagEnd::Paragraph), range)),
            },
            other => pieces.push(Piece::Event(other, range)),
        }
    }
    pieces
}

fn owned(text: std::borrow::Cow<'_, str>) -> CowStr<'static> {
    CowStr::from(text.into_owned())
}

/// The calls of a body: their HTML, and their nodes for the tree (each taken once).
struct Calls<'c> {
    html: &'c [String],
    nodes: Vec<Option<Shortcode>>,
}

/// Everything the outputs need, from the spliced events and the calls' HTML and nodes.
/// Author raw HTML is sanitised when `sanitize` says so; the calls' HTML, which comes from the
/// theme, never is: it stands in as the calls' tokens and is put in after sanitising.
fn assemble(
    pieces: Vec<Piece>,
    mut calls: Calls,
    masked: &Masked,
    (sanitize, write_html): (bool, bool),
    place: &dyn Fn(usize) -> Position,
    resolve: &dyn Fn(&str) -> Resolved,
) -> Rendered {
    let mut out = Rendered::default();
    let mut plain_text = String::new();
    let mut events: Vec<Event> = Vec::new();
    let mut used_ids = HashSet::new();
    let mut open: Vec<OpenElement> = Vec::new();
    let mut tree = TreeBuilder::default();
    let outputs = calls.html;
    let has_raw_html = pieces.iter().any(|p| {
        matches!(
            p,
            Piece::Event(Event::Html(_) | Event::InlineHtml(_), _)
                | Piece::Call(_, Placement::Html)
        )
    });
    let sanitize_html = sanitize && has_raw_html;
    let stand_in = |index: usize, html: &str| match masked.marks() {
        Some((edge, _)) if sanitize_html => format!("{edge}{index}{edge}"),
        _ => html.to_owned(),
    };
    for piece in pieces {
        let (event, range) = match piece {
            Piece::Event(event, range) => (event, range),
            Piece::Call(index, placement) => {
                let html = outputs.get(index).map_or("", String::as_str);
                if placement != Placement::Html {
                    let plain = html_to_text(html);
                    collect_text(&mut open, &plain);
                    plain_text.push_str(&plain);
                }
                let html = stand_in(index, html);
                if let Some(mut node) = calls.nodes.get_mut(index).and_then(Option::take) {
                    node.in_html = placement == Placement::Html;
                    let standing = match placement {
                        Placement::Alone => Standing::Alone,
                        _ => Standing::Inline,
                    };
                    tree.shortcode(node, standing);
                }
                events.push(match placement {
                    Placement::Alone => {
                        plain_text.push_str("\n\n");
                        Event::Html(CowStr::from(format!("{html}\n")))
                    }
                    _ => Event::InlineHtml(CowStr::from(html)),
                });
                continue;
            }
        };
        let position = || place(range.start);
        let mut written = None;
        let event = match event {
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let original = dest_url.to_string();
                let dest_url = safe_destination(dest_url, position(), resolve, &mut out);
                written = Some(original.clone());
                open.push(OpenElement::Link(events.len(), original, position()));
                Event::Start(Tag::Link { link_type, dest_url, title, id })
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                let original = dest_url.to_string();
                let dest_url = safe_destination(dest_url, position(), resolve, &mut out);
                written = Some(original.clone());
                open.push(OpenElement::Image(original, position(), String::new()));
                Event::Start(Tag::Image { link_type, dest_url, title, id })
            }
            Event::Start(Tag::Heading { level, id, classes, mut attrs }) => {
                if sanitize {
                    let tag = format!("h{}", heading_number(level));
                    attrs.retain(|(name, _)| {
                        keep_heading_attribute(&tag, name, position(), &mut out)
                    });
                }
                open.push(OpenElement::Heading(
                    events.len(),
                    id.as_ref().map(|i| i.to_string()),
                    String::new(),
                    position(),
                ));
                Event::Start(Tag::Heading { level, id, classes, attrs })
            }
            Event::End(TagEnd::Link) => {
                if let Some(OpenElement::Link(start, destination, position)) = open.pop() {
                    let text = link_text(&events[start..]);
                    out.links.push(Reference { destination, text, position });
                }
                Event::End(TagEnd::Link)
            }
            Event::End(TagEnd::Image) => {
                if let Some(OpenElement::Image(destination, position, alt)) = open.pop() {
                    out.images.push(Reference { destination, text: alt, position });
                }
                Event::End(TagEnd::Image)
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some(OpenElement::Heading(start, custom_id, title, position)) = open.pop() {
                    let id = unique_id(custom_id.unwrap_or_else(|| slugify(&title)), &mut used_ids);
                    tree.heading_id(&id);
                    if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[start] {
                        *slot = Some(CowStr::from(id.clone()));
                    }
                    out.headings.push(Heading {
                        level: heading_number(level),
                        title: title.trim().to_owned(),
                        id,
                        position,
                    });
                }
                plain_text.push_str("\n\n");
                Event::End(TagEnd::Heading(level))
            }
            Event::Text(ref text) | Event::Code(ref text) => {
                collect_text(&mut open, text);
                plain_text.push_str(text);
                event
            }
            Event::Html(html) => {
                note_raw_html(&html, range.start, place, sanitize, &mut out);
                written = Some(html.to_string());
                Event::Html(resolve_raw_html(html, position(), resolve, &mut out))
            }
            Event::InlineHtml(html) => {
                note_raw_html(&html, range.start, place, sanitize, &mut out);
                written = Some(html.to_string());
                Event::InlineHtml(resolve_raw_html(html, position(), resolve, &mut out))
            }
            Event::SoftBreak | Event::HardBreak => {
                plain_text.push(' ');
                event
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableRow
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock,
            ) => {
                plain_text.push_str("\n\n");
                event
            }
            Event::End(TagEnd::TableCell) => {
                plain_text.push(' ');
                event
            }
            other => other,
        };
        tree.observe(&event, position(), written.as_deref());
        events.push(event);
    }
    if write_html {
        out.html = written_html(events, masked, outputs, sanitize_html);
    }
    out.tree = tree.finish();
    out.word_count = tidy_text(&plain_text).split_whitespace().count();
    out
}

/// The HTML of the events, sanitised (the calls' HTML put in afterwards) when `sanitize` says so.
fn written_html(events: Vec<Event>, masked: &Masked, outputs: &[String], sanitize: bool) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if sanitize {
        html = put_in_calls(&safety::sanitize(&html), masked, outputs);
    }
    if html.contains(is_forbidden_in_xml) {
        html = html.replace(is_forbidden_in_xml, "");
    }
    html
}

/// Text of an HTML fragment: tags dropped, common entities decoded.
fn html_to_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Elements whose text is being collected.
enum OpenElement {
    Link(usize, String, Position),
    Image(String, Position, String),
    Heading(usize, Option<String>, String, Position),
}

fn collect_text(open: &mut [OpenElement], text: &str) {
    for element in open.iter_mut() {
        match element {
            OpenElement::Image(_, _, alt) => alt.push_str(text),
            OpenElement::Heading(_, _, title, _) => title.push_str(text),
            OpenElement::Link(..) => {}
        }
    }
}

/// Records raw HTML with its place and, when it is sanitised, what the sanitiser removes.
fn note_raw_html(
    html: &str,
    start: usize,
    place: &dyn Fn(usize) -> Position,
    sanitize: bool,
    out: &mut Rendered,
) {
    out.raw_html.push((html.to_owned(), place(start)));
    if !sanitize {
        return;
    }
    for (offset, message) in safety::removals(html) {
        let hint = msg!("html.removed.hint");
        out.removed.push(Removal { position: place(start + offset), message, hint });
    }
}

/// Whether a heading keeps an attribute written as `{name=value}`; a removed one is reported.
fn keep_heading_attribute(tag: &str, name: &str, position: Position, out: &mut Rendered) -> bool {
    let lower = name.to_ascii_lowercase();
    let keep = safety::attribute_allowed(tag, &lower);
    if !keep {
        out.removed.push(Removal {
            position,
            message: msg!("html.removed_attribute", attribute = lower, tag = tag),
            hint: msg!("html.removed.hint"),
        });
    }
    keep
}

/// Raw HTML as the author wrote it with its `src` and `href` values resolved as the load
/// resolved them, for an output that writes HTML (what is wrong was reported at load).
pub fn resolved_html<'a>(html: &'a str, resolve: &dyn Fn(&str) -> Resolved) -> CowStr<'a> {
    let mut unused = Rendered::default();
    resolve_raw_html(CowStr::Borrowed(html), Position::default(), resolve, &mut unused)
}

/// A link or image destination as written, resolved as the load resolved it (refused when its
/// scheme could run script), for an output that shows the page in another language.
pub fn resolved_destination<'a>(dest: &'a str, resolve: &dyn Fn(&str) -> Resolved) -> CowStr<'a> {
    let mut unused = Rendered::default();
    safe_destination(CowStr::Borrowed(dest), Position::default(), resolve, &mut unused)
}

/// A Markdown link or image destination, refused when its scheme could run script.
fn safe_destination<'a>(
    dest: CowStr<'a>,
    position: Position,
    resolve: &dyn Fn(&str) -> Resolved,
    out: &mut Rendered,
) -> CowStr<'a> {
    match safety::unsafe_scheme(&dest) {
        Some(scheme) => {
            out.removed.push(Removal {
                position,
                message: msg!("html.unsafe_link", scheme = scheme),
                hint: msg!("html.unsafe_link.hint"),
            });
            CowStr::Borrowed(REFUSED)
        }
        None => resolve_destination(dest, position, resolve, out),
    }
}

/// The sanitised HTML with each call's token replaced by the call's HTML, in one pass.
fn put_in_calls(html: &str, masked: &Masked, outputs: &[String]) -> String {
    let mut joined = String::with_capacity(html.len());
    for part in masked.split(html) {
        match part {
            Part::Text(text) => joined.push_str(&text),
            Part::Call(index) => joined.push_str(outputs.get(index).map_or("", String::as_str)),
        }
    }
    joined
}

fn resolve_destination<'a>(
    dest: CowStr<'a>,
    position: Position,
    resolve: &dyn Fn(&str) -> Resolved,
    out: &mut Rendered,
) -> CowStr<'a> {
    match resolve(&dest) {
        Resolved::Keep => dest,
        Resolved::Rewrite(url) => CowStr::from(url),
        Resolved::Broken(reason) => {
            let reference =
                Reference { destination: dest.to_string(), text: String::new(), position };
            out.broken_links.push((reference, reason));
            CowStr::Borrowed(PROBLEMS_ANCHOR)
        }
    }
}

/// Where a link to a source that does not exist leads instead: the notice of the page's
/// problems a preview shows (a published build stops on such a link).
pub const PROBLEMS_ANCHOR: &str = "#loa-problems";

/// Raw HTML with its `src` and `href` values resolved like the destinations of Markdown
/// images and links, so that `<img src="anh.jpg">` shows the published copy of a co-located
/// image and `<a href="@/bai.md">` leads to the page.
fn resolve_raw_html<'a>(
    html: CowStr<'a>,
    position: Position,
    resolve: &dyn Fn(&str) -> Resolved,
    out: &mut Rendered,
) -> CowStr<'a> {
    let values = url_attribute_values(&html);
    if values.is_empty() {
        return html;
    }
    let mut resolved = String::with_capacity(html.len());
    let mut copied = 0;
    for range in values {
        let value = &html[range.clone()];
        note_raw_reference(&html, range.clone(), position, out);
        let url = resolve_destination(CowStr::Borrowed(value), position, resolve, out);
        if url.as_ref() == value {
            continue;
        }
        resolved.push_str(&html[copied..range.start]);
        resolved.push_str(&crate::base::text::escape_xml(&url));
        copied = range.end;
    }
    if copied == 0 {
        return html;
    }
    resolved.push_str(&html[copied..]);
    CowStr::from(resolved)
}

/// Records the `src` of an `<img>` as an image (its `alt` as text) and the `href` of an `<a>`
/// as a link, so that they are checked like the images and links written in Markdown.
fn note_raw_reference(html: &str, value: Range<usize>, position: Position, out: &mut Rendered) {
    let Some(open) = html[..value.start].rfind('<') else { return };
    let tag = &html[open + 1..];
    let name_end = tag.find(|c: char| c.is_ascii_whitespace()).unwrap_or(tag.len());
    let name = tag[..name_end].to_ascii_lowercase();
    let inside = &tag[name_end..tag.find('>').unwrap_or(tag.len())];
    let attributes = crate::base::html::attributes(inside);
    let text_of = |wanted: &str| attributes.iter().find(|(n, _)| n == wanted).map(|(_, v)| v);
    let destination = html[value].to_owned();
    if safety::unsafe_scheme(&destination).is_some() {
        return;
    }
    match name.as_str() {
        "img" if text_of("src") == Some(&destination) => {
            let text = text_of("alt").cloned().unwrap_or_default();
            out.images.push(Reference { destination, text, position });
        }
        "a" if text_of("href") == Some(&destination) => {
            out.links.push(Reference { destination, text: String::new(), position });
        }
        _ => {}
    }
}

/// Where the values of `src` and `href` attributes are in a piece of raw HTML.
fn url_attribute_values(html: &str) -> Vec<std::ops::Range<usize>> {
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    for name in ["src=", "href="] {
        for (at, _) in lower.match_indices(name) {
            let after_space = lower[..at].ends_with(|c: char| c.is_ascii_whitespace());
            if !after_space {
                continue;
            }
            let start = at + name.len();
            let (start, end) = match lower[start..].chars().next() {
                Some(quote @ ('"' | '\'')) => {
                    let end = lower[start + 1..].find(quote).map(|i| start + 1 + i);
                    (start + 1, end)
                }
                _ => {
                    let stop = |c: char| c.is_ascii_whitespace() || c == '>';
                    (start, Some(lower[start..].find(stop).map_or(lower.len(), |i| start + i)))
                }
            };
            if let Some(end) = end.filter(|end| *end > start) {
                found.push(start..end);
            }
        }
    }
    found.sort_by_key(|range| range.start);
    found
}

fn link_text(events: &[Event]) -> String {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect()
}

fn unique_id(base: String, used: &mut HashSet<String>) -> String {
    let base = if base.is_empty() { "section".to_owned() } else { base };
    let mut id = base.clone();
    let mut n = 1;
    while !used.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

fn heading_number(level: HeadingLevel) -> u8 {
    level as u8
}

fn tidy_text(text: &str) -> String {
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect();
    paragraphs.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keep(_: &str) -> Resolved {
        Resolved::Keep
    }

    #[test]
    fn can_give_vietnamese_headings_unique_ascii_ids() {
        let r = render("## Đường dây nóng\n\ntext\n\n## Đường dây nóng\n", 0, &keep, None).unwrap();
        assert!(r.html.contains("<h2 id=\"duong-day-nong\">Đường dây nóng</h2>"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"duong-day-nong-1\">"), "{}", r.html);
        assert_eq!(r.headings[1].id, "duong-day-nong-1");
    }

    #[test]
    fn can_collect_links_images_and_positions() {
        let r = render(
            "intro\n\nSee [the plan](@/ke-hoach.md) and ![a map](map.png).\n",
            4,
            &keep,
            None,
        )
        .unwrap();
        assert_eq!(r.links[0].destination, "@/ke-hoach.md");
        assert_eq!(r.links[0].text, "the plan");
        assert_eq!(r.links[0].position, Position::new(7, 5));
        assert_eq!(r.images[0].text, "a map");
    }

    #[test]
    fn can_rewrite_and_report_links() {
        let resolve = |d: &str| match d {
            "@/a.md" => Resolved::Rewrite("/a/".into()),
            "@/b.md" => Resolved::Broken(msg!("link.not_published", path = "b.md")),
            _ => Resolved::Keep,
        };
        let r = render("[a](@/a.md) [b](@/b.md)", 0, &resolve, None).unwrap();
        assert!(r.html.contains("href=\"/a/\""));
        assert_eq!(r.broken_links.len(), 1);
        assert_eq!(r.broken_links[0].0.position, Position::new(1, 13));
    }

    #[test]
    fn resolves_src_and_href_in_raw_html() {
        let resolve = |d: &str| match d {
            "anh.jpg" => Resolved::Rewrite("/bai/anh.jpg".into()),
            "@/b.md" => Resolved::Broken(msg!("link.not_published", path = "b.md")),
            "@/a.md" => Resolved::Rewrite("/a/?x=1&y=2".into()),
            _ => Resolved::Keep,
        };
        let body = "<figure><IMG alt=\"Bản đồ\" SRC='anh.jpg'></figure>\n\n\
                    Xem <a href=\"@/a.md\">a</a>, <a href=@/b.md>b</a> \
                    và <a data-href=\"anh.jpg\" href=\"https://x.vn/anh.jpg\">c</a>.\n";
        let r = render_with(body, 0, &resolve, None, RawHtml::Trusted).unwrap();
        assert!(r.html.contains("<IMG alt=\"Bản đồ\" SRC='/bai/anh.jpg'>"), "{}", r.html);
        assert!(r.html.contains("<a href=\"/a/?x=1&amp;y=2\">a</a>"), "{}", r.html);
        assert!(r.html.contains("<a href=#loa-problems>b</a>"), "{}", r.html);
        assert!(
            r.html.contains("data-href=\"anh.jpg\" href=\"https://x.vn/anh.jpg\""),
            "{}",
            r.html
        );
        assert_eq!(r.broken_links.len(), 1);
        assert_eq!(r.broken_links[0].0.destination, "@/b.md");
        assert_eq!(r.broken_links[0].0.position.line, 3);
        let images: Vec<(&str, &str)> =
            r.images.iter().map(|i| (i.destination.as_str(), i.text.as_str())).collect();
        assert_eq!(images, [("anh.jpg", "Bản đồ")]);
        let links: Vec<&str> = r.links.iter().map(|l| l.destination.as_str()).collect();
        assert_eq!(links, ["@/a.md", "@/b.md", "https://x.vn/anh.jpg"]);
    }

    #[test]
    fn finding_13_raw_html_is_sanitised_with_its_links_resolved_and_removals_placed() {
        let resolve = |d: &str| match d {
            "anh.jpg" => Resolved::Rewrite("/bai/anh.jpg".into()),
            _ => Resolved::Keep,
        };
        let body = "Ảnh:\n\n<IMG alt=\"Bản đồ\" SRC='anh.jpg' onerror=alert(1)>\n\n\
                    <details ontoggle=\"alert(2)\" open><summary>Xem</summary>nội dung</details>\n\n\
                    Xem <a href=\"jav&#9;ascript:alert(3)\">đây</a> và <abbr title=\"Lao động\">LĐ</abbr>.\n";
        let r = render(body, 2, &resolve, None).unwrap();
        assert!(r.html.contains("<img alt=\"Bản đồ\" src=\"/bai/anh.jpg\">"), "{}", r.html);
        assert!(r.html.contains("<details open=\"\"><summary>Xem</summary>"), "{}", r.html);
        assert!(r.html.contains("<a>đây</a> và <abbr title=\"Lao động\">LĐ</abbr>"), "{}", r.html);
        assert!(!r.html.contains("alert"), "{}", r.html);
        let places: Vec<Position> = r.removed.iter().map(|removal| removal.position).collect();
        assert_eq!(places, [Position::new(5, 1), Position::new(7, 1), Position::new(9, 5)]);
    }

    #[test]
    fn finding_13_unsafe_markdown_destinations_are_refused_even_when_html_is_trusted() {
        let body = "[a](javascript:alert(1)) [b](<jav\tascript:alert(2)>) [c](JAVASCRIPT&#58;x)\n\n\
                    ![d](data:text/html;base64,PHNjcmlwdD4=) <javascript:alert(3)> [ok](https://x.vn)\n";
        for raw_html in [RawHtml::Sanitized, RawHtml::Trusted] {
            let r = render_with(body, 0, &keep, None, raw_html).unwrap();
            assert_eq!(r.html.matches("href=\"#\"").count(), 4, "{}", r.html);
            assert!(r.html.contains("<img src=\"#\" alt=\"d\" />"), "{}", r.html);
            assert!(r.html.contains("href=\"https://x.vn\""), "{}", r.html);
            assert_eq!(r.removed.len(), 5, "{:?}", r.removed);
            assert_eq!(r.links[0].destination, "javascript:alert(1)", "kept for loa check");
        }
    }

    #[test]
    fn finding_13_heading_attributes_that_run_script_are_dropped() {
        let r = render("## Tin {#tin .moi onclick=alert(1) data-x=1}\n", 0, &keep, None).unwrap();
        assert!(r.html.contains("<h2 id=\"tin\" class=\"moi\" data-x=\"1\">"), "{}", r.html);
        assert_eq!(r.removed.len(), 1);
        let trusted = render_with("## Tin {onclick=f()}\n", 0, &keep, None, RawHtml::Trusted);
        assert!(trusted.unwrap().html.contains("onclick"));
    }

    #[test]
    fn finding_13_an_unsafe_shortcode_source_is_refused() {
        let r =
            render("{{ fig(src=\"javascript:alert(1)\", alt=\"x\") }}\n", 0, &keep, Some(&Echo))
                .unwrap();
        assert!(!r.html.contains("javascript"), "{}", r.html);
        assert_eq!(r.html.matches("src=#").count(), 1, "{}", r.html);
        assert_eq!(r.removed[0].position, Position::new(1, 1));
        let other = "{{ fig(target=\"JavaScript:alert(1)\", caption=\"data: 2024\") }}\n";
        let r = render(other, 0, &keep, Some(&Echo)).unwrap();
        assert!(r.html.contains("target=# caption=data: 2024"), "{}", r.html);
        assert_eq!(r.removed.len(), 1, "{:?}", r.removed);
    }

    #[test]
    fn can_render_tables_footnotes_tasks_and_smart_quotes() {
        let r = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n\"hi\"[^1] ~~no~~\n\n[^1]: note\n",
            0,
            &keep,
            None,
        )
        .unwrap();
        for needle in ["<table>", "checkbox", "“hi”", "<del>no</del>", "footnote-definition"] {
            assert!(r.html.contains(needle), "{needle} missing from {}", r.html);
        }
    }

    #[test]
    fn can_record_raw_html_and_heading_positions() {
        let r = render("text\n\n<script>alert(1)</script>\n\n### Sâu\n", 2, &keep, None).unwrap();
        assert_eq!(r.raw_html[0].1, Position::new(5, 1));
        assert!(r.raw_html[0].0.contains("<script>"));
        assert_eq!((r.headings[0].level, r.headings[0].position), (3, Position::new(7, 1)));
    }

    struct Echo;

    impl ShortcodeHost for Echo {
        fn render(
            &self,
            call: &Call,
            body: Option<&str>,
            _: &dyn Fn(&str) -> Resolved,
        ) -> Result<String, (Message, Option<Message>)> {
            match call.name.as_str() {
                "box" => Ok(format!("<div class=box>{}</div>", body.unwrap_or_default())),
                "bad" => Err((msg!("shortcode.unknown", name = "bad"), None)),
                "icon" => Ok("<svg viewBox=\"0 0 1 1\"><path d=\"M0 0\"/></svg>".to_owned()),
                "fig" => Ok(call
                    .args
                    .iter()
                    .map(|(name, value)| match value {
                        ArgValue::Text(text) => format!("{name}={text} "),
                        _ => String::new(),
                    })
                    .collect()),
                _ => Ok(format!("<b>{}</b>", call.name)),
            }
        }
    }

    #[test]
    fn can_put_shortcodes_in_place_keeping_positions() {
        let text = "a {{ x() }} b\n\n{% box() %}\n*in*\n{% end %}\n\n## T {{ y() }}\n\n[l](z.md)\n";
        let r = render(text, 3, &keep, Some(&Echo)).unwrap();
        assert!(r.html.contains("<p>a <b>x</b> b</p>"), "{}", r.html);
        assert!(r.html.contains("<div class=box><p><em>in</em></p>\n</div>"), "{}", r.html);
        assert_eq!(r.headings[0].title, "T y");
        assert_eq!(r.links[0].position, Position::new(12, 1));
        assert_eq!(r.word_count, "a x b in T y l".split(' ').count(), "shortcode text counts");
    }

    #[test]
    fn finding_16_nested_block_shortcodes_stop_at_the_limit_with_their_place() {
        let body = format!("{}x\n{}", "{% box() %}\n".repeat(40), "{% end %}\n".repeat(40));
        let failure = render(&body, 0, &keep, Some(&Echo)).unwrap_err();
        assert_eq!(failure.message.key(), "shortcode.too_deep");
        assert_eq!(failure.position, Position::new(33, 1));
        let body = format!("{}x\n{}", "{% box() %}\n".repeat(32), "{% end %}\n".repeat(32));
        let r = render(&body, 0, &keep, Some(&Echo)).unwrap();
        assert_eq!(r.html.matches("<div class=box>").count(), 32);
    }

    #[test]
    fn finding_4_printed_bodies_stop_at_their_limit_and_web_bodies_do_not() {
        let deep = format!("{} x\n", ">".repeat(MAX_PRINTED_NESTING + 1));
        let failure = render_nested(&deep, 4, &keep, None, Nesting::Everything, RawHtml::Sanitized)
            .unwrap_err();
        assert_eq!(failure.message.key(), "markdown.too_deep");
        assert_eq!(failure.position, Position::new(5, MAX_PRINTED_NESTING + 1));
        let fits = format!("{} x\n", ">".repeat(MAX_PRINTED_NESTING - 1));
        assert!(
            render_nested(&fits, 0, &keep, None, Nesting::Everything, RawHtml::Sanitized).is_ok()
        );
        assert!(render(&format!("{} x\n", ">".repeat(50_000)), 0, &keep, None).is_ok());
    }

    #[test]
    fn finding_17_a_hundred_thousand_calls_make_a_hundred_thousand_blocks() {
        let r = render(&"{{ x() }} ".repeat(100_000), 0, &keep, Some(&Echo)).unwrap();
        assert_eq!(r.html.matches("<b>x</b>").count(), 100_000);
        assert_eq!(r.word_count, 100_000);
        let r = render(&"{{ ".repeat(100_000), 0, &keep, Some(&Echo)).unwrap();
        assert_eq!(r.html.matches("{{").count(), 100_000);
    }

    #[test]
    fn finding_18_placeholder_characters_an_author_typed_stay_as_typed() {
        let body = "a \u{FFFC}0\u{FFFC} `\u{FFFC}0\u{FFFC}` b\u{2060}c {{ x() }}\n\n## \u{FFFC}0\u{FFFC}\n";
        let r = render(body, 0, &keep, Some(&Echo)).unwrap();
        let typed = "<p>a \u{FFFC}0\u{FFFC} <code>\u{FFFC}0\u{FFFC}</code> b\u{2060}c <b>x</b></p>";
        assert!(r.html.contains(typed), "{}", r.html);
        assert_eq!(r.html.matches("<b>x</b>").count(), 1, "{}", r.html);
        assert_eq!(r.headings[0].title, "\u{FFFC}0\u{FFFC}");
        assert_eq!(
            r.word_count, 6,
            "a, the two restored placeholders, b\u{2060}c, x and the heading's"
        );
    }

    #[test]
    fn reports_shortcode_failures_at_their_place() {
        let failure = render("x\n\n  {{ bad() }}", 2, &keep, Some(&Echo)).unwrap_err();
        assert_eq!(failure.position, Position::new(5, 3));
    }

    #[test]
    fn finding_5_html_drops_control_characters_however_they_are_written() {
        let r = render("a&#11;b \u{c}c `d\u{1}`\n\n<b>e\u{b}</b>\n", 0, &keep, None).unwrap();
        assert!(!r.html.contains(is_forbidden_in_xml), "{:?}", r.html);
        assert!(r.html.contains("<p>ab c <code>d</code></p>"), "{:?}", r.html);
    }

    #[test]
    fn finding_13_shortcode_html_is_never_sanitised_beside_author_html() {
        let body = "<b onclick=\"x()\">a</b>\n\n{{ icon() }}\n\nvà {{ icon() }} <i>b</i>\n";
        let r = render(body, 0, &keep, Some(&Echo)).unwrap();
        assert_eq!(
            r.html.matches("<svg viewBox=\"0 0 1 1\"><path d=\"M0 0\"/></svg>").count(),
            2,
            "{}",
            r.html
        );
        assert!(!r.html.contains("onclick"), "{}", r.html);
        assert_eq!(r.removed.len(), 1, "{:?}", r.removed);
    }

    #[test]
    fn counts_the_words_of_the_plain_text() {
        let r = render("# Title\n\nOne *two*\nthree.\n\n- a\n- b\n", 0, &keep, None).unwrap();
        assert_eq!(r.word_count, "Title One two three. a b".split(' ').count());
    }
}
