use super::*;

#[test]
fn titles_wrap_between_words_and_end_in_an_ellipsis() {
    assert_eq!(wrap("A short title", 26, 4), vec!["A short title"]);
    assert_eq!(
        wrap(
            "Writing a newsletter people reply to, and why it matters",
            26,
            4
        ),
        vec![
            "Writing a newsletter",
            "people reply to, and why",
            "it matters"
        ]
    );
    let long = wrap(&"word ".repeat(100), 26, 4);
    assert_eq!(long.len(), 4);
    assert!(long[3].ends_with('…') && long[3].chars().count() <= 26);
    // A word longer than a line is cut, not left to run off the card.
    let w = wrap(&"x".repeat(60), 26, 4);
    assert!(w.iter().all(|l| l.chars().count() <= 26), "{w:?}");
    assert!(wrap("", 26, 4).is_empty());
}

/// The palette PNG, read back by `image`'s decoder, shows the drawn card within one or
/// two units a channel, for dark, bright and saturated accents; a background too pale
/// for the steps (white) keeps RGBA and is exact.
#[test]
fn cards_are_encoded_as_drawn() {
    for accent in [
        "#0b6e4f", "#ff0000", "#1a1a2e", "#f5c542", "#ffffff", "#000000",
    ] {
        let svg = svg("Écrire une lettre — 🎉 & <more>", "Site", accent);
        let drawn = draw(&svg).unwrap();
        let png = png(&svg).unwrap();
        let decoded = image::load_from_memory(&png).unwrap().to_rgba8();
        assert_eq!(decoded.dimensions(), (WIDTH, HEIGHT));
        let worst = drawn
            .data()
            .iter()
            .zip(decoded.as_raw())
            .map(|(a, b)| (i32::from(*a) - i32::from(*b)).abs())
            .max()
            .unwrap();
        assert!(worst <= 2, "{accent}: off by {worst}");
        let palette = png[25] == 3; // IHDR colour type
        assert_eq!(palette, accent != "#ffffff", "{accent}: palette or RGBA");
        let colours: std::collections::HashSet<_> = decoded.pixels().collect();
        assert!(
            accent == "#ffffff" || colours.len() > 10,
            "{accent}: no text"
        );
    }
}

/// A card drawn by resvg over its backdrop (the path of titles [`Fast`] leaves to usvg) is
/// the card drawn whole, byte for byte, for short and long titles, on dark, bright and white backgrounds; the
/// thread's canvas is put back after each card, so a short title after a long one (or
/// after a card of another backdrop) carries nothing of it.
#[test]
fn cards_drawn_over_their_backdrop_are_the_whole_drawing() {
    let titles = [
        "Kort",
        "Writing a newsletter people reply to, and why it matters",
        &"woord ".repeat(40),
        "Écrire — 🎉 “quotes” ß",
        "",
        "gjpqy ÅÉÎ ||| ___ ‾‾‾",
        "\r\0<!--<script> </script>",
        "Kort",
    ];
    let backdrops: Vec<_> = ["#0b6e4f", "#f5c542", "#ffffff"]
        .into_iter()
        .flat_map(|accent| {
            ["De Kring & <Co>", "ß"]
                .map(|footer| (accent, footer, Backdrop::new(footer, accent).unwrap()))
        })
        .collect();
    for title in titles {
        // Every backdrop in turn, so each card follows one of another backdrop.
        for (accent, footer, backdrop) in &backdrops {
            let whole = svg(title, footer, accent);
            assert_eq!(
                backdrop.drawn(title).unwrap(),
                png(&whole).unwrap(),
                "{accent}, {footer}: {title}"
            );
        }
    }
}

#[test]
fn hostile_titles_stay_text() {
    for title in [
        "</text><image href=\"file:///etc/passwd\"/><text>",
        "a & b < c > d \" e",
        "\u{0}\u{1b}[31mred\r\nline",
        "🎉 Émoji and accents ĳ ß — “quotes”",
    ] {
        let svg = svg(title, "Site & <Co>", "#0b6e4f");
        assert!(!svg.contains("<image"), "{svg}");
        let png = png(&svg).unwrap_or_else(|e| panic!("{title}: {e}"));
        assert!(png.starts_with(b"\x89PNG"));
        let backdrop = Backdrop::new("Site & <Co>", "#0b6e4f").unwrap();
        let card = backdrop
            .png(title)
            .unwrap_or_else(|e| panic!("{title}: {e}"));
        let decoded = image::load_from_memory(&card).unwrap().to_rgba8();
        assert_eq!(decoded.dimensions(), (WIDTH, HEIGHT), "{title}");
    }
}

/// Titles of every kind: plain ones (drawn from cached glyphs) and ones left to usvg.
const TITLES: &[&str] = &[
    "Kort",
    "Writing a newsletter people reply to, and why it matters",
    "AV To Ty Yo LT Wa P. F, “Ay” ‘Te’",
    "ÅÉÎ ß çøñ ÿ Œuvre Łódź Ærø İş",
    "0123456789 $€£ 50% #1 @home 3×4 ±½",
    "Punctuation: (a) [b] {c} <d> a/b \\ | ~ ^ _ ` ' \" ! ? ¿ ¡ … – —",
    "\r\0<!--<script></script>",
    "woord woord woord woord woord woord woord woord woord woord woord woord woord woord woord woord woord woord woord",
    "Écrire — 🎉 “quotes” ß",
    "gjpqy ÅÉÎ ||| ___ ‾‾‾",
    "عربي and עברית",
    "Ünïcödé combining e\u{301} and soft\u{AD}hyphen",
    "",
    "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
];

/// Decodes a PNG with `image` to RGBA.
fn rgba(png: &[u8]) -> Vec<u8> {
    let decoded = image::load_from_memory(png).unwrap().to_rgba8();
    assert_eq!(decoded.dimensions(), (WIDTH, HEIGHT));
    decoded.into_raw()
}

/// A card drawn from cached glyphs is the card drawn whole but for a few edge pixels, for
/// plain titles (short, long, four lines with an ellipsis, kerning pairs, accents, digits,
/// punctuation, markup, a huge one) on dark, bright, saturated and black backgrounds: a
/// glyph placed at the nearest 1/64 pixel moves where tiny-skia's 4 × 4 sampling crosses
/// its edges, by a sixteenth of full coverage (16 units) on 2–3% of the title's edge
/// pixels, and very rarely by a whole sample row (64) where a curve is cut into lines
/// differently. Titles with characters it does not lay out (emoji, right to left,
/// combining marks, a soft hyphen) are left to usvg and are the whole drawing byte for
/// byte, as are all cards on white (too pale for the palette: RGBA).
#[test]
fn cards_from_cached_glyphs_stay_close_to_the_whole_drawing() {
    let huge = "Huge ".repeat(20_000);
    let titles: Vec<&str> = TITLES.iter().copied().chain([huge.as_str()]).collect();
    let (mut edges, mut differing, mut far) = (0usize, 0usize, 0usize);
    let mut worst = 0;
    for accent in [
        "#0b6e4f", "#ff0000", "#1a1a2e", "#f5c542", "#000000", "#ffffff",
    ] {
        let backdrop = Backdrop::new("De Kring & <Co>", accent).unwrap();
        assert_eq!(backdrop.fast.is_some(), accent != "#ffffff", "{accent}");
        for title in &titles {
            let whole = png(&svg(title, "De Kring & <Co>", accent)).unwrap();
            let card = backdrop.png(title).unwrap();
            let fast = backdrop.fast.as_ref().and_then(|f| f.png(title)).is_some();
            let plain = title.chars().all(|c| c.is_control() || glyphs::plain(c));
            assert_eq!(fast, accent != "#ffffff" && plain, "{accent}: {title}");
            if !fast {
                assert_eq!(card, whole, "{accent}: {title}");
                continue;
            }
            let (a, b) = (rgba(&whole), rgba(&card));
            let background = &a[..4];
            for (p, q) in a.chunks_exact(4).zip(b.chunks_exact(4)) {
                // The title's edges: partly covered pixels of the whole drawing.
                edges += usize::from(p != background && p != [255, 255, 255, 255]);
                let off = p.iter().zip(q).map(|(x, y)| x.abs_diff(*y)).max().unwrap();
                worst = worst.max(off);
                differing += usize::from(off > 0);
                // 16 units of coverage, plus one for the palette's rounding.
                far += usize::from(off > 17);
            }
        }
    }
    eprintln!("{differing} of {edges} edge pixels differ, {far} by more than 17, worst {worst}");
    assert!(edges > 100_000, "no text drawn");
    assert!(worst <= 64, "off by {worst}");
    assert!(
        differing * 100 <= edges * 3,
        "{differing} of {edges} differ"
    );
    assert!(
        far * 1000 <= edges * 2,
        "{far} of {edges} differ by more than 17"
    );
}

/// The same title gives the same bytes whatever came before it on the thread and on
/// whichever thread it is drawn.
#[test]
fn cards_from_cached_glyphs_are_deterministic() {
    let backdrop = Backdrop::new("Site", "#0b6e4f").unwrap();
    let first: Vec<_> = TITLES.iter().map(|t| backdrop.png(t).unwrap()).collect();
    let again: Vec<_> = std::thread::scope(|s| {
        TITLES
            .iter()
            .rev()
            .map(|t| s.spawn(|| backdrop.png(t).unwrap()))
            .collect::<Vec<_>>()
            .into_iter()
            .map(|h| h.join().unwrap())
            .collect()
    });
    for (n, card) in again.iter().rev().enumerate() {
        assert_eq!(card, &first[n], "{}", TITLES[n]);
    }
}

/// Python's Pillow reads the cards written from the backdrop's pre-filtered rows as `image`
/// does (another inflater and PNG reader, which checks the CRCs and the Adler-32).
#[test]
fn cards_from_cached_glyphs_are_read_by_pillow() {
    let dir = tempfile::tempdir().unwrap();
    let backdrop = Backdrop::new("Site", "#f5c542").unwrap();
    let mut files = Vec::new();
    for (n, title) in TITLES.iter().enumerate() {
        let file = dir.path().join(format!("{n}.png"));
        let card = backdrop.png(title).unwrap();
        std::fs::write(&file, &card).unwrap();
        files.push((file, rgba(&card)));
    }
    for (file, pixels) in files {
        let out = std::process::Command::new("python3")
            .arg("-c")
            .arg(
                "import sys\nfrom PIL import Image\nim = Image.open(sys.argv[1])\nim.load()\n\
                 sys.stdout.buffer.write(im.convert('RGBA').tobytes())",
            )
            .arg(&file)
            .output()
            .expect("python3 runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stdout == pixels, "{}", file.display());
    }
}
