//! The "browse safely" page of each language (`/safety/`, `/en/safety/`): how to leave the site
//! quickly, browse privately and clear the history, in plain words (`safety.html` of the theme).

use std::sync::Arc;

use crate::base::error::Result;
use crate::model::Site;
use crate::render::plan::{Input, LINK_SAFETY, Link, Plan, SitePlan};
use crate::render::theme::Theme;
use crate::render::{Artifact, Output};

/// The template of the page.
pub const TEMPLATE: &str = "safety.html";

/// The "browse safely" pages, rendered with the theme's templates.
pub struct Safety {
    theme: Arc<Theme>,
}

impl Safety {
    /// Renders the pages with the theme's templates.
    pub fn new(theme: Arc<Theme>) -> Safety {
        Safety { theme }
    }

    /// The page of every language, if the theme has the template.
    fn pages(&self, site: &Site) -> Result<Vec<Artifact>> {
        self.theme.render_in_every_language(site, TEMPLATE, page_path)
    }
}

/// The URL path of a language's "browse safely" page: `/safety/`, `/en/safety/`.
pub fn page_path(site: &Site, lang: usize) -> String {
    format!("{}/safety/", site.language_prefix(lang))
}

impl Output for Safety {
    fn name(&self) -> &'static str {
        "safety"
    }

    /// The page of every language, when the theme has the template, offered to the others as
    /// each language's safety link.
    fn plan(&self, site: &Site) -> Result<Plan> {
        let routes = self.theme.routes_in_every_language(TEMPLATE, site, page_path);
        let links = if routes.is_empty() {
            Vec::new()
        } else {
            let languages = site.config.languages.iter().enumerate();
            let link = |(lang, language): (usize, &crate::load::config::Language)| Link {
                name: LINK_SAFETY,
                key: language.code.clone(),
                path: page_path(site, lang),
            };
            languages.map(link).collect()
        };
        let mut plan = Plan { links, ..Plan::default() }.fixed();
        for route in routes {
            plan.route_from(route, vec![Input::Template(TEMPLATE.to_owned())]);
        }
        Ok(plan)
    }

    fn render(&self, site: &Site, _plan: &SitePlan) -> Result<Vec<Artifact>> {
        self.pages(site)
    }
}
