//! What the typesetting engine is given for this site: the fonts of the theme's and the
//! site's `fonts/` folders, and the Typst templates of a folder such as `print/`.

use std::sync::Arc;

use crate::base::error::Result;
use crate::engines::typeset::{Cache, Contents, FontFile, Fonts, TemplateFile, Typesetter};
use crate::load::theme::LayerFile;
use crate::model::Site;

/// The extensions of the font files a `fonts/` folder may hold beside licences.
const FONT_EXTENSIONS: [&str; 3] = ["ttf", "otf", "ttc"];

/// A typesetter with the site's fonts, keeping what it makes in `cache`.
pub fn typesetter(site: &Site, cache: Arc<Cache>) -> Result<Typesetter> {
    Ok(Typesetter::new(Fonts::new(font_files(site)?)?, cache))
}

/// The `.ttf`, `.otf` and `.ttc` files of the theme's and the site's `fonts/` folders.
fn font_files(site: &Site) -> Result<Vec<FontFile>> {
    let mut fonts = Vec::new();
    for file in crate::load::theme::layered_files(&site.config, "fonts")? {
        if is_font(&file.relative) {
            fonts.push(FontFile { bytes: file.bytes()?, shown: file.shown });
        }
    }
    Ok(fonts)
}

fn is_font(relative: &str) -> bool {
    let extension = relative.rsplit_once('.').map_or("", |(_, e)| e).to_ascii_lowercase();
    FONT_EXTENSIONS.contains(&extension.as_str())
}

/// The files of the theme's and the site's `folder` (`print`, `banners`): Typst sources as
/// text, other files as bytes.
pub fn templates(site: &Site, folder: &str) -> Result<Vec<TemplateFile>> {
    crate::load::theme::layered_files(&site.config, folder)?.into_iter().map(template).collect()
}

fn template(file: LayerFile) -> Result<TemplateFile> {
    let contents = if file.relative.ends_with(".typ") {
        Contents::Source(file.text()?)
    } else {
        Contents::Data(file.bytes()?)
    };
    Ok(TemplateFile { relative: file.relative, shown: file.shown, contents })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_font_files_are_given_to_the_typesetter() {
        assert!(is_font("NotoSans-Regular.ttf"));
        assert!(is_font("sub/Font.OTF"));
        assert!(is_font("Collection.ttc"));
        assert!(!is_font("OFL-NotoSans.txt"));
        assert!(!is_font("ttf"));
    }
}
