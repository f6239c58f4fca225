//! The small world one Typst template sees: its own folder, the generated data files and the
//! fonts; no packages, no file system, no clock.

use std::collections::HashMap;
use std::path::PathBuf;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, World};

use super::{Contents, Fonts, Job};
use crate::base::error::{Error, Result};

/// A file the template may read.
struct Entry {
    bytes: Bytes,
    /// Where the file is shown in messages, for template files.
    shown: Option<PathBuf>,
}

/// The world of one template.
pub(super) struct TemplateWorld<'a> {
    library: &'a LazyHash<Library>,
    fonts: &'a Fonts,
    main: FileId,
    files: HashMap<FileId, Entry>,
    sources: HashMap<FileId, Source>,
}

impl<'a> TemplateWorld<'a> {
    /// The world of `job`: its template as main file, its folder and its generated files.
    pub(super) fn new(library: &'a LazyHash<Library>, fonts: &'a Fonts, job: &Job) -> Result<Self> {
        let mut files = HashMap::new();
        let mut sources = HashMap::new();
        for file in job.neighbours.iter().chain(std::iter::once(job.template)) {
            let id = file_id(&file.relative, &file.shown)?;
            if let Contents::Source(text) = &file.contents {
                sources.insert(id, Source::new(id, text.clone()));
            }
            let bytes = without_metadata(file.bytes().to_vec(), &file.shown)?;
            files.insert(id, Entry { bytes: Bytes::new(bytes), shown: Some(file.shown.clone()) });
        }
        for (path, data) in &job.files {
            let id = file_id(path, &job.template.shown)?;
            let bytes = without_metadata(data.clone(), &job.template.shown)?;
            files.insert(id, Entry { bytes: Bytes::new(bytes), shown: None });
        }
        let main = file_id(&job.template.relative, &job.template.shown)?;
        Ok(TemplateWorld { library, fonts, main, files, sources })
    }

    /// The path shown in messages for a template file.
    pub(super) fn shown_path(&self, id: FileId) -> Option<PathBuf> {
        self.files.get(&id).and_then(|e| e.shown.clone())
    }
}

/// Every image Typst reads goes in without EXIF, GPS, XMP or comments, whoever gave it: a
/// PDF or SVG embeds raster images byte for byte.
fn without_metadata(bytes: Vec<u8>, shown: &std::path::Path) -> Result<Vec<u8>> {
    Ok(crate::engines::images::process::strip(&bytes, shown)?.unwrap_or(bytes))
}

fn file_id(path: &str, shown: &std::path::Path) -> Result<FileId> {
    let virtual_path = VirtualPath::new(format!("/{}", path.trim_start_matches('/')))
        .map_err(|_| Error::at(shown, None, msg!("typeset.bad_path", path = path)))?;
    Ok(FileId::new(RootedPath::new(VirtualRoot::Project, virtual_path)))
}

impl World for TemplateWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.sources.get(&id).cloned().ok_or(FileError::NotSource)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files
            .get(&id)
            .map(|e| e.bytes.clone())
            .ok_or_else(|| FileError::NotFound(format!("{id:?}").into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index)
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}
