//! XLIFF 2.0 for the offline exchange: one `<file>` per page, one `<unit>` per block, protected
//! pieces as `<ph>` and `<pc>` that may be neither deleted nor copied, their Markdown in
//! `<originalData>`. Read back with quick-xml.

use std::path::{Path, PathBuf};

use quick_xml::events::{BytesStart, Event};

use crate::base::error::{Error, Position, Result};
use crate::base::messages::{Message, UiLang};
use crate::base::text::escape_xml;
use crate::commands::i18n_exchange::{Exchange, Incoming, IncomingFile, State, Unit};
use crate::commands::i18n_markup::{Piece, Written};

/// The exchange as an XLIFF 2.0 document, notes in `lang`.
pub fn write(exchange: &Exchange, lang: UiLang) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.0\" srcLang=\"{}\" trgLang=\"{}\">\n",
        escape_xml(&exchange.source_lang),
        escape_xml(&exchange.lang)
    ));
    for (index, page) in exchange.pages.iter().enumerate() {
        out.push_str(&format!(
            "  <file id=\"f{}\" original=\"{}\">\n    <notes>\n",
            index + 1,
            escape_xml(&crate::commands::i18n_exchange::page_key(&page.translation))
        ));
        let mut notes = vec![
            ("location", msg!("exchange.note_address", address = &page.address)),
            ("source", msg!("exchange.note_source", file = page.source.display())),
        ];
        notes.extend(exchange.notes.iter().map(|n| ("general", n.clone())));
        for (category, note) in notes {
            out.push_str(&note_element(category, &note, lang, "      "));
        }
        out.push_str("    </notes>\n");
        for unit in &page.units {
            out.push_str(&unit_element(unit, lang));
        }
        out.push_str("  </file>\n");
    }
    out.push_str("</xliff>\n");
    out
}

fn note_element(category: &str, note: &Message, lang: UiLang, indent: &str) -> String {
    format!("{indent}<note category=\"{category}\">{}</note>\n", escape_xml(&note.render(lang)))
}

fn unit_element(unit: &Unit, lang: UiLang) -> String {
    let kind = serde_json::to_value(unit.kind).ok();
    let name = kind.as_ref().and_then(|k| k.as_str()).unwrap_or("block");
    let mut out = format!("    <unit id=\"{}\" name=\"{name}\">\n", escape_xml(&unit.id));
    if !unit.notes.is_empty() {
        out.push_str("      <notes>\n");
        for note in &unit.notes {
            out.push_str(&note_element("translator", note, lang, "        "));
        }
        out.push_str("      </notes>\n");
    }
    let data = original_data(&unit.source);
    if !data.is_empty() {
        out.push_str(&format!("      <originalData>\n{data}      </originalData>\n"));
    }
    let state = match (unit.state, &unit.target) {
        (State::Translated, Some(_)) => "translated",
        _ => "initial",
    };
    out.push_str(&format!("      <segment state=\"{state}\">\n"));
    out.push_str(&format!("        <source>{}</source>\n", inline(&unit.source)));
    if let Some(target) = &unit.target {
        out.push_str(&format!("        <target>{}</target>\n", inline(target)));
    }
    out.push_str("      </segment>\n    </unit>\n");
    out
}

/// The `<data>` elements of a block's protected pieces (empty when it has none).
pub(crate) fn original_data(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .filter_map(|piece| match piece {
            Piece::Text(_) => None,
            Piece::Ph { id, data } | Piece::Open { id, data } => Some((format!("d{id}"), data)),
            Piece::Close { id, data } => Some((format!("d{id}e"), data)),
        })
        .map(|(id, data)| format!("        <data id=\"{id}\">{}</data>\n", escape_xml(data)))
        .collect()
}

/// Pieces as XLIFF inline content.
pub(crate) fn inline(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|piece| match piece {
            Piece::Text(text) => escape_xml(text),
            Piece::Ph { id, .. } => {
                format!("<ph id=\"{id}\" dataRef=\"d{id}\" canCopy=\"no\" canDelete=\"no\"/>")
            }
            Piece::Open { id, .. } => format!(
                "<pc id=\"{id}\" dataRefStart=\"d{id}\" dataRefEnd=\"d{id}e\" canCopy=\"no\" canDelete=\"no\" canOverlap=\"no\">"
            ),
            Piece::Close { .. } => "</pc>".to_owned(),
        })
        .collect()
}

/// What the reader is inside.
#[derive(Default)]
struct ReadState {
    lang: Option<String>,
    page: Option<PathBuf>,
    page_line: usize,
    unit: Option<Incoming>,
    in_source: bool,
    in_target: bool,
    open_pairs: Vec<u32>,
    source_pieces: Vec<Written>,
    source_open: Vec<u32>,
    data: std::collections::BTreeMap<String, String>,
    data_id: Option<String>,
    units: Vec<(PathBuf, usize, Incoming)>,
}

/// Reads an XLIFF 2.0 file written by [`write`] and filled in by a translator.
pub fn read(text: &str, shown: &Path) -> Result<IncomingFile> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut state = ReadState::default();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| malformed(text, shown, reader.error_position(), detail(e)))?;
        let at = usize::try_from(reader.buffer_position()).unwrap_or(text.len());
        let line = Position::of_offset(text, at).line;
        match event {
            Event::Start(element) => state.start(&element, line, false, text, shown, at)?,
            Event::Empty(element) => state.start(&element, line, true, text, shown, at)?,
            Event::End(element) => state.end(element.local_name().as_ref()),
            Event::Text(t) => {
                let decoded =
                    t.decode().map_err(|e| malformed(text, shown, at as u64, detail(e)))?;
                state.text(&decoded);
            }
            Event::GeneralRef(r) => {
                let character = r
                    .resolve_char_ref()
                    .ok()
                    .flatten()
                    .map(String::from)
                    .or_else(|| predefined(&r.decode().unwrap_or_default()).map(str::to_owned));
                let Some(character) = character else {
                    return Err(malformed(text, shown, at as u64, msg!("exchange.xliff_entity")));
                };
                state.text(&character);
            }
            Event::CData(c) => state.text(&String::from_utf8_lossy(&c)),
            Event::Eof => break,
            _ => {}
        }
    }
    let Some(lang) = state.lang else {
        return Err(Error::at(shown, Some(Position::new(1, 1)), msg!("exchange.no_language"))
            .with_hint(msg!("exchange.no_language.hint")));
    };
    Ok(IncomingFile {
        shown: shown.to_path_buf(),
        lang,
        pages: crate::commands::i18n_exchange::group_units(state.units),
    })
}

fn predefined(name: &str) -> Option<&'static str> {
    Some(match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => return None,
    })
}

/// The XML reader's own words for what is wrong (it has no Vietnamese).
fn detail(error: impl std::fmt::Display) -> Message {
    msg!("exchange.xliff_detail", detail = error.to_string())
}

fn malformed(text: &str, shown: &Path, offset: u64, reason: Message) -> Error {
    let offset = usize::try_from(offset).unwrap_or(text.len()).min(text.len());
    Error::at(
        shown,
        Some(Position::of_offset(text, offset)),
        msg!("exchange.bad_xliff", reason = reason),
    )
    .with_hint(msg!("exchange.bad_xliff.hint"))
}

fn attribute(element: &BytesStart, name: &str) -> Option<String> {
    element
        .try_get_attribute(name)
        .ok()
        .flatten()
        .and_then(|a| a.unescape_value().ok())
        .map(|v| v.into_owned())
}

impl ReadState {
    fn start(
        &mut self,
        element: &BytesStart,
        line: usize,
        empty: bool,
        text: &str,
        shown: &Path,
        at: usize,
    ) -> Result<()> {
        match element.local_name().as_ref() {
            b"xliff" => {
                if attribute(element, "version").is_none_or(|v| !v.starts_with("2.")) {
                    return Err(malformed(text, shown, at as u64, msg!("exchange.xliff_version")));
                }
                self.lang = attribute(element, "trgLang");
            }
            b"file" => {
                self.page = attribute(element, "original").map(PathBuf::from);
                self.page_line = line;
            }
            b"unit" => {
                self.source_pieces.clear();
                self.data.clear();
                self.unit = Some(Incoming {
                    id: attribute(element, "id").unwrap_or_default(),
                    line,
                    source_text: String::new(),
                    source_markdown: None,
                    target: None,
                    markers: false,
                    confirmed: false,
                });
            }
            b"segment" => {
                let state = attribute(element, "state").unwrap_or_else(|| "initial".to_owned());
                if let Some(unit) = &mut self.unit {
                    unit.confirmed = state != "initial";
                }
            }
            b"source" => self.in_source = !empty,
            b"data" => {
                let id = attribute(element, "id").unwrap_or_default();
                self.data.insert(id.clone(), String::new());
                self.data_id = (!empty).then_some(id);
            }
            b"target" => {
                self.in_target = !empty;
                if let Some(unit) = &mut self.unit {
                    unit.target = Some(Vec::new());
                }
            }
            b"ph" | b"sc" => self.code(element, empty, text, shown, at)?,
            b"pc" => self.code(element, empty, text, shown, at)?,
            b"ec" => {
                let id = attribute(element, "startRef").or_else(|| attribute(element, "id"));
                let id = number(id, text, shown, at)?;
                self.push(Written::Close(id));
            }
            b"cp" => {
                let hex = attribute(element, "hex").unwrap_or_default();
                let character = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                self.text(&character.map(String::from).unwrap_or_default());
            }
            _ => {}
        }
        Ok(())
    }

    fn code(
        &mut self,
        element: &BytesStart,
        empty: bool,
        text: &str,
        shown: &Path,
        at: usize,
    ) -> Result<()> {
        let id = number(attribute(element, "id"), text, shown, at)?;
        let pair = element.local_name().as_ref() == b"pc";
        if self.in_source {
            if let Some(unit) = &mut self.unit {
                unit.source_text.push_str(&format!("{{{id}}}"));
            }
            self.source_pieces.push(if pair { Written::Open(id) } else { Written::Alone(id) });
            if pair && empty {
                self.source_pieces.push(Written::Close(id));
            } else if pair {
                self.source_open.push(id);
            }
            return Ok(());
        }
        if pair && !empty {
            self.open_pairs.push(id);
            self.push(Written::Open(id));
        } else if pair {
            self.push(Written::Open(id));
            self.push(Written::Close(id));
        } else {
            self.push(Written::Alone(id));
        }
        Ok(())
    }

    fn end(&mut self, name: &[u8]) {
        match name {
            b"source" => self.in_source = false,
            b"target" => self.in_target = false,
            b"data" => self.data_id = None,
            b"pc" if self.in_source => {
                if let Some(id) = self.source_open.pop() {
                    self.source_pieces.push(Written::Close(id));
                }
            }
            b"pc" if self.in_target => {
                if let Some(id) = self.open_pairs.pop() {
                    self.push(Written::Close(id));
                }
            }
            b"unit" => {
                let markdown = source_markdown(&self.source_pieces, &self.data);
                if let Some(unit) = &mut self.unit {
                    unit.source_markdown = markdown;
                }
                if let (Some(unit), Some(page)) = (self.unit.take(), &self.page) {
                    self.units.push((page.clone(), self.page_line, unit));
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if let Some(id) = &self.data_id {
            if let Some(data) = self.data.get_mut(id) {
                data.push_str(text);
            }
        } else if self.in_source {
            if let Some(unit) = &mut self.unit {
                unit.source_text.push_str(text);
            }
            match self.source_pieces.last_mut() {
                Some(Written::Text(last)) => last.push_str(text),
                _ => self.source_pieces.push(Written::Text(text.to_owned())),
            }
        } else if self.in_target {
            match self.unit.as_mut().and_then(|u| u.target.as_mut()).and_then(|t| t.last_mut()) {
                Some(Written::Text(last)) => last.push_str(text),
                _ => self.push(Written::Text(text.to_owned())),
            }
        }
    }

    fn push(&mut self, written: Written) {
        if !self.in_target {
            return;
        }
        if let Some(target) = self.unit.as_mut().and_then(|u| u.target.as_mut()) {
            target.push(written);
        }
    }
}

/// The Markdown of a unit's `<source>`, its codes replaced by their `<originalData>`; `None`
/// when a code has no data.
fn source_markdown(
    pieces: &[Written],
    data: &std::collections::BTreeMap<String, String>,
) -> Option<String> {
    pieces
        .iter()
        .map(|piece| match piece {
            Written::Text(text) => Some(text.clone()),
            Written::Alone(id) | Written::Open(id) => data.get(&format!("d{id}")).cloned(),
            Written::Close(id) => data.get(&format!("d{id}e")).cloned(),
        })
        .collect()
}

fn number(id: Option<String>, text: &str, shown: &Path, at: usize) -> Result<u32> {
    id.as_deref()
        .and_then(|id| id.parse::<u32>().ok())
        .ok_or_else(|| malformed(text, shown, at as u64, msg!("exchange.xliff_code_id")))
}
