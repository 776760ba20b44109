//! Content blocks rendered with the theme: each call found in a body (see
//! `content::blocks`) is rendered by `shortcodes/NAME.html` — the site's own or the
//! theme's — and put where its placeholder is. This runs once the whole site is known, so
//! an `event()` card shows the event as its list does. The built-ins check their
//! arguments here; an unknown block or a bad argument is an error at the call's line.

use serde_json::{Map, Value};

use super::Renderer;
use crate::content::blocks::{Arg, BlockCall, PLACEHOLDER};
use crate::content::load::SourceFile;
use crate::content::markdown::Rendered;
use crate::content::video;
use crate::error::{Error, Result};
use crate::render::templates::escape_html;
use crate::text::work;
use crate::vocabulary::Kind;

/// A body with its blocks rendered.
pub struct Expanded {
    pub html: String,
    pub summary: Option<String>,
    /// The questions and answers of its `faq()` blocks, as text (for FAQPage JSON-LD).
    pub faq: Vec<(String, String)>,
}

const BUILT_INS: &str = "faq, callout, video, event, member, signup";

/// The pages whose blocks show page `index` (`event(path=…)`, `member(id=…)`): they are
/// rendered again when it changes.
pub fn shown_by_blocks(site: &crate::model::Site, index: usize) -> Vec<usize> {
    let target = &site.pages[index];
    let member_id = target.as_member().map(|m| m.id.as_str());
    let names_it = |call: &BlockCall| match call.name.as_str() {
        "event" => call.str_arg("path").is_some_and(|p| target.is_at(p)),
        "member" => member_id.is_some() && call.str_arg("id") == member_id,
        _ => false,
    };
    (0..site.pages.len())
        .filter(|&i| i != index && site.pages[i].content.blocks.iter().any(names_it))
        .collect()
}

impl Renderer<'_> {
    /// The body of page `index` with its blocks rendered; `None` when it calls none.
    pub fn expand_page(&self, index: usize) -> Result<Option<Expanded>> {
        let page = &self.site.pages[index];
        if page.content.blocks.is_empty() {
            return Ok(None);
        }
        let view = self.summaries.get(index);
        self.expand(&page.content, &page.file, Some(view)).map(Some)
    }

    /// The body of section `index` (its `_index.md`) with its blocks rendered.
    pub fn expand_section(&self, index: usize) -> Result<Option<Expanded>> {
        let section = &self.site.sections[index];
        match &section.file {
            Some(file) if !section.content.blocks.is_empty() => {
                self.expand(&section.content, file, None).map(Some)
            }
            _ => Ok(None),
        }
    }

    fn expand(
        &self,
        content: &Rendered,
        file: &SourceFile,
        page: Option<Value>,
    ) -> Result<Expanded> {
        // Rendered before: from the HTML with its placeholders.
        let (html, summary) = match &content.unexpanded {
            Some((html, summary)) => (html, summary.as_ref()),
            None => (&content.html, content.summary.as_ref()),
        };
        let mut faqs: Vec<Vec<(String, String)>> = vec![Vec::new(); content.blocks.len()];
        let mut rendered: Vec<Option<String>> = vec![None; content.blocks.len()];
        // Inner blocks come after the block whose body holds them: render from the last.
        // Each rendering is moved into the one place that shows it, so a body's HTML is
        // copied once, however many blocks there are or however they nest.
        for n in (0..content.blocks.len()).rev() {
            let call = &content.blocks[n];
            let body = call
                .body_html
                .as_ref()
                .map(|b| fill(b, &mut rendered, true));
            let html = self
                .render_block(call, n, body.as_deref(), page.as_ref(), &mut faqs[n])
                .map_err(|why| Error::from(file.error_in_body(call.offset, why)))?;
            rendered[n] = Some(html);
        }
        // The summary shows copies of the blocks of its first paragraph; the body takes them.
        let summary = summary.map(|s| fill(s, &mut rendered, false));
        Ok(Expanded {
            html: fill(html, &mut rendered, true),
            summary,
            faq: faqs.into_iter().flatten().collect(),
        })
    }

    fn render_block(
        &self,
        call: &BlockCall,
        n: usize,
        body: Option<&str>,
        page: Option<&Value>,
        faq: &mut Vec<(String, String)>,
    ) -> std::result::Result<String, String> {
        let template = format!("shortcodes/{}.html", call.name);
        if !self.templates.has(&template) {
            return Err(format!(
                "unknown block `{}`: kring has {BUILT_INS}, and a site adds its own as templates/{template}",
                call.name
            ));
        }
        let mut ctx: Map<String, Value> = self.base.clone();
        for (key, value) in &call.args {
            ctx.insert(key.clone(), arg_value(value));
        }
        ctx.insert("body".into(), Value::from(body.unwrap_or_default()));
        // The block's number in the body: for ids that must be unique on the page.
        ctx.insert("block_number".into(), Value::from(n));
        if let Some(page) = page {
            ctx.insert("page".into(), page.clone());
        }
        self.built_in(call, body, &mut ctx, faq)?;
        self.templates
            .render(&template, ctx, &format!("the block {}()", call.name))
            .map_err(|e| {
                e.diagnostics()
                    .iter()
                    .map(|d| format!("{}: {}", d.file.display(), d.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            })
    }

    /// What the built-in blocks need beyond their arguments, and their arguments checked.
    fn built_in(
        &self,
        call: &BlockCall,
        body: Option<&str>,
        ctx: &mut Map<String, Value>,
        faq: &mut Vec<(String, String)>,
    ) -> std::result::Result<(), String> {
        let Some(allowed) = crate::content::blocks::built_in(&call.name).map(|b| b.args) else {
            return Ok(());
        };
        if let Some((key, _)) = call
            .args
            .iter()
            .find(|(k, _)| !allowed.contains(&k.as_str()))
        {
            return Err(match allowed {
                [] => format!("{}() takes no arguments, not `{key}`", call.name),
                _ => format!(
                    "{}() has no argument `{key}`: it takes {}",
                    call.name,
                    allowed.join(", ")
                ),
            });
        }
        match call.name.as_str() {
            "faq" => {
                let body =
                    body.ok_or("faq() needs a body: {% faq() %} ### A question … {% end %}")?;
                let (intro, items) = faq_items(body);
                if items.is_empty() {
                    return Err("faq() has no questions: start each with a ### heading".into());
                }
                for (q, a) in &items {
                    faq.push((text_of(q), text_of(a)));
                }
                ctx.insert("intro".into(), Value::from(intro));
                let items: Vec<Value> = items
                    .into_iter()
                    .map(|(q, a)| serde_json::json!({ "question": q, "answer": a }))
                    .collect();
                ctx.insert("items".into(), Value::from(items));
            }
            "callout" => {
                let kind = call.str_arg("kind").unwrap_or("note");
                if !matches!(kind, "note" | "tip" | "warning") {
                    return Err(format!(
                        "callout(): kind must be \"note\", \"tip\" or \"warning\", not \"{kind}\""
                    ));
                }
                ctx.insert("kind".into(), Value::from(kind));
                if body.is_none() {
                    return Err(
                        "callout() needs a body: {% callout(kind=\"tip\") %} … {% end %}".into(),
                    );
                }
            }
            "video" => {
                let url = call
                    .str_arg("url")
                    .ok_or("video() needs url=\"https://…\" (YouTube, Vimeo or PeerTube)")?;
                let start = match call.arg("start") {
                    None => None,
                    Some(Arg::Int(s)) if *s >= 0 => Some(*s as u32),
                    Some(Arg::Str(s)) => Some(video::seconds(s).ok_or_else(|| {
                        format!("video(): start=\"{s}\" is not a time like \"1m30s\" or \"90\"")
                    })?),
                    Some(_) => return Err("video(): start is a time like \"1m30s\"".into()),
                };
                let found = video::recognize(url, start).ok_or_else(|| {
                    format!("video(): {url} is not a YouTube, Vimeo or PeerTube address")
                })?;
                let figure = video::markup(&found, call.str_arg("title"), escape_html);
                ctx.insert("figure".into(), Value::from(figure));
            }
            "event" => {
                let path = call
                    .str_arg("path")
                    .ok_or("event() needs path=\"@/events/….md\"")?;
                let i = self
                    .page_at(path, Kind::Events)
                    .map_err(|why| format!("event(): {why}"))?;
                ctx.insert("event".into(), self.summaries.get(i));
            }
            "member" => {
                let id = call
                    .str_arg("id")
                    .ok_or("member() needs id=\"…\" (the member file's name)")?;
                let i = self.site.members.get(id).copied().ok_or_else(|| {
                    format!("member(): there is no member `{id}` (content/members/{id}.md)")
                })?;
                ctx.insert("member".into(), self.summaries.get(i));
            }
            "signup" if self.site.config.newsletter.is_none() => {
                return Err(
                    "signup(): the site has no newsletter form: set [newsletter] in kring.toml"
                        .into(),
                );
            }
            _ => {}
        }
        Ok(())
    }

    /// The page at content path `path` (`@/events/x.md`), which must be of `kind`.
    fn page_at(&self, path: &str, kind: Kind) -> std::result::Result<usize, String> {
        let i = self
            .site
            .pages
            .iter()
            .position(|p| p.is_at(path))
            .ok_or_else(|| format!("there is no page {path}"))?;
        if self.site.pages[i].kind != kind {
            return Err(format!("{path} is not an event"));
        }
        Ok(i)
    }
}

/// `html` with each placeholder replaced by its block (a placeholder alone in a paragraph
/// takes the paragraph's place: a block is not inside a `<p>`), in one pass over `html`.
/// `take` moves each rendering out of `rendered`; otherwise it is copied, once per call.
/// A block shows at most once either way: a placeholder written into a page by hand, or a
/// second one for the same block, stays as the empty element it is, so no rendering can be
/// copied into many places (and a copy of a copy into more).
fn fill(html: &str, rendered: &mut [Option<String>], take: bool) -> String {
    let [open, close] = PLACEHOLDER;
    let mut out = String::with_capacity(html.len());
    let mut used = vec![false; if take { 0 } else { rendered.len() }];
    let mut rest = html;
    while let Some(at) = rest.find(open) {
        work::add(at + open.len());
        let after = &rest[at + open.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let n = after[..digits].parse::<usize>().ok();
        let end = at + open.len() + digits + close.len();
        let block = match n {
            Some(n) if after[digits..].starts_with(close) && n < rendered.len() => {
                if take {
                    rendered[n].take()
                } else if used[n] {
                    None
                } else {
                    used[n] = true;
                    rendered[n].clone()
                }
            }
            _ => None,
        };
        let Some(block) = block else {
            out.push_str(&rest[..at + open.len()]);
            rest = after;
            continue;
        };
        let alone = rest[..at].ends_with("<p>") && rest[end..].starts_with("</p>");
        let (before, skip) = if alone {
            (at - "<p>".len(), end + "</p>".len())
        } else {
            (at, end)
        };
        out.push_str(&rest[..before]);
        work::add(block.len());
        out.push_str(block.trim_end());
        rest = &rest[skip..];
    }
    work::add(rest.len());
    out.push_str(rest);
    out
}

fn arg_value(arg: &Arg) -> Value {
    match arg {
        Arg::Str(s) => Value::from(s.as_str()),
        Arg::Int(i) => Value::from(*i),
        Arg::Float(f) => Value::from(*f),
        Arg::Bool(b) => Value::from(*b),
    }
}

/// A FAQ body split at its `<h3>` headings: the text before the first, and each question
/// (the heading's content, without its anchor link) with its answer.
pub fn faq_items(body: &str) -> (String, Vec<(String, String)>) {
    let starts = top_level_h3(body);
    let Some(&first) = starts.first() else {
        return (body.trim().to_string(), Vec::new());
    };
    let intro = body[..first].trim().to_string();
    let ends = starts.iter().skip(1).copied().chain([body.len()]);
    let items = starts
        .iter()
        .zip(ends)
        .filter_map(|(&start, end)| {
            let part = &body[start + "<h3".len()..end];
            let open_end = tag_end(part)? + 1;
            let close = open_end + crate::text::find_ascii_ci(&part[open_end..], "</h3>")?;
            let mut question = part[open_end..close].to_string();
            if let Some(anchor) = question.find("<a class=\"heading-anchor\"") {
                question.truncate(anchor);
            }
            let answer = part[close + "</h3>".len()..].trim().to_string();
            Some((question.trim().to_string(), answer))
        })
        .collect();
    (intro, items)
}

/// Where the body's own `<h3>` headings start: those outside every element, as Markdown's
/// `###` makes them. A heading inside a block rendered into an answer (a member's or an
/// event's card) is part of that answer, not a question. The body is kring's own HTML
/// (Markdown and rendered blocks); comments and raw text are skipped so that a `<h3` in
/// them is not counted, and elements without an end tag do not nest.
fn top_level_h3(body: &str) -> Vec<usize> {
    use crate::text::find_ascii_ci;
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    ];
    let bytes = body.as_bytes();
    let mut starts = Vec::new();
    let mut depth = 0usize;
    let mut at = 0;
    while let Some(found) = body[at..].find('<') {
        let lt = at + found;
        let rest = &body[lt..];
        if rest.starts_with("<!--") {
            at = rest.find("-->").map_or(body.len(), |e| lt + e + 3);
            continue;
        }
        let closing = rest.starts_with("</");
        let name_at = lt + 1 + usize::from(closing);
        let name_len = bytes[name_at..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let Some(end) = tag_end(rest) else { break };
        at = lt + end + 1;
        if name_len == 0 {
            continue;
        }
        let name = body[name_at..name_at + name_len].to_ascii_lowercase();
        if closing {
            depth = depth.saturating_sub(1);
            continue;
        }
        if depth == 0 && name == "h3" {
            starts.push(lt);
        }
        if VOID.contains(&name.as_str()) || rest[..end].ends_with('/') {
            continue;
        }
        if matches!(name.as_str(), "script" | "style" | "textarea" | "title") {
            // Raw text: what follows up to the end tag is not markup.
            let close = format!("</{name}");
            at = find_ascii_ci(&body[at..], &close).map_or(body.len(), |e| at + e);
        }
        depth += 1;
    }
    starts
}

/// Where the tag that `tag` starts with ends (its `>`), past quoted attribute values.
fn tag_end(tag: &str) -> Option<usize> {
    let mut quote = None;
    for (i, b) in tag.bytes().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            (None, b'>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// The text of an HTML fragment, its tags dropped and white space collapsed.
fn text_of(html: &str) -> String {
    crate::text::html_text(html, html.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::blocks::placeholder;

    #[test]
    fn faq_bodies_split_at_their_questions() {
        let (intro, items) = faq_items(
            "<p>Before.</p>\n<h3 id=\"a\">Is it <em>free</em>?<a class=\"heading-anchor\" href=\"#a\">#</a></h3>\n<p>Yes.</p>\n<h3 id=\"b\">Where?</h3>\n<ul><li>Utrecht</li></ul>\n",
        );
        assert_eq!(intro, "<p>Before.</p>");
        assert_eq!(items.len(), 2);
        assert_eq!(
            items[0],
            ("Is it <em>free</em>?".into(), "<p>Yes.</p>".into())
        );
        assert_eq!(items[1].1, "<ul><li>Utrecht</li></ul>");
        assert_eq!(text_of(&items[0].0), "Is it free?");
    }

    /// Headings inside an answer's own elements — a member's card, an event's, a quote —
    /// and `<h3` in comments, scripts or attributes stay in the answer; the questions are
    /// the body's own `###` headings only.
    #[test]
    fn headings_inside_an_answer_are_not_questions() {
        let card = "<aside class=\"block-card\"><article class=\"member-card\"><h3 class=\"card__title\"><a href=\"/members/ada/\">Ada</a></h3><p>Host</p></article></aside>";
        let body = format!(
            "<p>Intro</p>\n<h3 id=\"a\">Who hosts?</h3>\n<p>She does:</p>\n{card}\n<!-- <h3>not</h3> --><script>x = \"<h3>\";</script><p title=\"<h3>\" data-x='>'>é \r\0</p><br><img src=\"x.png\" alt=\"\"><input/>\n<H3 id=\"b\">Where?</H3>\n<blockquote><h3>quoted</h3></blockquote><p>Utrecht</p>"
        );
        let (intro, items) = faq_items(&body);
        assert_eq!(intro, "<p>Intro</p>");
        let questions: Vec<&str> = items.iter().map(|(q, _)| q.as_str()).collect();
        assert_eq!(questions, ["Who hosts?", "Where?"], "{items:?}");
        assert!(items[0].1.contains(card), "{}", items[0].1);
        assert!(items[0].1.ends_with("<input/>"), "{}", items[0].1);
        assert!(items[1].1.starts_with("<blockquote><h3>quoted</h3>"));
        // No question at the top level: none at all, the body is the intro.
        let (intro, items) = faq_items(card);
        assert!(items.is_empty());
        assert_eq!(intro, card);
    }

    #[test]
    fn placeholders_alone_replace_their_paragraph() {
        let html = format!("<p>{}</p><p>x {} y</p>", placeholder(0), placeholder(1));
        let mut rendered = [Some("<aside>A</aside>\n".into()), Some("<b>B</b>".into())];
        let out = fill(&html, &mut rendered, true);
        assert_eq!(out, "<aside>A</aside><p>x <b>B</b> y</p>");
    }

    #[test]
    fn each_block_is_shown_once_and_forged_placeholders_stay_empty() {
        // A placeholder written by hand (or twice) is not filled again: no rendering is
        // copied into several places, where copies of copies would grow without bound.
        let html = format!(
            "{0}{0}<kring-block data-n=\"9\"></kring-block><kring-block data-n=\"x\"></kring-block><kring-block data-n=\"1",
            placeholder(0)
        );
        for take in [true, false] {
            let mut rendered = [Some("<i>A</i>".to_string()), None];
            let out = fill(&html, &mut rendered, take);
            assert_eq!(out.matches("<i>A</i>").count(), 1, "{out}");
            assert_eq!(
                out,
                html.replacen(&placeholder(0), "<i>A</i>", 1),
                "take: {take}"
            );
            assert_eq!(rendered[0].is_none(), take);
        }
        // Work in proportion to the HTML and the blocks, however many there are: filling
        // 8,000 takes eight times the steps of 1,000 (it took 64 times when each block
        // searched the whole page).
        let steps = |n: usize| {
            let html: String = (0..n)
                .map(|i| format!("<p>{}</p>\n", placeholder(i)))
                .collect();
            let mut rendered: Vec<Option<String>> = (0..n)
                .map(|i| Some(format!("<aside>{i}</aside>")))
                .collect();
            crate::text::work::take();
            let out = fill(&html, &mut rendered, true);
            assert_eq!(out.matches("<aside>").count(), n);
            crate::text::work::take() / n as u64
        };
        let (small, large) = (steps(1_000), steps(8_000));
        assert!(
            large <= small + 2,
            "{small} steps a block at 1,000, {large} at 8,000"
        );
        // Non-ASCII and markup around a placeholder are copied as they are.
        let html = format!("<p>é ✓ <!--<script>{}</script> \r\0</p>", placeholder(1));
        let mut rendered = [None, Some("<b>B</b>".into())];
        assert_eq!(
            fill(&html, &mut rendered, true),
            "<p>é ✓ <!--<script><b>B</b></script> \r\0</p>"
        );
    }
}
