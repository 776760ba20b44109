//! iCalendar text (RFC 5545), written structurally: components are opened and closed in
//! order, every property is one content line, and each value is escaped for its type on
//! the way in. Nothing is ever inserted into finished text, so no value — a title with
//! `BEGIN:VEVENT` in it, a tag with a bare `\r` — can start a line of its own.

/// A calendar file being written.
#[derive(Default)]
pub struct Ics {
    out: String,
    open: Vec<&'static str>,
}

impl Ics {
    pub fn new() -> Ics {
        Ics::default()
    }

    pub fn begin(&mut self, component: &'static str) {
        self.line("BEGIN", &[], component);
        self.open.push(component);
    }

    pub fn end(&mut self) {
        if let Some(component) = self.open.pop() {
            self.line("END", &[], component);
        }
    }

    /// A TEXT property (SUMMARY, DESCRIPTION, LOCATION, X-WR-CALNAME …).
    pub fn text(&mut self, name: &str, value: &str) {
        self.line(name, &[], &escape_text(value));
    }

    /// A property whose value is a list of TEXT (CATEGORIES), each item escaped.
    pub fn text_list(&mut self, name: &str, values: &[String]) {
        let items: Vec<String> = values.iter().map(|v| escape_text(v)).collect();
        self.line(name, &[], &items.join(","));
    }

    /// A property of another type (dates, offsets, URIs, RRULE, STATUS): values kring makes
    /// itself, or URLs; control characters are removed all the same.
    pub fn value(&mut self, name: &str, params: &[(&str, &str)], value: &str) {
        self.line(name, params, &strip_controls(value));
    }

    fn line(&mut self, name: &str, params: &[(&str, &str)], value: &str) {
        let mut line = String::with_capacity(name.len() + value.len() + 8);
        line.push_str(name);
        for (key, param) in params {
            line.push(';');
            line.push_str(key);
            line.push('=');
            line.push_str(&param_value(param));
        }
        line.push(':');
        line.push_str(value);
        fold_into(&mut self.out, &line);
    }

    /// The finished file; closes whatever is still open.
    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.end();
        }
        self.out
    }
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, `;` and `,` get a backslash, every
/// line break (`\r\n`, `\n` or a lone `\r`) becomes `\n`, and other control characters,
/// which the format does not allow, are dropped.
pub fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn strip_controls(value: &str) -> String {
    value.chars().filter(|c| !c.is_control()).collect()
}

/// A parameter value: quoted when it holds `:`, `;` or `,`; `"` and controls cannot be
/// written in one at all (§3.1), so they are dropped.
fn param_value(value: &str) -> String {
    let clean: String = value
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .collect();
    if clean.contains([':', ';', ',']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

/// Appends `line` folded at 75 octets (§3.1), counting the space that starts a continuation
/// line and never splitting a character; a fold is moved a little so no line ends or starts
/// with a space, which some parsers trim.
fn fold_into(out: &mut String, line: &str) {
    let mut rest = line;
    let mut limit = 75;
    while rest.len() > limit {
        let mut cut = crate::text::floor_char_boundary(rest, limit);
        let mut nicer = cut;
        while nicer > limit - 8 && (rest[..nicer].ends_with(' ') || rest[nicer..].starts_with(' '))
        {
            nicer = crate::text::floor_char_boundary(rest, nicer - 1);
        }
        if !(rest[..nicer].ends_with(' ') || rest[nicer..].starts_with(' ')) {
            cut = nicer;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        limit = 74;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_of_every_kind_become_escapes() {
        for hostile in ["a\r\nB:x", "a\rB:x", "a\nB:x", "a\u{0}\u{b}\rB:x"] {
            let mut ics = Ics::new();
            ics.text("SUMMARY", hostile);
            let text = ics.finish();
            assert_eq!(text, "SUMMARY:a\\nB:x\r\n", "{hostile:?}");
        }
    }

    #[test]
    fn list_items_escape_their_commas() {
        let mut ics = Ics::new();
        ics.text_list("CATEGORIES", &["a,b".into(), "c\r\nATTACH:x".into()]);
        assert_eq!(ics.finish(), "CATEGORIES:a\\,b,c\\nATTACH:x\r\n");
    }

    #[test]
    fn folded_lines_stay_within_75_octets_and_whole_characters() {
        let mut ics = Ics::new();
        ics.text("SUMMARY", &"ë😀 x".repeat(60));
        let text = ics.finish();
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{line:?}");
        }
        assert_eq!(
            text.replace("\r\n ", ""),
            format!("SUMMARY:{}\r\n", "ë😀 x".repeat(60))
        );
    }

    #[test]
    fn parameters_cannot_break_out() {
        let mut ics = Ics::new();
        ics.value(
            "DTSTART",
            &[("TZID", "Evil\";X=1:\r\nA")],
            "20260101T000000",
        );
        assert_eq!(
            ics.finish(),
            "DTSTART;TZID=\"Evil;X=1:A\":20260101T000000\r\n"
        );
    }
}
