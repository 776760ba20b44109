//! Content blocks (Zola's shortcodes, in the syntax kring's writers already know):
//! `{{ name(arg="…") }}` inline, and `{% name(arg="…") %}…Markdown…{% end %}` with a
//! body. Here they are only found: each call is cut out of the Markdown and a placeholder
//! element put in its place, so the Markdown around it renders as usual; the theme's
//! templates render the calls later, once the whole site is known (an event card needs
//! the event). Nothing inside code — fenced or indented blocks, inline code — is a block.
//! `{{/* name() */}}` writes the call itself, for documentation.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::text::work;

/// A block kring itself has: its name, the arguments it takes and whether it has a body.
/// The one list of them: the renderer checks calls against it, and the content editor
/// offers a component for each (a block added here without one fails the editor's test).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltIn {
    pub name: &'static str,
    pub args: &'static [&'static str],
    /// Written `{% name() %}…{% end %}` around Markdown of its own.
    pub body: bool,
}

/// kring's own blocks (docs/content.md, "Content blocks").
pub const BUILT_INS: &[BuiltIn] = &[
    BuiltIn {
        name: "faq",
        args: &[],
        body: true,
    },
    BuiltIn {
        name: "callout",
        args: &["kind", "title"],
        body: true,
    },
    BuiltIn {
        name: "video",
        args: &["url", "title", "start"],
        body: false,
    },
    BuiltIn {
        name: "event",
        args: &["path"],
        body: false,
    },
    BuiltIn {
        name: "member",
        args: &["id"],
        body: false,
    },
    BuiltIn {
        name: "signup",
        args: &[],
        body: false,
    },
];

/// The built-in block called `name`, if there is one.
pub fn built_in(name: &str) -> Option<&'static BuiltIn> {
    BUILT_INS.iter().find(|b| b.name == name)
}

/// A value written for an argument.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
}

/// A call's arguments, in the order written.
pub type Args = Vec<(String, Arg)>;

/// One call of a block, as written.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockCall {
    pub name: String,
    pub args: Args,
    /// The body's Markdown (blocks with a body only); rendered to HTML by the caller.
    pub body: Option<String>,
    /// The HTML of the body, once rendered.
    pub body_html: Option<String>,
    /// Byte offset of the call in the Markdown it was found in.
    pub offset: usize,
    /// Byte offset of its body there.
    pub body_offset: usize,
}

impl BlockCall {
    pub fn arg(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    pub fn str_arg(&self, name: &str) -> Option<&str> {
        match self.arg(name) {
            Some(Arg::Str(s)) => Some(s),
            _ => None,
        }
    }
}

/// The element that stands for call `n` in rendered HTML: these two around `n`.
pub const PLACEHOLDER: [&str; 2] = ["<kring-block data-n=\"", "\"></kring-block>"];

/// The element that stands for call `n` in rendered HTML.
pub fn placeholder(n: usize) -> String {
    let [open, close] = PLACEHOLDER;
    format!("{open}{n}{close}")
}

/// Markdown with its calls replaced by placeholders (numbered from `first`), the calls,
/// and how offsets in the new text map back: `(offset in new text, shift)`, ascending.
#[derive(Debug, Default)]
pub struct Extracted {
    pub markdown: String,
    pub calls: Vec<BlockCall>,
    pub shifts: Vec<(usize, isize)>,
}

impl Extracted {
    /// The offset in the original Markdown of `offset` in the new text.
    pub fn original_offset(&self, offset: usize) -> usize {
        // The shifts are in ascending order: a binary search keeps a body with many
        // blocks and many links linear.
        let after = self.shifts.partition_point(|(at, _)| {
            work::add(1);
            *at <= offset
        });
        let shift = after.checked_sub(1).map_or(0, |last| self.shifts[last].1);
        offset.saturating_add_signed(shift)
    }
}

/// A call that cannot be read: where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockError {
    pub offset: usize,
    pub message: String,
}

/// Ranges of `markdown` that are code (in order, not overlapping): no block is found there.
fn code_ranges(markdown: &str) -> Vec<Range<usize>> {
    work::add(markdown.len());
    let mut ranges = Vec::new();
    let mut block_start = None;
    for (event, range) in Parser::new_ext(markdown, Options::empty()).into_offset_iter() {
        match event {
            Event::Code(_) => ranges.push(range),
            Event::Start(Tag::CodeBlock(_)) => block_start = Some(range.start),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(start) = block_start.take() {
                    ranges.push(start..range.end);
                }
            }
            _ => {}
        }
    }
    ranges
}

/// Finds the calls in `markdown`; `first` is the number of the first placeholder.
pub fn extract(markdown: &str, first: usize) -> Result<Extracted, BlockError> {
    if !markdown.contains("{{") && !markdown.contains("{%") {
        return Ok(Extracted {
            markdown: markdown.to_string(),
            ..Extracted::default()
        });
    }
    let code = code_ranges(markdown);
    let in_code = |at: usize| {
        let after = code.partition_point(|r| {
            work::add(1);
            r.start <= at
        });
        after.checked_sub(1).is_some_and(|i| code[i].contains(&at))
    };
    // Where a `{{/*` (or `{%/*`) was last found unclosed: no later one closes either, so
    // the rest of the text is not searched again for each of them.
    let mut unclosed_literal = [false; 2];
    let mut out = Extracted::default();
    let mut copied = 0;
    let mut search = 0;
    let mut shift: isize = 0;
    while let Some(found) = markdown[search..].find(['{']) {
        work::add(found + 1);
        let at = search + found;
        search = at + 1;
        let rest = &markdown[at..];
        let inline = rest.starts_with("{{");
        if !(inline || rest.starts_with("{%")) || in_code(at) {
            continue;
        }
        // `{{/* … */}}`: the call written out, not run.
        let (open, close) = if inline { ("{{", "}}") } else { ("{%", "%}") };
        if let Some(inner) = rest[2..].trim_start().strip_prefix("/*") {
            let seen_unclosed = &mut unclosed_literal[usize::from(inline)];
            let end = if *seen_unclosed {
                None
            } else {
                let end = inner.find(&format!("*/{close}"));
                work::add(end.unwrap_or(inner.len()));
                end
            };
            let Some(end) = end else {
                *seen_unclosed = true;
                continue;
            };
            let literal = format!("{open}{}{close}", &inner[..end]);
            let len = (rest.len() - inner.len()) + end + 4;
            out.markdown.push_str(&markdown[copied..at]);
            out.markdown.push_str(&literal);
            copied = at + len;
            search = copied;
            let new_at = out.markdown.len();
            shift += len as isize - literal.len() as isize;
            out.shifts.push((new_at, shift));
            continue;
        }
        let tag_len = rest.find(close).map(|i| i + 2);
        work::add(tag_len.unwrap_or(rest.len()));
        let Some(tag_len) = tag_len else {
            return Err(BlockError {
                offset: at,
                message: format!("this block is not closed with `{close}`"),
            });
        };
        let tag = rest[2..tag_len - 2].trim();
        let (name, args) = parse_call(tag).map_err(|message| BlockError {
            offset: at,
            message,
        })?;
        if name == "end" {
            return Err(BlockError {
                offset: at,
                message: "`{% end %}` without a block it ends".into(),
            });
        }
        let mut len = tag_len;
        let mut body = None;
        let body_offset = at + tag_len;
        if !inline {
            let (end, body_text) =
                body_of(markdown, at + tag_len, &in_code).ok_or_else(|| BlockError {
                    offset: at,
                    message: format!(
                        "`{{% {name}(…) %}}` is not ended: write `{{% end %}}` after its text"
                    ),
                })?;
            body = Some(body_text.to_string());
            len = end - at;
        }
        let n = first + out.calls.len();
        out.calls.push(BlockCall {
            name: name.to_string(),
            args,
            body,
            body_html: None,
            offset: at,
            body_offset,
        });
        out.markdown.push_str(&markdown[copied..at]);
        // A block with a body stands alone, as a paragraph of its own.
        let placeholder = if inline {
            placeholder(n)
        } else {
            format!("\n\n{}\n\n", placeholder(n))
        };
        out.markdown.push_str(&placeholder);
        copied = at + len;
        search = copied;
        shift += len as isize - placeholder.len() as isize;
        out.shifts.push((out.markdown.len(), shift));
    }
    out.markdown.push_str(&markdown[copied..]);
    Ok(out)
}

/// The end of the body starting at `from` (after its `{% end %}`) and the body; nested
/// blocks with bodies are counted.
fn body_of<'m>(
    markdown: &'m str,
    from: usize,
    in_code: &dyn Fn(usize) -> bool,
) -> Option<(usize, &'m str)> {
    let mut depth = 1;
    let mut search = from;
    while let Some(found) = markdown[search..].find("{%") {
        let at = search + found;
        let close = markdown[at..].find("%}")? + at + 2;
        work::add(close - search);
        search = close;
        if in_code(at) {
            continue;
        }
        let tag = markdown[at + 2..close - 2].trim();
        if tag == "end" {
            depth -= 1;
            if depth == 0 {
                return Some((close, &markdown[from..at]));
            }
        } else if !tag.starts_with("/*") {
            depth += 1;
        }
    }
    None
}

/// `name(key="value", n=3)` → the name and the arguments.
fn parse_call(tag: &str) -> Result<(&str, Args), String> {
    if tag == "end" {
        return Ok(("end", Vec::new()));
    }
    let open = tag
        .find('(')
        .ok_or_else(|| format!("`{tag}` is not a block call: write it as name(arg=\"value\")"))?;
    let name = tag[..open].trim();
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return Err(format!(
            "`{name}` is not a block name (letters, digits and _)"
        ));
    }
    let inner = tag[open + 1..]
        .strip_suffix(')')
        .ok_or_else(|| format!("the arguments of `{name}` are not closed with `)`"))?;
    Ok((name, parse_args(name, inner)?))
}

fn parse_args(name: &str, mut s: &str) -> Result<Args, String> {
    let mut args = Vec::new();
    loop {
        s = s.trim_start();
        if s.is_empty() {
            return Ok(args);
        }
        let eq = s
            .find('=')
            .ok_or_else(|| format!("{name}(): arguments are written key=\"value\""))?;
        let key = s[..eq].trim();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("{name}(): `{key}` is not an argument name"));
        }
        if args.iter().any(|(k, _)| k == key) {
            return Err(format!("{name}(): `{key}` is given twice"));
        }
        s = s[eq + 1..].trim_start();
        let (value, rest) = match s.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let mut value = String::new();
                let mut chars = s[1..].char_indices();
                let mut end = None;
                while let Some((i, c)) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some((_, next)) = chars.next() {
                                value.push(next);
                            }
                        }
                        c if c == q => {
                            end = Some(i + 2);
                            break;
                        }
                        c => value.push(c),
                    }
                }
                let end = end
                    .ok_or_else(|| format!("{name}(): the value of `{key}` has no closing {q}"))?;
                (Arg::Str(value), &s[end..])
            }
            _ => {
                let end = s.find([',', ' ', '\t', '\n']).unwrap_or(s.len());
                let word = s[..end].trim();
                let value = match word {
                    "true" => Arg::Bool(true),
                    "false" => Arg::Bool(false),
                    _ => word
                        .parse::<i64>()
                        .map(Arg::Int)
                        .or_else(|_| word.parse::<f64>().map(Arg::Float))
                        .map_err(|_| format!("{name}(): the value of `{key}` must be a \"string\", a number, true or false"))?,
                };
                (value, &s[end..])
            }
        };
        args.push((key.to_string(), value));
        s = rest.trim_start();
        if let Some(after) = s.strip_prefix(',') {
            s = after;
        } else if !s.is_empty() {
            return Err(format!("{name}(): put a comma between arguments"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_found_and_replaced_outside_code() {
        let md = "Intro {{ video(url=\"https://youtu.be/x\", start='1m30s') }} text.\n\n\
                  `{{ not(a=1) }}` and\n\n```\n{% not() %}\n```\n\n\
                  {% callout(kind=\"tip\") %}\nA *tip* {{ member(id=\"noor\") }}\n{% end %}\n\nEnd.";
        let x = extract(md, 0).unwrap();
        let names: Vec<&str> = x.calls.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["video", "callout"]);
        assert_eq!(x.calls[0].str_arg("url"), Some("https://youtu.be/x"));
        assert_eq!(x.calls[0].str_arg("start"), Some("1m30s"));
        assert_eq!(
            x.calls[1].body.as_deref(),
            Some("\nA *tip* {{ member(id=\"noor\") }}\n")
        );
        assert!(x.markdown.contains("`{{ not(a=1) }}`") && x.markdown.contains("{% not() %}"));
        assert!(x.markdown.contains(&placeholder(0)) && x.markdown.contains(&placeholder(1)));
        // Offsets after a call map back to the original text.
        let end = x.markdown.find("End.").unwrap();
        assert_eq!(x.original_offset(end), md.find("End.").unwrap());
        let text = x.markdown.find(" text.").unwrap();
        assert_eq!(x.original_offset(text), md.find(" text.").unwrap());
    }

    #[test]
    fn arguments_of_every_kind() {
        let x = extract("{{ b(s=\"a \\\"q\\\" b\", n=-3, f=1.5, t=true, e='') }}", 0).unwrap();
        assert_eq!(
            x.calls[0].args,
            vec![
                ("s".into(), Arg::Str("a \"q\" b".into())),
                ("n".into(), Arg::Int(-3)),
                ("f".into(), Arg::Float(1.5)),
                ("t".into(), Arg::Bool(true)),
                ("e".into(), Arg::Str(String::new())),
            ]
        );
    }

    #[test]
    fn bad_calls_are_errors_at_their_offset() {
        for (md, wanted) in [
            ("x {{ video(url=\"a\") ", "not closed"),
            ("x {% faq() %} no end", "is not ended"),
            ("x {% end %}", "without a block"),
            ("x {{ video }}", "not a block call"),
            ("x {{ vid-eo() }}", "not a block name"),
            ("x {{ v(a=\"b) }}", "no closing"),
            ("x {{ v(a=b) }}", "must be a \"string\""),
            ("x {{ v(a=1 b=2) }}", "comma"),
            ("x {{ v(a=1, a=2) }}", "given twice"),
            ("x {{ v(<script>=1) }}", "not an argument name"),
        ] {
            let e = extract(md, 0).unwrap_err();
            assert_eq!(e.offset, 2, "{md}");
            assert!(e.message.contains(wanted), "{md}: {}", e.message);
        }
    }

    #[test]
    fn nested_bodies_and_written_out_calls() {
        let x = extract(
            "{% a() %}\n{% b() %}\ninner\n{% end %}\n{% end %}\n{{/* video(url=\"x\") */}}",
            5,
        )
        .unwrap();
        assert_eq!(x.calls.len(), 1);
        assert_eq!(
            x.calls[0].body.as_deref(),
            Some("\n{% b() %}\ninner\n{% end %}\n")
        );
        assert!(x.markdown.contains(&placeholder(5)));
        assert!(
            x.markdown.ends_with("{{ video(url=\"x\") }}"),
            "{}",
            x.markdown
        );
        assert!(extract("{{ x }} {{", 0).is_err());
        assert!(extract("a { b } {{}", 0).is_err());
        assert_eq!(extract("a { b } {x}", 0).unwrap().calls.len(), 0);
    }
}
