//! The theme's and site's static CSS and JS files under content-hashed names
//! (`countdown.3f2a9c1e.js`): the fingerprint output publishes them and templates link them with
//! `asset_url(path=…)`, both from this one list.

use std::collections::HashMap;
use std::hash::Hasher;

use crate::base::error::Result;
use crate::load::config::Config;

/// Static CSS and JS files (the site's winning over the theme's): path → (hashed path, bytes).
pub fn hashed_files(config: &Config) -> Result<HashMap<String, (String, Vec<u8>)>> {
    let mut files = HashMap::new();
    for file in crate::load::theme::layered_files(config, "static")? {
        if file.relative.ends_with(".css") || file.relative.ends_with(".js") {
            let bytes = file.bytes()?;
            files.insert(file.relative.clone(), (hashed_name(&file.relative, &bytes), bytes));
        }
    }
    Ok(files)
}

/// `countdown.js` with the first 8 hex digits of its content hash: `countdown.3f2a9c1e.js`.
pub fn hashed_name(path: &str, bytes: &[u8]) -> String {
    let mut hasher = siphasher::sip::SipHasher13::new();
    hasher.write(bytes);
    let hash = format!("{:016x}", hasher.finish());
    match path.rsplit_once('.') {
        Some((stem, extension)) if !stem.ends_with('/') => {
            format!("{stem}.{}.{extension}", &hash[..8])
        }
        _ => format!("{path}.{}", &hash[..8]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn puts_the_hash_before_the_extension() {
        let name = hashed_name("js/countdown.js", b"let a = 1;");
        assert!(name.starts_with("js/countdown.") && name.ends_with(".js"), "{name}");
        assert_eq!(name.len(), "js/countdown.12345678.js".len());
        assert_ne!(name, hashed_name("js/countdown.js", b"let a = 2;"));
    }
}
