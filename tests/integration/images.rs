//! Photos as kring publishes them (issue #11): upright, at most 2400 px wide, with no
//! metadata left (checked with kamadak-exif and decoded with Python's Pillow, both
//! independent of the `image` crate kring writes with), cached, and bad files refused with
//! the file named.

use crate::common;

use common::photos::*;
use common::*;

/// The `<img>` elements of `html` that `css` selects.
fn imgs_in(html: &str, css: &str) -> Vec<scraper::node::Element> {
    scraper::Html::parse_document(html)
        .select(&scraper::Selector::parse(css).unwrap())
        .map(|e| e.value().clone())
        .collect()
}

/// The one of `imgs` whose `src` ends in `end` (in `html`, shown if there is none).
fn img_ending<'a>(
    imgs: &'a [scraper::node::Element],
    end: &str,
    html: &str,
) -> &'a scraper::node::Element {
    imgs.iter()
        .find(|i| i.attr("src").is_some_and(|s| s.ends_with(end)))
        .unwrap_or_else(|| panic!("no <img> with a src ending {end} in {html}"))
}

#[test]
fn photos_are_published_upright_without_metadata() {
    let (_tmp, site) = fixture("hub");
    let jpeg = phone_photo(64, 32, image::ImageFormat::Jpeg);
    let png = phone_photo(64, 32, image::ImageFormat::Png);
    write(&site, "content/articles/bundle-post/phone.jpg", &jpeg);
    write(&site, "content/articles/bundle-post/phone.png", &png);
    write(&site, "static/img/phone.JPG", &jpeg);
    let public = build_ok(&site);
    for rel in [
        "articles/bundle-post/phone.jpg",
        "articles/bundle-post/phone.png",
        "img/phone.JPG",
    ] {
        let bytes = std::fs::read(public.join(rel)).unwrap();
        assert_no_exif(&bytes, rel);
        let img = image::load_from_memory(&bytes).unwrap();
        // Turned upright: 64 × 32 stored, shown 32 × 64.
        assert_eq!((img.width(), img.height()), (32, 64), "{rel}");
        let (w, h, has_exif, top_left) = pillow(&public.join(rel));
        assert_eq!((w, h), (32, 64), "{rel} by Pillow");
        assert!(!has_exif, "{rel}: Pillow finds EXIF");
        // Turned clockwise, the red left half is on top: the top-left pixel is red.
        assert!(
            top_left.0 > 150 && top_left.2 < 100,
            "{rel}: top-left is {top_left:?}"
        );
    }
}

/// Images in a body get the size they are published at (so the page does not shift as they
/// load), lazy loading below the first, and a warning at their line without alt text.
#[test]
fn images_in_pages_have_their_size_and_alt_text() {
    let (tmp, site) = fixture("hub");
    write(
        &site,
        "content/articles/bundle-post/phone.jpg",
        phone_photo(64, 32, image::ImageFormat::Jpeg),
    );
    write(
        &site,
        "static/img/wide.png",
        plain_photo(3000, 1000, image::ImageFormat::Png),
    );
    write(
        &site,
        "content/articles/bundle-post/index.md",
        "+++\ntitle = \"A bundle\"\ndate = 2026-03-01T09:00:00+01:00\nimage = \"pic.svg\"\ntags = [\"growth\"]\n+++\n\n![A picture](pic.svg)\n\n![A phone photo](phone.jpg)\n\n![A wide field](/img/wide.png)\n\nText.\n\n![](phone.jpg)\n",
    );
    let out = kring()
        .args(["build", site.to_str().unwrap()])
        .env("HOME", tmp.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    // The image without alt text, on line 16 of the file.
    assert!(
        stderr.contains("content/articles/bundle-post/index.md:16: an image without alt text"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("without alt text").count(), 1, "{stderr}");
    let html = read(&site.join("public"), "articles/bundle-post/index.html");
    let imgs = imgs_in(&html, "main p img");
    let by_src = |end: &str| img_ending(&imgs, end, &html);
    // Upright: stored 64 × 32, shown 32 × 64. The wide one as published, 2400 wide.
    let phone = by_src("phone.jpg");
    assert_eq!(
        (phone.attr("width"), phone.attr("height")),
        (Some("32"), Some("64"))
    );
    assert_eq!(phone.attr("alt"), Some("A phone photo"));
    let wide = by_src("img/wide.png");
    assert_eq!(
        (wide.attr("width"), wide.attr("height")),
        (Some("2400"), Some("800"))
    );
    assert_eq!(wide.attr("loading"), Some("lazy"));
    // The body's first image is likely on the first screen: not lazy. SVG: no size read.
    let first = by_src("pic.svg");
    assert_eq!(first.attr("loading"), None);
    assert_eq!(first.attr("decoding"), Some("async"));
    let written = image::image_dimensions(site.join("public/img/wide.png")).unwrap();
    assert_eq!(written, (2400, 800));
}

#[test]
fn large_photos_are_at_most_2400_pixels_wide() {
    let (_tmp, site) = fixture("hub");
    write(
        &site,
        "content/articles/bundle-post/big.jpg",
        plain_photo(4000, 3000, image::ImageFormat::Jpeg),
    );
    let public = build_ok(&site);
    let out = public.join("articles/bundle-post/big.jpg");
    let written = image::image_dimensions(&out).unwrap();
    assert_eq!(written, (2400, 1800));
    let (w, h, _, _) = pillow(&out);
    assert_eq!((w, h), (2400, 1800));
}

#[test]
fn a_second_build_reuses_the_cache_and_prunes_what_is_gone() {
    let (_tmp, site) = fixture("hub");
    // Only photos in the cache here: social cards are cached too.
    let config = std::fs::read_to_string(site.join("kring.toml")).unwrap();
    write(
        &site,
        "kring.toml",
        format!("{config}\n[images]\nsocial_cards = false\n"),
    );
    write(
        &site,
        "content/articles/bundle-post/one.jpg",
        phone_photo(40, 20, image::ImageFormat::Jpeg),
    );
    write(
        &site,
        "content/articles/bundle-post/two.png",
        phone_photo(30, 20, image::ImageFormat::Png),
    );
    let cache = site.join(".kring-cache/images");
    let public = build_ok(&site);
    let first = tree(&cache);
    // Each photo as published; its email size is the same operation (it is narrower than
    // 1200 px and JPEG or PNG already), so the same entry.
    assert_eq!(first.len(), 2, "{:?}", first.keys());
    let stamps: Vec<_> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().modified().unwrap())
        .collect();
    let published = std::fs::read(public.join("articles/bundle-post/one.jpg")).unwrap();
    // The cached result is what was published (its name carries the hash that checks it),
    // and a second build does not redo it.
    assert!(first.values().any(|bytes| *bytes == published));
    std::thread::sleep(std::time::Duration::from_millis(20));
    build_ok(&site);
    let again: Vec<_> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().modified().unwrap())
        .collect();
    assert_eq!(tree(&cache), first);
    assert_eq!(again.len(), stamps.len());
    assert!(
        again.iter().all(|t| stamps.contains(t)),
        "an entry was rewritten"
    );
    // A photo that is gone leaves the cache at the next build.
    std::fs::remove_file(site.join("content/articles/bundle-post/two.png")).unwrap();
    build_ok(&site);
    assert_eq!(tree(&cache).len(), 1);
}

#[test]
fn bad_images_are_errors_naming_the_file() {
    let (tmp, _) = fixture("hub");
    let good = phone_photo(40, 20, image::ImageFormat::Jpeg);
    // A PNG header that claims 100,000 × 100,000 pixels (40 GB decoded).
    let mut bomb = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bomb.extend(100_000u32.to_be_bytes());
    bomb.extend(100_000u32.to_be_bytes());
    bomb.extend([8, 2, 0, 0, 0]);
    let crc = crc32(&bomb[12..]);
    bomb.extend(crc.to_be_bytes());
    // 15,000 × 15,000 is within the side limit but not the memory one (675 MB).
    let mut wide = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    wide.extend(15_000u32.to_be_bytes());
    wide.extend(15_000u32.to_be_bytes());
    wide.extend([8, 2, 0, 0, 0]);
    let crc = crc32(&wide[12..]);
    wide.extend(crc.to_be_bytes());
    let cases: [(&str, Vec<u8>); 5] = [
        ("truncated.jpg", good[..good.len() / 2].to_vec()),
        (
            "noise.png",
            (0..5000u32).map(|i| (i * 7919 % 251) as u8).collect(),
        ),
        ("empty.webp", Vec::new()),
        ("bomb.png", bomb),
        ("wide.png", wide),
    ];
    for (name, bytes) in cases {
        let (_keep, site) = fixture("hub");
        write(
            &site,
            &format!("content/articles/bundle-post/{name}"),
            &bytes,
        );
        let out = kring()
            .args(["build", site.to_str().unwrap()])
            .env("HOME", tmp.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        assert!(
            stderr.contains(name)
                && stderr.contains("cannot be published")
                && !stderr.contains("panicked"),
            "{name}: {stderr}"
        );
        assert!(
            !site.join("public").exists(),
            "{name}: something was published"
        );
    }
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Every page of the example site has an `og:image` a chat app can show: its own photo, or
/// a drawn 1200 × 630 card (decoded by Pillow). `[images] social_cards = false` draws none.
#[test]
fn every_page_has_an_og_image_and_cards_are_drawn_pngs() {
    let (_tmp, site) = fixture("example-site");
    let public = build_ok(&site);
    let base = kring::config::Config::load(&site).unwrap().base_url;
    let mut pages = 0;
    let mut cards = std::collections::BTreeSet::new();
    for entry in walkdir::WalkDir::new(&public) {
        let path = entry.unwrap().into_path();
        let rel = path
            .strip_prefix(&public)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if !rel.ends_with("index.html") && rel != "404.html" {
            continue;
        }
        pages += 1;
        let html = std::fs::read_to_string(&path).unwrap();
        let doc = scraper::Html::parse_document(&html);
        let sel = scraper::Selector::parse(r#"meta[property="og:image"]"#).unwrap();
        let images: Vec<&str> = doc
            .select(&sel)
            .filter_map(|m| m.value().attr("content"))
            .collect();
        assert_eq!(images.len(), 1, "{rel}: {images:?}");
        let file = images[0]
            .strip_prefix(base.as_str())
            .unwrap_or_else(|| panic!("{rel}: og:image {} is not on the site", images[0]));
        assert!(!file.ends_with(".svg"), "{rel}: an SVG og:image");
        assert!(public.join(file).is_file(), "{rel}: {file} was not written");
        if file.ends_with("social-card.png") {
            cards.insert(file.to_string());
            let size = scraper::Selector::parse(r#"meta[property="og:image:width"]"#).unwrap();
            let width = doc
                .select(&size)
                .next()
                .and_then(|m| m.value().attr("content"));
            assert_eq!(width, Some("1200"), "{rel}");
        }
    }
    assert!(pages > 100, "only {pages} pages");
    assert!(cards.len() > 20, "{cards:?}");
    for card in cards.iter().take(5) {
        let (w, h, exif, _) = pillow(&public.join(card));
        assert_eq!((w, h, exif), (1200, 630, false), "{card}");
        let img = image::open(public.join(card)).unwrap().to_rgb8();
        let colours: std::collections::HashSet<_> = img.pixels().map(|p| p.0).collect();
        assert!(colours.len() > 10, "{card}: nothing drawn");
    }

    let config = std::fs::read_to_string(site.join("kring.toml")).unwrap();
    std::fs::write(
        site.join("kring.toml"),
        format!("{config}\n[images]\nsocial_cards = false\n"),
    )
    .unwrap();
    let public = build_ok(&site);
    let drawn = walkdir::WalkDir::new(&public)
        .into_iter()
        .filter(|e| e.as_ref().unwrap().file_name() == "social-card.png")
        .count();
    assert_eq!(drawn, 0);
    assert!(!read(&public, "index.html").contains("social-card.png"));
}

/// Email editions and feed items show the site's photos at most 1200 px wide, as JPEG or
/// PNG (many mail clients show no WebP), with an email's width and the height in
/// proportion.
#[test]
fn emails_and_feeds_get_photos_in_their_size() {
    let (tmp, site) = fixture("hub");
    write(
        &site,
        "content/articles/letter/meetup.jpg",
        plain_photo(3000, 2000, image::ImageFormat::Jpeg),
    );
    write(
        &site,
        "content/articles/letter/chart.webp",
        plain_photo(1600, 400, image::ImageFormat::WebP),
    );
    write(
        &site,
        "content/articles/letter/index.md",
        "+++\ntitle = \"Letter with photos\"\ndate = 2026-04-01\nnewsletter = true\n+++\n\n![The meetup](meetup.jpg)\n\n![A chart](chart.webp)\n",
    );
    let public = build_ok(&site);
    let email = read(&public, "articles/letter/email.html");
    let imgs = imgs_in(&email, "img");
    let find = |end: &str| img_ending(&imgs, end, &email);
    let meetup = find("/articles/letter/meetup.w1200.jpg");
    assert_eq!(
        (meetup.attr("width"), meetup.attr("height")),
        (Some("560"), Some("373"))
    );
    let chart = find("/articles/letter/chart.w1200.png");
    assert_eq!(chart.attr("width"), Some("560"));
    assert!(!email.contains(".webp"), "WebP in the email");
    for (file, size) in [
        ("articles/letter/meetup.w1200.jpg", (1200, 800)),
        ("articles/letter/chart.w1200.png", (1200, 300)),
        ("articles/letter/meetup.jpg", (2400, 1600)),
    ] {
        let (w, h, exif, _) = pillow(&public.join(file));
        assert_eq!(((w, h), exif), (size, false), "{file}");
    }
    let rss = read(&public, "rss.xml");
    assert!(
        rss.contains("/articles/letter/meetup.w1200.jpg"),
        "feed: {rss}"
    );
    assert!(
        !rss.contains("/articles/letter/meetup.jpg\""),
        "the feed names the large photo"
    );
    let (ok, stdout, stderr) = run(&["check", site.to_str().unwrap()], tmp.path());
    assert!(ok, "{stdout}{stderr}");
}
