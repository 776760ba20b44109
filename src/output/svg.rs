//! SVG files as kring publishes them: cleaned of everything that runs script or loads from
//! elsewhere. An SVG opened by its own address is a document on the site's origin, so a
//! `<script>` in a member's avatar would run with the site's cookies and storage. Each SVG
//! a build publishes (a page bundle's, a section's, `static/`'s) is parsed as XML and
//! written again from the tree with an allow-list: SVG elements only, no script, no event
//! handler, no `<foreignObject>`, links and references that stay inside the file (`#id`),
//! images only from the site or `data:` pictures, CSS without `url()`s to other files or
//! `@import`, no animation of a link. Comments, processing instructions (an XSLT
//! stylesheet runs script) and elements of other vocabularies (an editor's notes) are
//! left out. What a browser would have run or fetched is named in a warning; a file that
//! is not well-formed XML, not an SVG, declares entities or nests past [`MAX_DEPTH`] is
//! refused at its file. See `docs/content.md` (Images).

use roxmltree::{Document, Node, NodeType, ParsingOptions};

use crate::content::photo::{Edge, traverse};

use crate::text::escape_xml;

const SVG_NS: &str = "http://www.w3.org/2000/svg";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
/// Larger SVG files are refused: a logo or an illustration is far smaller.
pub const MAX_BYTES: usize = 8 << 20;
/// Deeper nesting is refused: it would take renderers, kring's own included, deep into
/// recursion.
pub use crate::content::photo::SVG_MAX_DEPTH as MAX_DEPTH;
const MAX_NODES: u32 = 1_000_000;

/// SVG elements kept, with what they hold. Not here, so left out with their content:
/// `script`, `foreignObject`, `feImage` (loads any file), `handler`, `listener`, fonts and
/// cursors (load files), and anything unknown.
const ELEMENTS: &[&str] = &[
    "a",
    "animate",
    "animateMotion",
    "animateTransform",
    "circle",
    "clipPath",
    "defs",
    "desc",
    "ellipse",
    "feBlend",
    "feColorMatrix",
    "feComponentTransfer",
    "feComposite",
    "feConvolveMatrix",
    "feDiffuseLighting",
    "feDisplacementMap",
    "feDistantLight",
    "feDropShadow",
    "feFlood",
    "feFuncA",
    "feFuncB",
    "feFuncG",
    "feFuncR",
    "feGaussianBlur",
    "feMerge",
    "feMergeNode",
    "feMorphology",
    "feOffset",
    "fePointLight",
    "feSpecularLighting",
    "feSpotLight",
    "feTile",
    "feTurbulence",
    "filter",
    "g",
    "image",
    "line",
    "linearGradient",
    "marker",
    "mask",
    "mpath",
    "path",
    "pattern",
    "polygon",
    "polyline",
    "radialGradient",
    "rect",
    "set",
    "stop",
    "style",
    "svg",
    "switch",
    "symbol",
    "text",
    "textPath",
    "title",
    "tspan",
    "use",
    "view",
];

/// Elements whose leaving out is worth a warning: they would have run script or shown
/// another document.
const DANGEROUS: &[&str] = &[
    "script",
    "foreignObject",
    "feImage",
    "handler",
    "listener",
    "iframe",
    "embed",
    "object",
];

/// An SVG cleaned: its bytes, and what was left out that would have run or loaded.
#[derive(Debug)]
pub struct Cleaned {
    pub svg: Vec<u8>,
    /// What was taken out (`<script>`, `onload`, `href="https://…"`), once each.
    pub removed: Vec<String>,
    /// Addresses on other hosts it referred to (for `kring check --privacy`).
    pub external: Vec<String>,
}

/// `bytes` (an SVG file) cleaned, or why it cannot be published.
pub fn clean(bytes: &[u8]) -> Result<Cleaned, String> {
    if bytes.len() > MAX_BYTES {
        return Err(format!(
            "it is larger than {} MiB, far more than a drawing needs",
            MAX_BYTES >> 20
        ));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| "it is not UTF-8 text (SVG files are XML)".to_string())?;
    // Entities expand into any amount of text (the "billion laughs"), and drawing
    // programs do not declare them.
    if text.contains("<!ENTITY") {
        return Err("it declares XML entities (<!ENTITY …>), which kring does not expand".into());
    }
    let options = ParsingOptions {
        allow_dtd: true,
        nodes_limit: MAX_NODES,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(text, options)
        .map_err(|e| format!("it is not a well-formed SVG file: {e}"))?;
    let root = doc.root_element();
    if root.tag_name().namespace() != Some(SVG_NS) || root.tag_name().name() != "svg" {
        return Err(
            "it is not an SVG file: its outer element is not <svg> of the SVG namespace".into(),
        );
    }
    let mut out = Cleaner::default();
    // Processing instructions before the root (`<?xml-stylesheet …?>`) are left out with it.
    for node in doc.root().children() {
        if node.node_type() == NodeType::PI {
            out.note_pi(node);
        }
    }
    out.walk(root)?;
    Ok(Cleaned {
        svg: out.svg.into_bytes(),
        removed: out.removed,
        external: out.external,
    })
}

#[derive(Default)]
struct Cleaner {
    svg: String,
    removed: Vec<String>,
    external: Vec<String>,
}

impl Cleaner {
    fn note(&mut self, what: String) {
        if !self.removed.contains(&what) {
            self.removed.push(what);
        }
    }

    fn note_url(&mut self, url: &str) {
        if other_host(url) {
            let url = url.trim().to_string();
            if !self.external.contains(&url) {
                self.external.push(url);
            }
        }
    }

    fn note_pi(&mut self, node: Node) {
        if let Some(pi) = node.pi() {
            if let Some(value) = pi.value {
                for part in value.split(['"', '\'']) {
                    self.note_url(part);
                }
            }
            self.note(format!("<?{}?>", pi.target));
        }
    }

    /// Writes the kept part of `root`'s tree, without recursion (depth is checked).
    fn walk(&mut self, root: Node) -> Result<(), String> {
        let mut depth = 0usize;
        // While inside a left-out element, the node it started at.
        let mut skipping: Option<roxmltree::NodeId> = None;
        for edge in traverse(root) {
            match edge {
                Edge::Open(node) => {
                    if node.is_element() {
                        depth += 1;
                        if depth > MAX_DEPTH {
                            return Err(format!(
                                "its elements nest more than {MAX_DEPTH} levels deep"
                            ));
                        }
                    }
                    if skipping.is_some() {
                        self.look_inside(node);
                        continue;
                    }
                    match node.node_type() {
                        NodeType::Element => {
                            if self.keep(node) {
                                self.open(node, node == root);
                            } else {
                                skipping = Some(node.id());
                                self.look_inside(node);
                            }
                        }
                        NodeType::Text => {
                            self.svg.push_str(&escape_xml(node.text().unwrap_or("")));
                        }
                        NodeType::PI => self.note_pi(node),
                        NodeType::Comment | NodeType::Root => {}
                    }
                }
                Edge::Close(node) => {
                    if !node.is_element() {
                        continue;
                    }
                    depth -= 1;
                    match skipping {
                        Some(id) if id == node.id() => skipping = None,
                        Some(_) => {}
                        None => {
                            self.svg.push_str("</");
                            self.svg.push_str(node.tag_name().name());
                            self.svg.push('>');
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Notes, for the warning and the privacy check, what a left-out node would have done.
    fn look_inside(&mut self, node: Node) {
        if node.is_element() {
            let name = node.tag_name().name();
            if DANGEROUS.iter().any(|d| d.eq_ignore_ascii_case(name)) {
                self.note(format!("<{name}>"));
            }
            for a in node.attributes() {
                if a.name().to_ascii_lowercase().starts_with("on") {
                    self.note(format!("{}=\"…\"", a.name()));
                }
                if is_href(&a) {
                    self.note_url(a.value());
                }
                if a.value().to_ascii_lowercase().contains("url(") {
                    for url in super::privacy::css_urls(a.value()) {
                        self.note_url(&url);
                    }
                }
            }
        } else if node.is_pi() {
            self.note_pi(node);
        }
    }

    /// Whether element `node` is kept (with what it holds).
    fn keep(&mut self, node: Node) -> bool {
        let tag = node.tag_name();
        if tag.namespace() != Some(SVG_NS) || !ELEMENTS.contains(&tag.name()) {
            return false;
        }
        let name = tag.name();
        if matches!(
            name,
            "set" | "animate" | "animateMotion" | "animateTransform"
        ) {
            // Animating a link to `javascript:` makes a click run it; an event handler
            // made by animation is no better.
            let target = node.attribute("attributeName").unwrap_or("").trim();
            let local = target.rsplit(':').next().unwrap_or("").to_ascii_lowercase();
            if local == "href" || local.starts_with("on") {
                self.note(format!("<{name} attributeName=\"{target}\">"));
                return false;
            }
        }
        if name == "style" {
            let css: String = node.children().filter_map(|c| c.text()).collect();
            if let Err(why) = safe_css(&css) {
                self.note_css(&css, why);
                return false;
            }
        }
        true
    }

    fn note_css(&mut self, css: &str, why: &str) {
        for url in super::privacy::css_urls(css) {
            self.note_url(&url);
        }
        self.note(why.to_string());
    }

    /// Writes the start tag of element `node` with its allowed attributes.
    fn open(&mut self, node: Node, root: bool) {
        let name = node.tag_name().name();
        self.svg.push('<');
        self.svg.push_str(name);
        if root {
            self.svg
                .push_str(&format!(" xmlns=\"{SVG_NS}\" xmlns:xlink=\"{XLINK_NS}\""));
        }
        for a in node.attributes() {
            let written = match a.namespace() {
                None => a.name().to_string(),
                Some(XLINK_NS) if matches!(a.name(), "href" | "title") => {
                    format!("xlink:{}", a.name())
                }
                Some(XML_NS) if matches!(a.name(), "space" | "lang") => {
                    format!("xml:{}", a.name())
                }
                // Other vocabularies' attributes (an editor's), `xml:base`.
                Some(_) => continue,
            };
            let value = a.value();
            if a.name().to_ascii_lowercase().starts_with("on") {
                self.note(format!("{written}=\"…\""));
                continue;
            }
            if is_href(&a) && !self.href_allowed(name, value) {
                self.note_url(value);
                let shown: String = value.chars().filter(|c| !c.is_control()).take(40).collect();
                self.note(format!("{written}=\"{}\"", shown.trim()));
                continue;
            }
            let lower = value.to_ascii_lowercase();
            if (a.name() == "style" || lower.contains("url(") || lower.contains("javascript:"))
                && let Err(why) = safe_css(value)
            {
                self.note_css(value, why);
                continue;
            }
            self.svg.push(' ');
            self.svg.push_str(&written);
            self.svg.push_str("=\"");
            self.svg.push_str(&escape_xml(value));
            self.svg.push('"');
        }
        self.svg.push('>');
    }

    /// Whether element `element` may keep a link or reference to `url`.
    fn href_allowed(&self, element: &str, url: &str) -> bool {
        // Browsers drop these from URLs before reading them.
        let url: String = url
            .chars()
            .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
            .collect();
        if url.starts_with('#') {
            return true;
        }
        let lower = url.to_ascii_lowercase();
        let scheme = lower
            .split_once(':')
            .map(|(s, _)| s)
            .filter(|s| !s.contains(['/', '?', '#']));

        match element {
            // A link is followed only when clicked: to a page, not to script.
            "a" => matches!(scheme, None | Some("http" | "https" | "mailto")),
            // A picture of the site's own, or one inside the file.
            "image" => {
                if let Some(data) = lower.strip_prefix("data:") {
                    ["image/png", "image/jpeg", "image/gif", "image/webp"]
                        .iter()
                        .any(|t| data.starts_with(t))
                } else {
                    scheme.is_none() && !other_host(&url) && !url.starts_with('\\')
                }
            }
            // `<use>`, gradients, patterns, filters, `<textPath>`, `<mpath>`: inside the
            // file only.
            _ => false,
        }
    }
}

/// Whether a browser showing the file would ask another host for `url`.
fn other_host(url: &str) -> bool {
    super::privacy::fetched_host(url, PLACEHOLDER_HOST).is_some_and(|h| h != PLACEHOLDER_HOST)
}

/// The host the SVG is taken to be on, to tell relative addresses from others.
const PLACEHOLDER_HOST: &str = "svg.invalid";

fn is_href(a: &roxmltree::Attribute) -> bool {
    a.name() == "href" && matches!(a.namespace(), None | Some(XLINK_NS))
}

/// CSS (a `<style>` element, a `style` attribute, a presentation attribute's value) that
/// loads nothing: every `url()` points inside the file, no `@import`, no escapes (they
/// could spell either), nothing that runs.
fn safe_css(css: &str) -> Result<(), &'static str> {
    let lower = css.to_ascii_lowercase();
    if lower.contains('\\') {
        return Err("CSS with escapes");
    }
    for bad in [
        "@import",
        "expression",
        "javascript:",
        "image-set",
        "-moz-binding",
        "behavior",
    ] {
        if lower.contains(bad) {
            return Err("CSS that imports or runs something");
        }
    }
    let mut rest = lower.as_str();
    while let Some(at) = rest.find("url(") {
        rest = &rest[at + 4..];
        let target = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '"' || c == '\'');
        if !target.starts_with('#') {
            return Err("CSS url() of another file");
        }
    }
    // `src()` is CSS's other way to load a file.
    if lower.contains("src(") {
        return Err("CSS url() of another file");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cleaned(svg: &str) -> String {
        String::from_utf8(clean(svg.as_bytes()).unwrap().svg).unwrap()
    }

    #[test]
    fn drawings_survive_and_script_does_not() {
        let svg = r##"<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10" onload="alert(1)">
<defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient></defs>
<rect width="10" height="10" fill="url(#g)" style="stroke: url( '#g' )"/>
<use xlink:href="#g"/><use href="other.svg#x"/>
<script>alert(1)</script><text x="1" y="5">a &amp; b &lt;c&gt;</text>
</svg>"##;
        let out = cleaned(svg);
        assert!(out.contains(r##"fill="url(#g)""##), "{out}");
        assert!(out.contains(r##"<use xlink:href="#g">"##), "{out}");
        assert!(out.contains("a &amp; b &lt;c&gt;"), "{out}");
        for gone in ["onload", "script", "alert", "other.svg"] {
            assert!(!out.contains(gone), "{gone}: {out}");
        }
        let doc = roxmltree::Document::parse(&out).unwrap();
        assert_eq!(doc.root_element().tag_name().name(), "svg");
    }

    #[test]
    fn what_is_not_an_svg_is_refused() {
        for bad in [
            "",
            "not xml",
            "<html xmlns=\"http://www.w3.org/1999/xhtml\"/>",
            "<svg/>",
            "<!DOCTYPE svg [<!ENTITY a \"aaaa\">]><svg xmlns=\"http://www.w3.org/2000/svg\">&a;</svg>",
        ] {
            assert!(clean(bad.as_bytes()).is_err(), "{bad}");
        }
        let deep = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\">{}{}</svg>",
            "<g>".repeat(100_000),
            "</g>".repeat(100_000)
        );
        assert!(clean(deep.as_bytes()).unwrap_err().contains("nest"));
    }
}
