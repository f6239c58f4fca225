//! What the outputs declare before anything renders: the routes each will write, the
//! materials each adds to pages (a PDF, a loudspeaker script, an SMS text), and what each needs
//! from the others. Outputs meet only here: the web output lists a page's materials without
//! knowing which output made them, and renders after the outputs whose files it measures.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::base::error::{Error, Result};
use crate::render::{Artifact, Body, file_for_url};

/// A file, or a folder of files, an output will write, as a path inside the output folder
/// (like [`Artifact::path`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Route {
    /// One file (`en/tin-tuc/index.html`).
    File(String),
    /// Every file under this folder (`search-index/vi/`), for files named by their content.
    Folder(String),
}

impl Route {
    /// The file that serves a URL path (`/en/` is `en/index.html`).
    pub fn url(url_path: &str) -> Route {
        Route::File(file_for_url(url_path))
    }

    /// The files under the folder of a URL path ending in `/`.
    pub fn folder(url_path: &str) -> Route {
        Route::Folder(url_path.trim_start_matches('/').to_owned())
    }

    /// Whether the artifact at `path` (a path inside the output folder) lies on this route.
    pub fn covers(&self, path: &str) -> bool {
        match self {
            Route::File(file) => file == path,
            Route::Folder(folder) => path.starts_with(folder.as_str()),
        }
    }
}

/// A set of routes to test artifact paths against quickly.
pub struct RouteSet {
    /// The files.
    files: HashSet<String>,
    /// The folders.
    folders: Vec<String>,
}

impl RouteSet {
    /// The set of `routes`.
    pub fn new(routes: &[Route]) -> RouteSet {
        let mut set = RouteSet { files: HashSet::new(), folders: Vec::new() };
        for route in routes {
            match route {
                Route::File(file) => set.files.insert(file.clone()),
                Route::Folder(folder) => {
                    set.folders.push(folder.clone());
                    true
                }
            };
        }
        set
    }

    /// Whether the artifact at `path` lies on one of the routes.
    pub fn covers(&self, path: &str) -> bool {
        self.files.contains(path) || self.folders.iter().any(|f| path.starts_with(f.as_str()))
    }
}

/// Something a page offers beside its HTML, made by another output: its PDF, its loudspeaker
/// script, its SMS text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Material {
    /// What it is, for themes to style (`print`, `script`, `sms`).
    pub kind: &'static str,
    /// The locale key of its label (`print.leaflet-a5`); `{size}` in it is filled with the size.
    pub label: String,
    /// URL path of the file (without the base path).
    pub path: String,
    /// Size in bytes, when known.
    pub size: Option<u64>,
    /// Whether the size is measured from the rendered file (then known once its output rendered).
    pub measured: bool,
    /// Index of the language of its content.
    pub lang: usize,
    /// Media type for the link's `type`, when a browser should know it before following it.
    pub media_type: Option<&'static str>,
    /// Whether the link should download the file rather than open it.
    pub download: bool,
}

/// An address one output offers the others (a language's safety page, the service worker, a
/// page's preview image), found by its name and key instead of by calling the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// What it is (see the `LINK_…` constants).
    pub name: &'static str,
    /// Which one: a language's code, a page's URL path, or empty for the site's only one.
    pub key: String,
    /// Its URL path without the base path, or an absolute URL.
    pub path: String,
}

/// A language's page of ways to stay safe online (key: the language's code).
pub const LINK_SAFETY: &str = "safety";
/// The offline service worker (key: empty).
pub const LINK_SERVICE_WORKER: &str = "service-worker";
/// A language's link-preview banner, an absolute URL (key: the language's code).
pub const LINK_PREVIEW_BANNER: &str = "link-preview-banner";
/// The loudspeaker index a language links to (key: the language's code).
pub const LINK_LOUDSPEAKER_INDEX: &str = "loudspeaker-index";
/// A page's image for link previews, at its largest size (key: the page's URL path).
pub const LINK_PAGE_IMAGE: &str = "page-image";

/// What a route is made from: after an edit, `loa serve` renders again exactly the routes one
/// of whose inputs the edit changed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Input {
    /// A document's text and front matter (its index in `Site::docs`).
    Doc(usize),
    /// What listings show of a document: its title, date, description, tags and place in the
    /// order of its section.
    Listing(usize),
    /// A web template (a change reaches the templates that extend, include or import it).
    Template(String),
    /// The materials of the page at this URL path (a PDF laid out again changed size).
    Materials(String),
    /// Whatever an edit changes (the service worker's version hashes every source).
    Every,
}

impl Input {
    /// The inputs `edit` changed.
    pub fn changed_by(edit: &crate::render::Edit) -> HashSet<Input> {
        let mut changed: HashSet<Input> = edit.docs.iter().map(|d| Input::Doc(*d)).collect();
        changed.insert(Input::Every);
        if edit.lists {
            changed.extend(edit.docs.iter().map(|d| Input::Listing(*d)));
        }
        changed.extend(edit.templates.iter().map(|t| Input::Template(t.clone())));
        changed.extend(edit.materials.iter().map(|p| Input::Materials(p.clone())));
        changed
    }
}

/// What one output needs from the others before it renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// The size of every measured material: it renders after the outputs that make them.
    MaterialSizes,
}

/// What one output declares before anything renders.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// The routes it will write.
    pub routes: Vec<Route>,
    /// The materials it adds to pages, each with the URL path of its page.
    pub materials: Vec<(String, Material)>,
    /// What it needs from the others.
    pub needs: Vec<Need>,
    /// The addresses it offers the others.
    pub links: Vec<Link>,
    /// What each of its routes is made from; `None` when the output cannot tell, and renders
    /// everything again after any edit.
    pub inputs: Option<Vec<(Route, Vec<Input>)>>,
}

impl Plan {
    /// Notes that `route` is made from `inputs` (and plans the route).
    pub fn route_from(&mut self, route: Route, inputs: Vec<Input>) {
        self.routes.push(route.clone());
        self.inputs.get_or_insert_with(Vec::new).push((route, inputs));
    }

    /// Declares that the output's routes depend on nothing an edit of a page can change.
    pub fn fixed(mut self) -> Plan {
        let routes = self.routes.iter().map(|r| (r.clone(), Vec::new())).collect();
        self.inputs = Some(routes);
        self
    }
}

/// Every output's plan, in the order of the outputs.
#[derive(Debug, Clone, Default)]
pub struct SitePlan {
    /// The plans, one per output, in order.
    pub plans: Vec<(&'static str, Plan)>,
    /// Materials by the URL path of their page, in the order of the outputs.
    materials: BTreeMap<String, Vec<Material>>,
    /// The outputs' links by name and key.
    links: HashMap<(&'static str, String), String>,
}

impl SitePlan {
    /// Joins the plans of the outputs; two outputs planning the same file is an error. The
    /// materials move from the outputs' plans into one list by page.
    pub fn new(mut plans: Vec<(&'static str, Plan)>) -> Result<SitePlan> {
        check_routes(&plans)?;
        let mut materials: BTreeMap<String, Vec<Material>> = BTreeMap::new();
        for (page, material) in plans.iter_mut().flat_map(|(_, p)| std::mem::take(&mut p.materials))
        {
            materials.entry(page).or_default().push(material);
        }
        let links = plans
            .iter()
            .flat_map(|(_, p)| &p.links)
            .map(|link| ((link.name, link.key.clone()), link.path.clone()))
            .collect();
        Ok(SitePlan { plans, materials, links })
    }

    /// The address an output offers as `name` for `key`, if one does.
    pub fn link(&self, name: &'static str, key: &str) -> Option<&str> {
        self.links.get(&(name, key.to_owned())).map(String::as_str)
    }

    /// The materials of the page at URL path `page`, in the order of the outputs.
    pub fn materials(&self, page: &str) -> &[Material] {
        self.materials.get(page).map_or(&[], Vec::as_slice)
    }

    /// Lets go of what each route is made from, which only an edit in `loa serve` asks for: a
    /// build renders everything, and the web pages' inputs were 8 % of a build's peak heap
    /// at 1,000 pages × 3 languages.
    pub fn forget_inputs(&mut self) {
        for (_, plan) in &mut self.plans {
            plan.inputs = None;
        }
    }

    /// How many materials of `kind` the site has (`script`: the loudspeaker scripts).
    pub fn count(&self, kind: &str) -> usize {
        self.materials.values().flatten().filter(|m| m.kind == kind).count()
    }

    /// The routes of output `index` to render again after an edit that changed `changed`:
    /// those made from a changed input in this plan or in `earlier` (a page next to an edited
    /// one before the edit and not now), and those `earlier` did not have. `None` when the
    /// output declared no inputs, and must render everything.
    pub fn touched(
        &self,
        index: usize,
        earlier: &SitePlan,
        changed: &HashSet<Input>,
    ) -> Option<Vec<Route>> {
        let inputs = self.plans.get(index)?.1.inputs.as_ref()?;
        let before: HashMap<&Route, &Vec<Input>> = earlier
            .plans
            .get(index)
            .and_then(|(_, plan)| plan.inputs.as_ref())
            .map(|inputs| inputs.iter().map(|(route, from)| (route, from)).collect())
            .unwrap_or_default();
        let hit = |from: &[Input]| from.iter().any(|input| changed.contains(input));
        let routes = inputs.iter().filter(|(route, from)| match before.get(route) {
            Some(earlier_from) => hit(from) || hit(earlier_from),
            None => true,
        });
        Some(routes.map(|(route, _)| route.clone()).collect())
    }

    /// Whether output `index` needs `need`.
    pub fn needs(&self, index: usize, need: Need) -> bool {
        self.plans.get(index).is_some_and(|(_, plan)| plan.needs.contains(&need))
    }

    /// Fills the size of each measured material whose file is among `artifacts`.
    pub fn measure(&mut self, artifacts: &[Artifact]) {
        let wanted = self.measured_files();
        let sizes: HashMap<String, u64> = artifacts
            .iter()
            .filter(|a| wanted.contains(&a.path))
            .filter_map(|a| Some((a.path.clone(), size_of(a)?)))
            .collect();
        self.record_sizes(&sizes);
    }

    /// The files (paths inside the output folder) that materials take their sizes from.
    pub fn measured_files(&self) -> HashSet<String> {
        let measured = self.materials.values().flatten().filter(|m| m.measured);
        measured.map(|m| file_for_url(&m.path)).collect()
    }

    /// Fills the size of each measured material from `sizes`, by file path.
    pub fn record_sizes(&mut self, sizes: &HashMap<String, u64>) {
        for material in self.materials.values_mut().flatten().filter(|m| m.measured) {
            if let Some(size) = sizes.get(file_for_url(&material.path).as_str()) {
                material.size = Some(*size);
            }
        }
    }

    /// Keeps the sizes `earlier` measured for materials still at the same path and not
    /// measured again (an edit lays out only the changed PDFs).
    pub fn keep_sizes_from(&mut self, earlier: &SitePlan) {
        for (page, materials) in &mut self.materials {
            for material in materials.iter_mut().filter(|m| m.measured && m.size.is_none()) {
                material.size = earlier
                    .materials(page)
                    .iter()
                    .find(|m| m.path == material.path)
                    .and_then(|m| m.size);
            }
        }
    }

    /// The pages whose materials differ from those of `earlier` (a PDF changed size).
    pub fn changed_pages(&self, earlier: &SitePlan) -> Vec<String> {
        self.materials
            .iter()
            .filter(|(page, materials)| earlier.materials(page) != materials.as_slice())
            .map(|(page, _)| page.clone())
            .collect()
    }
}

/// The size in bytes of an artifact's body.
pub(crate) fn size_of(artifact: &Artifact) -> Option<u64> {
    match &artifact.body {
        Body::Bytes(bytes) => Some(bytes.len() as u64),
        Body::Copy(file) => std::fs::metadata(file).ok().map(|m| m.len()),
    }
}

/// Two outputs must not plan the same file.
fn check_routes(plans: &[(&'static str, Plan)]) -> Result<()> {
    let mut owners: HashMap<String, &'static str> = HashMap::new();
    for (name, plan) in plans {
        for route in &plan.routes {
            let Route::File(file) = route else { continue };
            if owners.insert(file.clone(), *name).is_some_and(|other| other != *name) {
                return Err(Error::at(file, None, msg!("outputs.same_file"))
                    .with_hint(msg!("outputs.same_file.hint")));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Edit;

    fn pdf(page: &str, size: Option<u64>) -> (String, Material) {
        let material = Material {
            kind: "print",
            label: "print.leaflet-a5".into(),
            path: format!("{page}a.pdf"),
            size,
            measured: true,
            lang: 0,
            media_type: Some("application/pdf"),
            download: true,
        };
        (page.to_owned(), material)
    }

    fn plan(routes: &[&str], materials: Vec<(String, Material)>) -> Plan {
        Plan {
            routes: routes.iter().map(|r| Route::url(r)).collect(),
            materials,
            ..Plan::default()
        }
    }

    #[test]
    fn measures_materials_from_their_rendered_files_and_keeps_earlier_sizes() {
        let plans = vec![(
            "print",
            plan(&["/a/a.pdf", "/b/a.pdf"], vec![pdf("/a/", None), pdf("/b/", None)]),
        )];
        let mut first = SitePlan::new(plans.clone()).unwrap();
        first.measure(&[
            Artifact::at_url("/a/a.pdf", vec![0; 2048]),
            Artifact::at_url("/b/a.pdf", vec![0; 10]),
        ]);
        assert_eq!(first.materials("/a/")[0].size, Some(2048));
        let mut edited = SitePlan::new(plans).unwrap();
        edited.measure(&[Artifact::at_url("/a/a.pdf", vec![0; 100])]);
        edited.keep_sizes_from(&first);
        assert_eq!(edited.materials("/a/")[0].size, Some(100));
        assert_eq!(edited.materials("/b/")[0].size, Some(10));
        assert_eq!(edited.changed_pages(&first), ["/a/"]);
        assert_eq!(first.count("print"), 2);
        assert!(first.materials("/c/").is_empty());
    }

    fn web_like(pages: &[(&str, &[Input])]) -> SitePlan {
        let mut plan = Plan::default();
        for (path, inputs) in pages {
            plan.route_from(Route::url(path), inputs.to_vec());
        }
        SitePlan::new(vec![("web", plan), ("fixed", Plan::default())]).unwrap()
    }

    #[test]
    fn an_edit_touches_the_routes_made_from_what_it_changed_before_or_after() {
        use Input::{Doc, Listing, Template};
        let page = Template("page.html".into());
        let before = web_like(&[
            ("/a/", &[Doc(0), Listing(1), page.clone()]),
            ("/b/", &[Doc(1), Listing(0), page.clone()]),
            ("/c/", &[Doc(2), Listing(1), page.clone()]),
        ]);
        let after = web_like(&[
            ("/a/", &[Doc(0), Listing(2), page.clone()]),
            ("/b/", &[Doc(1), page.clone()]),
            ("/c/", &[Doc(2), Listing(0), page.clone()]),
            ("/d/", &[Doc(3), page.clone()]),
        ]);
        let edit = |docs: Vec<usize>, lists: bool| Edit { docs, lists, ..Edit::default() };
        let touched = |edit: &Edit| after.touched(0, &before, &Input::changed_by(edit)).unwrap();
        assert_eq!(touched(&edit(vec![1], false)), [Route::url("/b/"), Route::url("/d/")]);
        assert_eq!(
            touched(&edit(vec![1], true)),
            [Route::url("/a/"), Route::url("/b/"), Route::url("/c/"), Route::url("/d/")],
            "pages that listed the page before the edit render again too"
        );
        let styled = Edit { templates: ["page.html".to_owned()].into(), ..Edit::default() };
        assert_eq!(touched(&styled).len(), 4);
        assert_eq!(after.touched(1, &before, &Input::changed_by(&styled)), None);
    }

    #[test]
    fn a_plan_that_forgot_its_inputs_renders_everything_after_an_edit() {
        let mut plan = web_like(&[("/a/", &[Input::Doc(0)]), ("/b/", &[Input::Doc(1)])]);
        let edit = Input::changed_by(&Edit { docs: vec![0], ..Edit::default() });
        assert_eq!(plan.touched(0, &plan, &edit), Some(vec![Route::url("/a/")]));
        plan.forget_inputs();
        assert_eq!(plan.touched(0, &plan, &edit), None);
        assert_eq!(plan.plans[0].1.routes.len(), 2, "the routes stay planned");
    }

    #[test]
    fn refuses_two_outputs_planning_the_same_file() {
        let plans = vec![
            ("web", plan(&["/en/"], Vec::new())),
            ("other", plan(&["/en/index.html"], Vec::new())),
        ];
        assert!(SitePlan::new(plans).is_err());
        assert!(Route::folder("/search-index/").covers("search-index/vi/meta.json"));
        assert!(Route::url("/en/").covers("en/index.html"));
    }
}
