//! Files a build publishes as they came (issue #21): images checked whole before they are
//! published, the image cache checked at every read, SVG files cleaned of script, the
//! `_redirects` lines, and symbolic links in `static/` and page bundles.

use crate::common;

use common::*;

/// A `w` × `h` photo of noise in `format`: big enough that 2 KB of it is a fraction.
fn noise(w: u32, h: u32, format: image::ImageFormat) -> Vec<u8> {
    let mut seed = 0x2545_f491_u32;
    let img = image::RgbImage::from_fn(w, h, |_, _| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        image::Rgb([seed as u8, (seed >> 8) as u8, (seed >> 16) as u8])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// `kring build SITE`: (exit code, stderr).
fn build(site: &std::path::Path, home: &std::path::Path) -> (Option<i32>, String) {
    let out = kring()
        .args(["build", site.to_str().unwrap()])
        .env("HOME", home)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cut_off_and_false_images_are_errors_naming_the_file_and_the_page() {
    let jpeg = noise(300, 200, image::ImageFormat::Jpeg);
    let png = noise(300, 200, image::ImageFormat::Png);
    let webp = noise(64, 64, image::ImageFormat::WebP);
    assert!(
        jpeg.len() > 8192 && png.len() > 8192,
        "the photos are too small to cut"
    );
    let cases: [(&str, Vec<u8>); 7] = [
        ("cut.jpg", jpeg[..2048].to_vec()),
        ("cut-late.jpeg", jpeg[..jpeg.len() - 40].to_vec()),
        ("cut.png", png[..2048].to_vec()),
        ("cut-late.PNG", png[..png.len() - 13].to_vec()),
        ("cut.webp", webp[..webp.len() / 2].to_vec()),
        ("text.jpg", b"<html>Not Found</html>\r\n\0".to_vec()),
        ("zero.png", Vec::new()),
    ];
    for (name, bytes) in &cases {
        let tmp = tempfile::tempdir().unwrap();
        // Shown on a page: the error names the page and its line, and the file.
        let (_keep, site) = fixture("hub");
        write(
            &site,
            &format!("content/articles/bundle-post/{name}"),
            bytes,
        );
        let page = "content/articles/bundle-post/index.md";
        let text = read(&site, page);
        write(
            &site,
            page,
            format!("{text}\nSome words.\n\n![Café ☕]({name})\n"),
        );
        let line = text.lines().count() + 4;
        let (code, stderr) = build(&site, tmp.path());
        assert_eq!(code, Some(1), "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("{page}:{line}"))
                && stderr.contains(name)
                && stderr.contains("cannot be published")
                && !stderr.contains("panicked"),
            "{name} on a page: {stderr}"
        );
        assert!(!site.join("public").exists(), "{name}: published");
        // In static/, shown by no page: the error names the file.
        let (_keep, site) = fixture("hub");
        write(&site, &format!("static/photos/{name}"), bytes);
        let (code, stderr) = build(&site, tmp.path());
        assert_eq!(code, Some(1), "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("static/photos/{name}"))
                && stderr.contains("cannot be published"),
            "{name} in static/: {stderr}"
        );
    }
    // Whole files still build, with bytes after the end of the image (a phone's "motion
    // photo" appends a video to the JPEG) and a PNG with bytes after its last chunk.
    let (_keep, site) = fixture("hub");
    let mut motion = jpeg.clone();
    motion.extend(b"\0\0\0\x18ftypmp42".iter().cycle().take(5000));
    write(&site, "static/motion.jpg", &motion);
    let mut padded = png.clone();
    padded.extend([0u8; 100]);
    write(&site, "static/padded.png", &padded);
    write(&site, "static/whole.webp", &webp);
    let public = build_ok(&site);
    for rel in ["motion.jpg", "padded.png", "whole.webp"] {
        image::load_from_memory(&std::fs::read(public.join(rel)).unwrap())
            .unwrap_or_else(|e| panic!("{rel}: {e}"));
    }
}

#[test]
fn damaged_cache_entries_are_made_again_with_a_warning() {
    let (tmp, site) = fixture("hub");
    write(
        &site,
        "content/articles/bundle-post/photo.jpg",
        noise(120, 80, image::ImageFormat::Jpeg),
    );
    write(
        &site,
        "static/photo.png",
        noise(90, 60, image::ImageFormat::Png),
    );
    let (code, stderr) = build(&site, tmp.path());
    assert_eq!(code, Some(0), "{stderr}");
    let cache = site.join(".kring-cache/images");
    let images = |dir: &std::path::Path| {
        let mut all = tree(dir);
        all.retain(|rel, _| [".jpg", ".png", ".webp"].iter().any(|e| rel.ends_with(e)));
        all
    };
    let first = images(&site.join("public"));
    let entries: Vec<_> = tree(&cache).into_keys().collect();
    // The photos as published and the social cards.
    assert!(entries.iter().any(|e| e.ends_with(".png")), "{entries:?}");
    assert!(entries.len() >= 4, "{entries:?}");
    type Damage = fn(&mut Vec<u8>);
    let damages: [(&str, Damage); 5] = [
        ("cut in half", |b| b.truncate(b.len() / 2)),
        ("emptied", |b| b.clear()),
        ("overwritten with text", |b| {
            *b = b"version https://git-lfs.github.com/spec/v1\r\n".to_vec()
        }),
        ("one byte changed", |b| {
            let mid = b.len() / 2;
            b[mid] ^= 0x20;
        }),
        ("its last byte gone", |b| {
            b.pop();
        }),
    ];
    for (how, damage) in damages {
        for name in &entries {
            let path = cache.join(name);
            let mut bytes = std::fs::read(&path).unwrap();
            damage(&mut bytes);
            std::fs::write(&path, bytes).unwrap();
        }
        let (code, stderr) = build(&site, tmp.path());
        assert_eq!(code, Some(0), "{how}: {stderr}");
        let damaged = stderr.matches("was damaged").count();
        assert_eq!(damaged, entries.len(), "{how}: {stderr}");
        assert!(
            stderr.contains("photo.jpg") && stderr.contains("social card"),
            "{how}: {stderr}"
        );
        // What is published is what a clean build published, and every image decodes.
        let again = images(&site.join("public"));
        assert!(
            again == first,
            "{how}: the images differ from a clean build's"
        );
        for (rel, bytes) in &again {
            image::load_from_memory(bytes).unwrap_or_else(|e| panic!("{how}: {rel}: {e}"));
        }
        // Repaired: the next build is quiet.
        let (_, stderr) = build(&site, tmp.path());
        assert!(!stderr.contains("damaged"), "{how}: {stderr}");
    }
}

/// Cached images and cards are hard links to their cache entries: a published copy edited in
/// place (which edits the entry too) is never published again. The next build finds the
/// entry changed, says so, makes it again and publishes what a clean build did.
#[test]
fn published_images_are_links_to_the_cache_and_editing_one_harms_nothing() {
    use std::os::unix::fs::MetadataExt;
    let (tmp, site) = fixture("hub");
    write(
        &site,
        "static/photo.png",
        noise(90, 60, image::ImageFormat::Png),
    );
    let (code, stderr) = build(&site, tmp.path());
    assert_eq!(code, Some(0), "{stderr}");
    let public = site.join("public");
    let cache: Vec<_> = std::fs::read_dir(site.join(".kring-cache/images"))
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().ino())
        .collect();
    let images = |dir: &std::path::Path| {
        let mut all = tree(dir);
        all.retain(|rel, _| rel.ends_with(".png"));
        all
    };
    for rel in ["photo.png", "social-card.png"] {
        let ino = std::fs::metadata(public.join(rel)).unwrap().ino();
        assert!(cache.contains(&ino), "{rel} is not a link to its entry");
    }
    let clean = images(&public);
    for rel in ["photo.png", "social-card.png"] {
        let mut bytes = std::fs::read(public.join(rel)).unwrap();
        let mid = bytes.len() / 2;
        bytes[mid] ^= 0x20;
        // In place, as an optimizer that rewrites a file does.
        std::fs::write(public.join(rel), bytes).unwrap();
    }
    let (code, stderr) = build(&site, tmp.path());
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stderr.matches("was damaged").count(), 2, "{stderr}");
    assert!(
        images(&public) == clean,
        "what is published differs from a clean build's"
    );
}

/// The page at `content/articles/moved.md` with `aliases`, its key on line 4.
fn moved(aliases: &str) -> String {
    format!("+++\ntitle = \"Moved\"\ndate = 2026-01-10\naliases = {aliases}\n+++\n\nBody.\n")
}

#[test]
fn redirects_lines_keep_each_path_in_its_field() {
    let (_tmp, site) = fixture("hub");
    // (alias as written, the address it is once decoded)
    let aliases = [
        ("/a /b 200", "/a /b 200/"),
        ("/x%20y", "/x y/"),
        ("/café/ünïcode", "/café/ünïcode/"),
        ("/caf%C3%A9s", "/cafés/"),
        ("/p/100%25", "/p/100%/"),
        ("/old/post.html", "/old/post.html"),
        ("/p/{curly}`tick`", "/p/{curly}`tick`/"),
        ("/日本語 ページ", "/日本語 ページ/"),
    ];
    let list: Vec<String> = aliases.iter().map(|(a, _)| format!("\"{a}\"")).collect();
    write(
        &site,
        "content/articles/moved.md",
        moved(&format!("[{}]", list.join(", "))),
    );
    let public = build_ok(&site);
    let redirects = read(&public, "_redirects");
    let lines: Vec<&str> = redirects.lines().collect();
    assert_eq!(lines.len(), aliases.len(), "{redirects}");
    for (line, (alias, decoded)) in lines.iter().zip(aliases) {
        // As Netlify reads it: fields split at white space, nothing a comment.
        let fields: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(fields.len(), 3, "{alias}: {line:?}");
        assert!(line.is_ascii() && !line.contains('#'), "{alias}: {line:?}");
        assert_eq!(
            fields[1..],
            ["/articles/moved/", "301"],
            "{alias}: {line:?}"
        );
        let from = percent_encoding::percent_decode_str(fields[0])
            .decode_utf8()
            .unwrap();
        assert_eq!(from, decoded, "{alias}: {line:?}");
        // The alias page is where a server looks for the decoded address.
        let file = if decoded.ends_with('/') {
            format!("{}index.html", &decoded[1..])
        } else {
            decoded[1..].to_string()
        };
        assert!(
            read(&public, &file).contains("/articles/moved/"),
            "{alias}: {file}"
        );
    }
}

#[test]
fn aliases_that_would_break_a_line_are_errors_at_their_line() {
    for bad in [
        "/tab\\there",
        "/new\\nline 200",
        "/carriage\\rreturn",
        "/nul\\u0000",
        "/p/%0A/victim 200",
        "/p/%0d%0a",
        "/p/%09tab",
        "/p/#comment",
        "/p/%23comment",
        "/p/%FF%FE",
        "/<!--<script>",
    ] {
        let (tmp, site) = fixture("hub");
        write(
            &site,
            "content/articles/moved.md",
            moved(&format!("[\"{bad}\"]")),
        );
        let (ok, _, stderr) = run(&["build", site.to_str().unwrap()], tmp.path());
        assert!(!ok, "{bad} was accepted");
        assert!(
            stderr.contains("content/articles/moved.md:4") && stderr.contains("alias"),
            "{bad}: {stderr}"
        );
    }
}

#[test]
fn symlinks_inside_the_site_are_followed_and_others_named() {
    use std::os::unix::fs::symlink;
    let (tmp, site) = fixture("hub");
    let outside = tmp.path().join("outside");
    write(&outside, "secret.txt", "SECRET from outside the site");
    write(&outside, "folder/key.txt", "SECRET key");
    write(&site, "shared/notes.txt", "notes inside the site");
    write(&site, "shared/deep/more.txt", "more notes");
    let st = site.join("static");
    let links: [(&str, std::path::PathBuf); 10] = [
        ("notes.txt", "../shared/notes.txt".into()),
        ("café ☕.txt", site.join("shared/notes.txt")),
        ("shared", "../shared".into()),
        ("logo-link.svg", "logo.svg".into()),
        ("secret.txt", outside.join("secret.txt")),
        ("escape", outside.join("folder")),
        ("dots.txt", "../../outside/secret.txt".into()),
        ("gone.txt", "nothing-here.txt".into()),
        ("loop", ".".into()),
        ("chain.txt", "secret.txt".into()),
    ];
    for (name, target) in &links {
        symlink(target, st.join(name)).unwrap();
    }
    // A page bundle's files too.
    symlink(
        "../../../shared/notes.txt",
        site.join("content/articles/bundle-post/linked.txt"),
    )
    .unwrap();
    symlink(
        outside.join("secret.txt"),
        site.join("content/articles/bundle-post/stolen.txt"),
    )
    .unwrap();
    // A bundle folder kept elsewhere in the site, one outside it, and a loop.
    write(
        &site,
        "drafts/linked-bundle/index.md",
        "+++\ntitle = \"Linked bundle\"\ndate = 2026-01-05\n+++\n\nFrom a linked folder.\n",
    );
    write(&site, "drafts/linked-bundle/file.txt", "bundle file");
    symlink(
        "../../drafts/linked-bundle",
        site.join("content/articles/linked-bundle"),
    )
    .unwrap();
    write(
        &outside,
        "bundle/index.md",
        "+++\ntitle = \"SECRET bundle\"\n+++\n\nSECRET\n",
    );
    symlink(outside.join("bundle"), site.join("content/articles/outer")).unwrap();
    symlink("..", site.join("content/articles/loop")).unwrap();
    let (code, stderr) = build(&site, tmp.path());
    assert_eq!(code, Some(0), "{stderr}");
    let public = site.join("public");
    assert!(read(&public, "articles/linked-bundle/index.html").contains("From a linked folder."));
    for (file, text) in [
        ("articles/linked-bundle/file.txt", "bundle file"),
        ("notes.txt", "notes inside the site"),
        ("café ☕.txt", "notes inside the site"),
        ("shared/notes.txt", "notes inside the site"),
        ("shared/deep/more.txt", "more notes"),
        ("articles/bundle-post/linked.txt", "notes inside the site"),
    ] {
        assert_eq!(read(&public, file), text, "{file}");
    }
    assert!(public.join("logo-link.svg").is_file());
    for skipped in [
        "static/secret.txt",
        "static/escape",
        "static/dots.txt",
        "static/gone.txt",
        "static/loop",
        "static/chain.txt",
        "content/articles/bundle-post/stolen.txt",
        "content/articles/outer",
        "content/articles/loop",
    ] {
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with("warning: ") && l.contains(skipped)),
            "{skipped}: {stderr}"
        );
    }
    for (rel, bytes) in tree(&public) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("SECRET"),
            "{rel} came from outside the site"
        );
    }
}

/// Hostile SVG files: (name, file). Each tries to run script (it would set `window.ran`,
/// the title, or ask for `/ran-…`) or to load from another host.
pub fn hostile_svgs() -> Vec<(&'static str, String)> {
    let svg = |body: &str| {
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"200\" height=\"200\">{body}<rect id=\"r\" width=\"200\" height=\"200\" fill=\"#0b6e4f\"/></svg>"
        )
    };
    let ran = "window.ran='NAME';document.title='RAN';fetch('/ran-NAME')";
    let mut all = vec![
        ("script.svg", svg(&format!("<script>{ran}</script>"))),
        (
            "script-type.svg",
            svg(&format!(
                "<script type=\"text/ecmascript\" href=\"data:,{ran}\">{ran}</script>"
            )),
        ),
        (
            "prefixed.svg",
            format!(
                "<s:svg xmlns:s=\"http://www.w3.org/2000/svg\" width=\"9\" height=\"9\"><s:script>{ran}</s:script><s:rect width=\"9\" height=\"9\"/></s:svg>"
            ),
        ),
        (
            "xhtml-script.svg",
            svg(&format!(
                "<h:script xmlns:h=\"http://www.w3.org/1999/xhtml\">{ran}</h:script><h:img xmlns:h=\"http://www.w3.org/1999/xhtml\" src=\"x\" onerror=\"{ran}\"/>"
            )),
        ),
        (
            "case.svg",
            svg(&format!("<SCRIPT>{ran}</SCRIPT><Script>{ran}</Script>")),
        ),
        (
            "onload.svg",
            format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"{ran}\" ONLOAD=\"{ran}\" width=\"50\" height=\"50\"><rect width=\"50\" height=\"50\" onmouseover=\"{ran}\" onclick=\"{ran}\"/><image href=\"missing.png\" onerror=\"{ran}\" width=\"5\" height=\"5\"/><circle r=\"9\" onfocusin=\"{ran}\" tabindex=\"0\"/></svg>"
            ),
        ),
        (
            "set-href.svg",
            svg(&format!(
                "<a><set attributeName=\"href\" to=\"javascript:{ran}\" begin=\"0s\"/><rect width=\"200\" height=\"200\"/></a><a xlink:href=\"#r\"><set attributeName=\"xlink:href\" to=\"javascript:{ran}\"/><circle r=\"50\" cx=\"100\" cy=\"100\"/></a>"
            )),
        ),
        (
            "animate-href.svg",
            svg(&format!(
                "<a href=\"#r\"><animate attributeName=\"href\" values=\"javascript:{ran}\" dur=\"0.1s\" fill=\"freeze\"/><rect width=\"200\" height=\"200\"/></a><set attributeName=\"onclick\" to=\"{ran}\"/>"
            )),
        ),
        (
            "cdata.svg",
            svg(&format!(
                "<script><![CDATA[{ran}]]></script><style><![CDATA[@import url(http://evil.invalid/a.css); rect {{ fill: url('https://evil.invalid/p.svg#p') }}]]></style>"
            )),
        ),
        (
            "entities.svg",
            svg(
                "<a href=\"&#106;ava&#x73;cript:window.ran=1\"><rect width=\"200\" height=\"200\"/></a><a xlink:href=\"  java\tscript:window.ran=2\"><circle r=\"40\"/></a><a href=\"JAVASCRIPT:window.ran=3\"><rect x=\"100\" width=\"20\" height=\"20\"/></a>",
            ),
        ),
        (
            "comment.svg",
            format!(
                "<!--<script>{ran}</script>--><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"9\" height=\"9\"><!--</svg><script>{ran}</script>--><title>&lt;/title&gt;&lt;script&gt;{ran}&lt;/script&gt;</title><rect width=\"9\" height=\"9\"/></svg>"
            ),
        ),
        (
            "foreign.svg",
            svg(&format!(
                "<foreignObject width=\"200\" height=\"200\"><body xmlns=\"http://www.w3.org/1999/xhtml\"><img src=\"http://evil.invalid/fo.png\" onerror=\"{ran}\"/><iframe src=\"javascript:parent.ran=1\"></iframe></body></foreignObject>"
            )),
        ),
        (
            "external.svg",
            format!(
                "<?xml-stylesheet type=\"text/xsl\" href=\"http://evil.invalid/x.xsl\"?><?xml-stylesheet href=\"//evil.invalid/s.css\"?>{}",
                svg(
                    "<image href=\"http://evil.invalid/i.png\" width=\"9\" height=\"9\"/><image xlink:href=\"https:\\\\evil.invalid/j.png\" width=\"9\" height=\"9\"/><use href=\"http://evil.invalid/s.svg#a\"/><use xlink:href=\"other.svg#a\"/><rect width=\"9\" height=\"9\" fill=\"url(http://evil.invalid/f#a)\" style=\"stroke:url(//evil.invalid/b#b)\" cursor=\"url(http://evil.invalid/c.png), auto\"/><rect width=\"9\" height=\"9\" style=\"fill:u\\72l(http://evil.invalid/esc#e)\"/><filter id=\"f\"><feImage href=\"http://evil.invalid/fe.png\"/></filter><linearGradient id=\"g\" href=\"http://evil.invalid/g.svg#g\"/><text><textPath href=\"http://evil.invalid/t.svg#p\">x</textPath></text>"
                )
            ),
        ),
        (
            "data.svg",
            svg(&format!(
                "<a href=\"data:text/html,&lt;script&gt;{ran}&lt;/script&gt;\"><rect width=\"200\" height=\"200\"/></a><image href=\"data:image/svg+xml,&lt;svg xmlns='http://www.w3.org/2000/svg' onload='{ran}'/&gt;\" width=\"9\" height=\"9\"/><use href=\"data:image/svg+xml,&lt;svg id='x' xmlns='http://www.w3.org/2000/svg'&gt;&lt;script&gt;{ran}&lt;/script&gt;&lt;/svg&gt;#x\"/>"
            )),
        ),
        (
            "huge.svg",
            svg(
                &"<rect x=\"1\" y=\"1\" width=\"2\" height=\"2\" fill=\"#123456\"/>".repeat(60_000),
            ),
        ),
        (
            "nested.svg",
            svg(&format!(
                "{}<script>{ran}</script>{}",
                "<g>".repeat(200),
                "</g>".repeat(200)
            )),
        ),
        ("avatar.svg", svg(&format!("<script>{ran}</script>"))),
    ];
    for (name, text) in &mut all {
        *text = text.replace("NAME", name.trim_end_matches(".svg"));
    }
    all
}

/// The hub site with each of [`hostile_svgs`] in `static/svg/` (the avatar as a member's),
/// and one in a page bundle; the published paths.
pub fn site_with_hostile_svgs(site: &std::path::Path) -> Vec<String> {
    let mut published = Vec::new();
    for (name, text) in hostile_svgs() {
        if name == "avatar.svg" {
            write(site, "content/members/mallory/avatar.svg", &text);
            write(
                site,
                "content/members/mallory/index.md",
                "+++\nname = \"Mallory\"\navatar = \"avatar.svg\"\n+++\n\nHi.\n",
            );
            published.push("members/mallory/avatar.svg".to_string());
        } else {
            write(site, &format!("static/svg/{name}"), &text);
            published.push(format!("svg/{name}"));
        }
    }
    let script = &hostile_svgs()[0].1;
    write(site, "content/articles/bundle-post/pic.svg", script);
    published.push("articles/bundle-post/pic.svg".to_string());
    published
}

#[test]
fn published_svgs_keep_their_drawing_and_lose_script_and_other_hosts() {
    let (tmp, site) = fixture("hub");
    let published = site_with_hostile_svgs(&site);
    let (code, stderr) = build(&site, tmp.path());
    assert_eq!(code, Some(0), "{stderr}");
    let public = site.join("public");
    for rel in &published {
        let text = read(&public, rel);
        // Read by html5ever (as an HTML page's inline SVG), independent of kring's parser.
        let doc = scraper::Html::parse_fragment(&text);
        let mut shapes = 0;
        for node in doc.tree.nodes() {
            let Some(el) = node.value().as_element() else {
                continue;
            };
            let name = el.name().to_ascii_lowercase();
            assert!(
                !["script", "foreignobject", "feimage", "iframe", "img"].contains(&name.as_str()),
                "{rel}: <{name}> in {text:.300}"
            );
            shapes += usize::from(["rect", "circle"].contains(&name.as_str()));
            for (attr, value) in el.attrs() {
                let attr = attr.to_ascii_lowercase();
                let value = value.to_ascii_lowercase();
                assert!(!attr.starts_with("on"), "{rel}: {attr}");
                assert!(
                    !value.contains("evil.invalid")
                        && !value.contains("javascript")
                        && !value.contains("data:text")
                        && !value.contains("data:image/svg"),
                    "{rel}: {attr}={value}"
                );
                // Inside the file, or (a picture) a file of the site's own.
                if attr.ends_with("href") {
                    let own = !value.contains(':')
                        && !value.starts_with("//")
                        && !value.starts_with('\\');
                    assert!(value.starts_with('#') || own, "{rel}: {attr}={value}");
                }
            }
        }
        assert!(shapes > 0, "{rel}: the drawing is gone: {text:.300}");
        assert!(!text.contains("<script"), "{rel}: {text:.300}");
        // Each file with something taken out is named in a warning.
        // (The huge one has nothing to take out, the comments' script could never run.)
        if !rel.ends_with("huge.svg") && !rel.ends_with("comment.svg") {
            let source = if rel.starts_with("svg/") {
                format!("static/{rel}")
            } else {
                format!("content/{rel}")
            };
            assert!(
                stderr
                    .lines()
                    .any(|l| l.starts_with("warning: ") && l.contains(&source)),
                "{source}: {stderr}"
            );
        }
    }
    // A clean drawing is published as it draws, without a warning.
    let clean = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 9 9\"><defs><linearGradient id=\"g\"><stop offset=\"1\" stop-color=\"#fff\"/></linearGradient></defs><rect width=\"9\" height=\"9\" fill=\"url(#g)\"/><text>Café &amp; ☕</text></svg>";
    write(&site, "static/clean.svg", clean);
    let (_, stderr) = build(&site, tmp.path());
    assert!(!stderr.contains("clean.svg"), "{stderr}");
    let text = read(&public, "clean.svg");
    assert!(
        text.contains("fill=\"url(#g)\"") && text.contains("Café &amp; ☕"),
        "{text}"
    );
    // `kring check --privacy` names the hosts the SVG files refer to.
    let (ok, _, stderr) = run(&["check", "--privacy", site.to_str().unwrap()], tmp.path());
    assert!(!ok, "check --privacy found nothing");
    assert!(
        stderr.contains("static/svg/external.svg") && stderr.contains("evil.invalid"),
        "{stderr}"
    );
}

#[test]
fn svgs_that_cannot_be_cleaned_are_errors_naming_the_file() {
    let deep = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\">{}{}</svg>",
        "<g>".repeat(50_000),
        "</g>".repeat(50_000)
    );
    let laughs = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY a \"ha\">{}]><svg xmlns=\"http://www.w3.org/2000/svg\">&a9;</svg>",
        (1..10)
            .map(|i| format!(
                "<!ENTITY a{i} \"{}\">",
                format!(
                    "&a{};",
                    if i == 1 {
                        String::new()
                    } else {
                        (i - 1).to_string()
                    }
                )
                .repeat(10)
            ))
            .collect::<String>()
    );
    let cases: [(&str, Vec<u8>); 6] = [
        ("deep.svg", deep.into_bytes()),
        ("laughs.svg", laughs.into_bytes()),
        (
            "html.svg",
            b"<html><body><script>alert(1)</script></body></html>".to_vec(),
        ),
        (
            "broken.svg",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><rect></svg>".to_vec(),
        ),
        (
            "latin1.svg",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><text>caf\xe9</text></svg>".to_vec(),
        ),
        ("empty.svg", Vec::new()),
    ];
    for (name, bytes) in cases {
        let (tmp, site) = fixture("hub");
        write(&site, &format!("static/{name}"), &bytes);
        let (code, stderr) = build(&site, tmp.path());
        assert_eq!(code, Some(1), "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("static/{name}"))
                && stderr.contains("cannot be published")
                && !stderr.contains("panicked"),
            "{name}: {stderr}"
        );
        // Shown on a page, from its bundle: its size is read first, and that must not
        // take the build down either.
        let (_keep, site) = fixture("hub");
        write(
            &site,
            &format!("content/articles/bundle-post/{name}"),
            &bytes,
        );
        let page = "content/articles/bundle-post/index.md";
        let text = read(&site, page);
        write(&site, page, format!("{text}\n![A drawing]({name})\n"));
        let (code, stderr) = build(&site, tmp.path());
        assert_eq!(code, Some(1), "{name} on a page: {stderr}");
        assert!(
            stderr.contains(name) && !stderr.contains("panicked") && !stderr.contains("overflow"),
            "{name} on a page: {stderr}"
        );
    }
}
