//! Words as the search index and the search page's script see them: runs of letters and
//! digits, lower-cased, without accents; and the text of kring's HTML.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Calls `f` with each word of `text`, lower-cased and without accents, as the search
/// script splits what is typed: runs of letters and digits. One letter is no word.
///
/// Most words are ASCII: they are cut from the text and lower-cased at once; a word with
/// any other character goes through the character-by-character path.
pub fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let separator = |b: u8| b < 0x80 && !b.is_ascii_alphanumeric();
    let mut word = String::new();
    let mut i = 0;
    while i < bytes.len() {
        if separator(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i == bytes.len() || bytes[i] < 0x80 {
            if i - start > 1 {
                word.clear();
                word.push_str(&text[start..i]);
                word.make_ascii_lowercase();
                f(&word);
            }
            continue;
        }
        let end = bytes[i..]
            .iter()
            .position(|&b| separator(b))
            .map_or(bytes.len(), |p| i + p);
        words_of_any_script(&text[start..end], &mut f);
        i = end;
    }
}

/// [`for_each_word`] a character at a time: letters of any script, lower-cased, their
/// accents (combining marks after decomposition) dropped.
fn words_of_any_script(text: &str, f: &mut impl FnMut(&str)) {
    let mut word = String::new();
    let mut flush = |word: &mut String| {
        if word.chars().nth(1).is_some() {
            f(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            if c.is_ascii() {
                word.push(c.to_ascii_lowercase());
            } else {
                for d in c.to_lowercase().nfd().filter(|d| !is_combining_mark(*d)) {
                    word.push(d);
                }
            }
        } else if !is_combining_mark(c) {
            flush(&mut word);
        }
    }
    flush(&mut word);
}

/// [`for_each_word`] of the text of kring's HTML: tags and entities are not words.
pub fn for_each_word_in_html(html: &str, mut f: impl FnMut(&str)) {
    let mut rest = html;
    while let Some(at) = rest.find(['<', '&']) {
        for_each_word(&rest[..at], &mut f);
        rest = &rest[at..];
        rest = if rest.starts_with('<') {
            rest.find('>').map_or("", |end| &rest[end + 1..])
        } else {
            let name = rest[1..]
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'#')
                .count();
            match rest.as_bytes().get(1 + name) {
                Some(b';') if name > 0 => &rest[name + 2..],
                _ => &rest[1..],
            }
        };
    }
    for_each_word(rest, &mut f);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_word(text, |w| out.push(w.to_string()));
        out
    }

    #[test]
    fn words_are_lower_case_without_accents_and_split_as_the_script_does() {
        assert_eq!(
            words("Coördinator, café & Ünïcode!"),
            ["coordinator", "cafe", "unicode"]
        );
        assert_eq!(words("a b c2 x-ray 3D"), ["c2", "ray", "3d"]);
        assert_eq!(
            words("<script>alert(1)</script>"),
            ["script", "alert", "script"]
        );
        assert_eq!(words("e\u{301}te\u{301} ÉTÉ"), ["ete", "ete"]);
        assert_eq!(words("\0\r\n"), Vec::<String>::new());
    }

    #[test]
    fn the_ascii_path_splits_as_the_path_for_any_script() {
        for text in [
            "Hello, World! x-ray 3D",
            "coöperatie—één “quote” naïef",
            "abcé",
            "éabc def",
            "a\u{301}b c",
            "日本語 テキスト",
            "tab\tnew\nline\0null",
            "R&D Q&A",
            "",
            "ß straße ǅ",
        ] {
            let mut slow = Vec::new();
            words_of_any_script(text, &mut |w: &str| slow.push(w.to_string()));
            assert_eq!(words(text), slow, "{text:?}");
        }
    }

    #[test]
    fn words_of_html_leave_out_tags_and_entities() {
        let mut found = Vec::new();
        for_each_word_in_html(
            "<p class=\"intro\">Hello <em>big</em> world &amp; caf&eacute; &#39;quoted&#39; <a href=\"https://x.org/hidden\">link</a> Q&A</p>",
            |w| found.push(w.to_string()),
        );
        assert_eq!(found, ["hello", "big", "world", "caf", "quoted", "link"]);
    }
}
