//! The commands on top of the layers: `build`, `serve`, `check`, `i18n`, `init` and `new`.

pub mod build;
pub mod check;
pub mod cli_locale;
pub mod i18n;
pub mod i18n_blocks;
pub mod i18n_exchange;
pub mod i18n_markup;
pub mod i18n_pack;
pub mod i18n_po;
pub mod i18n_xliff;
pub mod scaffold;
pub mod serve;
