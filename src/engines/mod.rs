//! Engines beside the layers, which know nothing of a site: typesetting (Typst), speech (the
//! Vietnamese reader), image processing, QR codes and audio. Any layer may use them; they use
//! only the base.

pub mod audio;
pub mod images;
pub mod qr;
pub mod speech;
pub mod typeset;
