//! The sizes kring makes of a photo (issue #11): WebP files a `<picture>` offers the browser,
//! 1× and 2× sizes of the theme's slots (avatars, covers, cards) from `image()`, each the
//! size it claims and free of metadata (read back with Pillow and kamadak-exif), and the
//! original file published only when the site asks.

use crate::common;

use std::path::Path;
use std::process::Command;

use common::photos::*;
use common::*;

/// A site with a phone photo and a wide PNG in an article's body, a cover, a GIF and an
/// avatar.
fn site_with_photos() -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, site) = fixture("hub");
    write(
        &site,
        "content/articles/bundle-post/phone.jpg",
        phone_photo(2000, 1000, image::ImageFormat::Jpeg),
    );
    write(
        &site,
        "content/articles/bundle-post/cover.jpg",
        phone_photo(3000, 2000, image::ImageFormat::Jpeg),
    );
    write(
        &site,
        "static/img/wide.png",
        plain_photo(3000, 1000, image::ImageFormat::Png),
    );
    write(
        &site,
        "static/img/ada.jpg",
        phone_photo(1200, 1600, image::ImageFormat::Jpeg),
    );
    let gif = Command::new("python3")
        .args([
            "-c",
            "import sys\nfrom PIL import Image\nImage.new('RGB', (7, 5), 'red').save(sys.argv[1])",
            site.join("content/articles/bundle-post/dot.gif")
                .to_str()
                .unwrap(),
        ])
        .status()
        .unwrap();
    assert!(gif.success());
    write(
        &site,
        "content/articles/bundle-post/index.md",
        "+++\ntitle = \"A bundle\"\ndate = 2026-03-01T09:00:00+01:00\nimage = \"cover.jpg\"\nauthors = [\"ada\"]\n+++\n\n![A phone photo](phone.jpg)\n\n![A wide field](/img/wide.png)\n\n![A dot](dot.gif)\n",
    );
    let ada = std::fs::read_to_string(site.join("content/members/ada.md")).unwrap();
    write(
        &site,
        "content/members/ada.md",
        ada.replacen("+++\n", "+++\navatar = \"/img/ada.jpg\"\n", 1),
    );
    (tmp, site)
}

/// The file in `public` of `url` as written in the page at `page` (pages are portable:
/// their URLs are relative).
fn file_of(public: &Path, page: &str, url: &str) -> std::path::PathBuf {
    let base = url::Url::parse(&format!("https://x.invalid/{page}")).unwrap();
    public.join(base.join(url).unwrap().path().trim_start_matches('/'))
}

/// Every file a `srcset` in the page at `page` names, with its width, checked: there,
/// WebP, that wide, no EXIF.
fn check_webp_set(public: &Path, page: &str, srcset: &str) -> Vec<u32> {
    srcset
        .split(", ")
        .map(|candidate| {
            let (url, w) = candidate.split_once(' ').unwrap();
            let w: u32 = w.trim_end_matches('w').parse().unwrap();
            let file = file_of(public, page, url);
            assert_eq!(pillow_format(&file), "WEBP", "{url}");
            let (pw, _, exif, _) = pillow(&file);
            assert_eq!((pw, exif), (w, false), "{url}");
            assert_no_exif(&std::fs::read(&file).unwrap(), url);
            w
        })
        .collect()
}

#[test]
fn pages_offer_webp_sizes_and_every_img_has_a_size() {
    let (_tmp, site) = site_with_photos();
    let public = build_ok(&site);
    let root = "articles/bundle-post/";
    let html = read(&public, "articles/bundle-post/index.html");
    let doc = scraper::Html::parse_document(&html);
    let select = |css: &str| scraper::Selector::parse(css).unwrap();
    for img in doc.select(&select("img")) {
        let e = img.value();
        for attr in ["width", "height", "alt"] {
            assert!(
                e.attr(attr).is_some(),
                "an <img> without {attr}: {}",
                img.html()
            );
        }
    }
    let picture_of = |src_end: &str| {
        doc.select(&select("picture"))
            .find(|p| {
                p.select(&select("img"))
                    .any(|i| i.value().attr("src").unwrap().ends_with(src_end))
            })
            .unwrap_or_else(|| panic!("no <picture> with {src_end}: {html}"))
    };
    let source = |p: scraper::ElementRef| {
        let s = p.select(&select("source")).next().expect("a <source>");
        assert_eq!(s.value().attr("type"), Some("image/webp"));
        assert!(s.value().attr("sizes").is_some());
        s.value().attr("srcset").unwrap().to_string()
    };
    // Body photos: WebP widths up to the photo's own; the published photo is the fallback.
    let phone = picture_of("phone.jpg");
    assert_eq!(
        check_webp_set(&public, root, &source(phone)),
        [480, 960, 1000]
    );
    let wide = picture_of("img/wide.png");
    assert_eq!(
        check_webp_set(&public, root, &source(wide)),
        [480, 960, 1440]
    );
    // The cover: 960 CSS px wide, so half, 1× and 2×, and a 1× JPEG for browsers without WebP.
    let cover = picture_of("cover.w960.jpg");
    assert_eq!(
        check_webp_set(&public, root, &source(cover)),
        [480, 960, 1920]
    );
    let fallback = public.join("articles/bundle-post/cover.w960.jpg");
    assert_eq!(pillow_format(&fallback), "JPEG");
    assert_eq!(pillow(&fallback).0, 960);
    // The byline avatar (28 CSS px): cut square, 1× and 2×.
    let avatar = picture_of("img/ada.28x28.jpg");
    assert_eq!(check_webp_set(&public, root, &source(avatar)), [28, 56]);
    let (w, h, _, _) = pillow(&public.join("img/ada.56x56.webp"));
    assert_eq!((w, h), (56, 56));
    // GIF is shown as it is, with its size.
    let gif = doc
        .select(&select("img[src$='dot.gif']"))
        .next()
        .expect("the GIF");
    assert_eq!(
        (gif.value().attr("width"), gif.value().attr("height")),
        (Some("7"), Some("5"))
    );
    assert_eq!(
        pillow_format(&public.join("articles/bundle-post/dot.gif")),
        "GIF"
    );
    // The member's page shows the avatar at 152 CSS px: 152 and 304 files.
    let member = read(&public, "members/ada/index.html");
    assert!(
        member.contains("img/ada.152x152.webp 152w, ../../img/ada.304x304.webp 304w"),
        "{member}"
    );
}

#[test]
fn originals_are_published_only_when_the_site_asks() {
    let (_tmp, site) = site_with_photos();
    let source = std::fs::read(site.join("content/articles/bundle-post/phone.jpg")).unwrap();
    let public = build_ok(&site);
    let published = std::fs::read(public.join("articles/bundle-post/phone.jpg")).unwrap();
    assert_ne!(published, source);
    assert_no_exif(&published, "the published photo");
    let config = std::fs::read_to_string(site.join("kring.toml")).unwrap();
    write(
        &site,
        "kring.toml",
        format!("{config}\n[images]\nkeep_originals = true\n"),
    );
    let public = build_ok(&site);
    let kept = std::fs::read(public.join("articles/bundle-post/phone.jpg")).unwrap();
    assert_eq!(kept, source, "keep_originals publishes the file as it is");
    // Its sizes are still made, and still stripped.
    let webp = std::fs::read(public.join("articles/bundle-post/phone.w480.webp")).unwrap();
    assert_no_exif(&webp, "a WebP size");
}

#[test]
fn a_file_where_a_size_goes_is_an_error_naming_it() {
    for name in ["cover.w960.jpg", "cover.w480.webp"] {
        let (tmp, site) = site_with_photos();
        let format = image::ImageFormat::from_path(name).unwrap();
        write(
            &site,
            &format!("content/articles/bundle-post/{name}"),
            plain_photo(10, 10, format),
        );
        let (ok, stdout, stderr) = run(&["build", site.to_str().unwrap()], tmp.path());
        assert!(!ok, "{stdout}");
        assert!(
            stderr.contains("content/articles/bundle-post/cover.jpg") && stderr.contains(name),
            "{stderr}"
        );
    }
}

/// The file in `public` of `url`, absolute (the site's) or relative to the page at `page`.
fn output_file(public: &Path, page: &str, url: &str) -> std::path::PathBuf {
    match url.strip_prefix("https://hub.example.org/") {
        Some(rel) => public.join(rel),
        None => file_of(public, page, url),
    }
}

/// The `content` of `<meta property=…>` (or `name=…`) in `html`.
fn meta_content(html: &str, key: &str) -> Option<String> {
    let doc = scraper::Html::parse_document(html);
    let sel =
        scraper::Selector::parse(&format!("meta[property='{key}'], meta[name='{key}']")).unwrap();
    doc.select(&sel)
        .next()
        .and_then(|m| m.value().attr("content"))
        .map(str::to_string)
}

#[test]
fn shared_images_are_the_sized_photo_with_its_size_in_pages_feeds_and_json_ld() {
    let (_tmp, site) = site_with_photos();
    write(
        &site,
        "content/articles/wide.md",
        "+++\ntitle = \"Wide\"\ndate = 2026-03-02\nimage = \"/img/wide.png\"\n+++\n\nA wide one.\n",
    );
    write(
        &site,
        "content/articles/elsewhere.md",
        "+++\ntitle = \"Elsewhere\"\ndate = 2026-03-03\nimage = \"https://photos.example.net/big.jpg\"\n+++\n\nAn image of another site.\n",
    );
    let out = build_ok(&site);
    let feed: serde_json::Value = serde_json::from_str(&read(&out, "feed.json")).unwrap();
    // (page, its title in feeds, the shared file, its type)
    for (page, title, file, mime) in [
        (
            "articles/bundle-post/",
            Some("A bundle"),
            "articles/bundle-post/cover.w1200.jpg",
            "image/jpeg",
        ),
        (
            "articles/wide/",
            Some("Wide"),
            "img/wide.w1200.png",
            "image/png",
        ),
        ("members/ada/", None, "img/ada.w1200.jpg", "image/jpeg"),
    ] {
        let html = read(&out, &format!("{page}index.html"));
        let og = meta_content(&html, "og:image").unwrap_or_else(|| panic!("{page}: no og:image"));
        let path = output_file(&out, page, &og);
        assert!(path.ends_with(file), "{page}: og:image is {og}, not {file}");
        // Its size as Pillow reads the file, and at most 1200 wide.
        let (w, h, _, _) = pillow(&path);
        assert!(w <= 1200, "{page}: {w}");
        assert_eq!(
            meta_content(&html, "og:image:width"),
            Some(w.to_string()),
            "{page}"
        );
        assert_eq!(
            meta_content(&html, "og:image:height"),
            Some(h.to_string()),
            "{page}"
        );
        assert_eq!(
            meta_content(&html, "og:image:type").as_deref(),
            Some(mime),
            "{page}"
        );
        assert_eq!(
            meta_content(&html, "twitter:image").as_deref(),
            Some(og.as_str()),
            "{page}"
        );
        // JSON-LD names the same file.
        let doc = scraper::Html::parse_document(&html);
        let sel = scraper::Selector::parse("script[type='application/ld+json']").unwrap();
        let lds: Vec<serde_json::Value> = doc
            .select(&sel)
            .map(|s| serde_json::from_str(&s.text().collect::<String>()).unwrap())
            .collect();
        let images: Vec<&str> = lds.iter().filter_map(|v| v["image"].as_str()).collect();
        assert!(
            !images.is_empty() && images.iter().all(|i| i.ends_with(file)),
            "{page}: JSON-LD images {images:?}"
        );
        // JSON Feed's `image` too: the sized file, not the original.
        if let Some(title) = title {
            let item = feed["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["title"] == title)
                .unwrap_or_else(|| panic!("no {title} in feed.json"));
            let image = item["image"].as_str().unwrap();
            assert!(image.ends_with(file), "feed.json: {title}: {image}");
            assert!(output_file(&out, "", image).is_file(), "{image}");
        }
    }
    // Another site's image is named as it is, with no size kring cannot know.
    let html = read(&out, "articles/elsewhere/index.html");
    assert_eq!(
        meta_content(&html, "og:image").as_deref(),
        Some("https://photos.example.net/big.jpg")
    );
    assert_eq!(meta_content(&html, "og:image:width"), None);
    // A page without an image has its drawn card, 1200 × 630, as before.
    let about = read(&out, "about/index.html");
    assert_eq!(
        meta_content(&about, "og:image:width").as_deref(),
        Some("1200")
    );
    assert_eq!(
        meta_content(&about, "og:image:height").as_deref(),
        Some("630")
    );
}
