//! What an import says about each post besides its body (#22): links to posts that are
//! not published, dates (epoch milliseconds, TOML date-times read by a second parser),
//! authors' avatars, the e-mailed flag, titles with markup, percent-encoded slugs and the
//! report's names for things. On real exports where they have the case: WordPress's Theme
//! Unit Test data and Ghost's own v2 and v4 export fixtures (tests/fixtures/real/).

use crate::common;

use std::path::{Path, PathBuf};

use common::import::*;
use common::*;
use scraper::{Html, Selector};
use serde_json::{Value, json};

fn real(rel: &str) -> PathBuf {
    repo().join("tests/fixtures/real").join(rel)
}

/// Every content file's front matter as Python's `tomllib` reads it: site-relative path →
/// `{"date_type", "date", "title", "name", "aliases", "newsletter", "authors"}`.
fn python_fronts(site: &Path) -> serde_json::Map<String, Value> {
    const SCRIPT: &str = r#"
import json, pathlib, re, sys, tomllib
root = pathlib.Path(sys.argv[1])
out = {}
for path in sorted(root.rglob("content/**/*.md")):
    text = path.read_text(encoding="utf-8")
    found = re.match(r"\+\+\+\n(.*?)^\+\+\+$", text, re.S | re.M)
    front = tomllib.loads(found.group(1) if found else "")
    date = front.get("date")
    out[path.relative_to(root).as_posix()] = {
        "date_type": None if date is None else type(date).__name__,
        "date": None if date is None else date.isoformat(),
        "title": front.get("title"),
        "name": front.get("name"),
        "aliases": front.get("aliases", []),
        "newsletter": front.get("newsletter", False),
        "authors": front.get("authors", []),
    }
print(json.dumps(out))
"#;
    let out = std::process::Command::new("python3")
        .args(["-c", SCRIPT, site.to_str().unwrap()])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "tomllib could not read the front matter:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    match serde_json::from_slice(&out.stdout).unwrap() {
        Value::Object(map) => map,
        other => panic!("{other}"),
    }
}

/// Every imported file's `date` is a TOML date-time for tomllib (never a table); returns
/// how many have one.
fn dates_are_datetimes(site: &Path) -> usize {
    let fronts = python_fronts(site);
    let mut dated = 0;
    for (path, front) in &fronts {
        if let Some(kind) = front["date_type"].as_str() {
            assert_eq!(kind, "datetime", "{path}: {front}");
            dated += 1;
        }
        let text = read(site, path);
        assert!(
            !text.contains("$__toml_private_datetime"),
            "{path}:\n{text}"
        );
    }
    dated
}

fn import_args<'a>(platform: &'a str, export: &'a Path, site: &'a Path) -> Vec<&'a str> {
    vec![platform, export.to_str().unwrap(), site.to_str().unwrap()]
}

/// A Ghost export (`db[0].data`) of `data`, written to `dir/name`.
fn ghost_export(dir: &Path, name: &str, data: Value) -> PathBuf {
    let path = dir.join(name);
    let json = json!({"db": [{"meta": {"exported_on": 1735689600000_i64, "version": "5.101.0"}, "data": data}]});
    std::fs::write(&path, serde_json::to_vec_pretty(&json).unwrap()).unwrap();
    path
}

/// A WordPress export of `items`: (post id, post_name, title, excerpt, body).
fn wxr(dir: &Path, items: &[(&str, &str, &str, &str, &str)]) -> PathBuf {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<rss version=\"2.0\" \
         xmlns:excerpt=\"http://wordpress.org/export/1.2/excerpt/\" \
         xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:wp=\"http://wordpress.org/export/1.2/\">\
         <channel><title>Old</title><link>https://old.example.org</link><wp:wxr_version>1.2</wp:wxr_version>\
         <wp:author><wp:author_login><![CDATA[admin]]></wp:author_login>\
         <wp:author_display_name><![CDATA[Ad <b>Min</b> &amp; co\r\0]]></wp:author_display_name></wp:author>\n",
    );
    for (id, name, title, excerpt, body) in items {
        xml.push_str(&format!(
            "<item><title><![CDATA[{title}]]></title><link>https://old.example.org/{name}/</link>\
             <dc:creator><![CDATA[admin]]></dc:creator>\
             <content:encoded><![CDATA[{body}]]></content:encoded>\
             <excerpt:encoded><![CDATA[{excerpt}]]></excerpt:encoded>\
             <wp:post_id>{id}</wp:post_id><wp:post_date_gmt><![CDATA[2024-05-01 10:00:00]]></wp:post_date_gmt>\
             <wp:post_name><![CDATA[{name}]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status>\
             <wp:post_type><![CDATA[post]]></wp:post_type></item>\n"
        ));
    }
    xml.push_str("</channel></rss>");
    let path = dir.join("wordpress.xml");
    std::fs::write(&path, xml).unwrap();
    path
}

/// `kring build` succeeds on `site`.
fn builds(site: &Path, tmp: &Path) {
    let (code, stderr) = build_status(site, tmp, &[]);
    assert_eq!(code, Some(0), "{stderr}");
}

/// The text of the first element `selector` selects in a built page.
fn text_of(page: &str, selector: &str) -> (String, usize) {
    let doc = Html::parse_document(page);
    let el = doc
        .select(&Selector::parse(selector).unwrap())
        .next()
        .unwrap_or_else(|| panic!("no {selector}"));
    let children = el.children().filter(|c| c.value().is_element()).count();
    (el.text().collect::<String>(), children)
}

#[test]
fn links_to_unpublished_ghost_posts_keep_their_old_address() {
    // Ghost's own v4 fixture: public posts link to `sell`, which is for paying members.
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("hub");
    let export = real("ghost/v4_export.json");
    let mut args = import_args("ghost", &export, &site);
    args.extend(["--site-url", "https://demo.ghost.io/"]);
    let report = import_ok(&args, tmp.path());
    for file in ["welcome", "portal"] {
        assert!(
            report.contains(&format!(
                "content/articles/{file}.md: links to /sell not published on the new site"
            )),
            "{report}"
        );
    }
    let (front, body) = content(&site, "content/articles/welcome.md");
    assert!(front.get("draft").is_none());
    assert!(body.contains("(https://demo.ghost.io/sell/)"), "{body}");
    assert!(!body.contains("@/articles/sell"), "{body}");
    builds(&site, tmp.path());
    let (_, stdout, stderr) = run(&["check", site.to_str().unwrap()], tmp.path());
    assert!(
        !stdout.contains("sell") && !stderr.contains("sell"),
        "{stdout}\n{stderr}"
    );

    // Without an old site's address (no `__GHOST_URL__`, no --site-url), such a link is
    // plain text; drafts, held-back, scheduled and e-mail-only posts alike.
    let tmp = tempfile::tempdir().unwrap();
    let post = |id: i64, slug: &str, status: &str, visibility: &str, html: &str| {
        json!({"id": id, "title": format!("Post {slug}"), "slug": slug, "status": status,
               "visibility": visibility, "type": "post", "html": html,
               "published_at": "2024-01-01T10:00:00.000Z"})
    };
    let links = "<p>See <a href=\"/draft-one/\">the draft</a>, <a href=\"/paid-one/#part\">the paid one</a>, \
                 <a href=\"/scheduled-one\">later</a>, <a href=\"/inbox-one/?ref=x\">the mail</a>, \
                 <a href=\"/caf%C3%A9/\">the café</a> and <a href=\"/public-two/\">the public one</a>.</p>";
    let data = json!({
        "posts": [
            post(1, "public-one", "published", "public", links),
            post(2, "draft-one", "draft", "public", "<p>Draft</p>"),
            post(3, "paid-one", "published", "paid", "<p>Paid</p>"),
            post(4, "scheduled-one", "scheduled", "public", "<p>Later</p>"),
            post(5, "inbox-one", "sent", "public", "<p>Mail</p>"),
            post(6, "caf%c3%a9", "draft", "public", "<p>Café</p>"),
            post(7, "public-two", "published", "public", "<p>Two</p>"),
            // A draft with the public post's old address does not take its links.
            post(8, "public-two", "draft", "public", "<p>Two again</p>"),
        ],
        "users": [], "posts_authors": []
    });
    let export = ghost_export(tmp.path(), "ghost.json", data);
    let site = tmp.path().join("hub");
    let report = import_ok(&import_args("ghost", &export, &site), tmp.path());
    let note = report
        .lines()
        .find(|l| l.contains("content/articles/public-one.md: links to"))
        .unwrap_or_else(|| panic!("{report}"));
    for path in [
        "/café",
        "/draft-one",
        "/inbox-one",
        "/paid-one",
        "/scheduled-one",
    ] {
        assert!(note.contains(path), "{note}");
    }
    assert!(
        !note.contains("/public-two") && note.contains("plain text"),
        "{note}"
    );
    let (_, body) = content(&site, "content/articles/public-one.md");
    for text in ["the draft", "the paid one", "later", "the mail", "the café"] {
        assert!(body.contains(&format!(" {text}")), "{body}");
        assert!(!body.contains(&format!("[{text}]")), "{body}");
    }
    assert!(
        body.contains("[the public one](@/articles/public-two.md)"),
        "{body}"
    );
    builds(&site, tmp.path());
    check_ok(&site, tmp.path());
}

#[test]
fn ghost_dates_in_milliseconds_are_read_and_a_post_without_one_is_reported() {
    // The shape of Ghost's import-data-lts.json (0.x): `data.data`, integer ids, one
    // `author_id`, `image` for covers and avatars, users without ids.
    let tmp = tempfile::tempdir().unwrap();
    let post = |id: i64, slug: &str, dates: Value| {
        let mut row = json!({"id": id, "uuid": "x", "title": format!("Post {id}"), "slug": slug,
            "html": "<p>Body</p>", "image": "/images/cover.png", "page": 0, "status": "published",
            "author_id": 1, "published_at": null, "created_at": null, "updated_at": null});
        for (k, v) in dates.as_object().unwrap() {
            row[k] = v.clone();
        }
        row
    };
    let posts = vec![
        post(1, "number", json!({"published_at": 1388318310783_i64})),
        post(2, "string", json!({"published_at": "1388318310783"})),
        post(
            3,
            "zero",
            json!({"published_at": 0, "created_at": "0", "updated_at": 0}),
        ),
        post(4, "negative", json!({"published_at": -86400000_i64})),
        post(
            5,
            "huge-then-created",
            json!({"published_at": 999999999999999999_i64, "created_at": 1388318310783_i64}),
        ),
        post(
            6,
            "huge",
            json!({"published_at": "99999999999999999999999", "updated_at": 1e300}),
        ),
        post(7, "float", json!({"published_at": 1388318310783.0})),
        post(
            8,
            "iso",
            json!({"published_at": "2014-01-01T10:00:00.000Z"}),
        ),
        post(9, "created-only", json!({"created_at": " 1388318310783 "})),
        post(10, "text", json!({"published_at": "yesterday\r\0"})),
    ];
    let json = json!({"data": {"meta": {"exported_on": 1388318311015_i64, "version": "000"},
        "data": {"posts": posts, "tags": [],
                 "users": [{"name": "test <b>user</b>", "email": "test@ghost.org", "image": "/images/me.png"}],
                 "posts_tags": []}}});
    let export = tmp.path().join("lts.json");
    std::fs::write(&export, json.to_string()).unwrap();
    let site = tmp.path().join("hub");
    let mut args = import_args("ghost", &export, &site);
    args.extend(["--site-url", "https://old.example.org/"]);
    let report = import_ok(&args, tmp.path());
    assert!(!report.contains("test@ghost.org"));
    let fronts = python_fronts(&site);
    let date = |slug: &str| {
        let front = &fronts[&format!("content/articles/{slug}.md")];
        if front["date"].is_string() {
            assert_eq!(front["date_type"], "datetime", "{slug}: {front}");
        }
        front["date"].as_str().map(str::to_string)
    };
    let utc = |s: &str| Some(format!("{s}+00:00"));
    assert_eq!(date("number"), utc("2013-12-29T11:58:30"));
    assert_eq!(date("string"), utc("2013-12-29T11:58:30"));
    assert_eq!(date("negative"), utc("1969-12-31T00:00:00"));
    assert_eq!(date("huge-then-created"), utc("2013-12-29T11:58:30"));
    assert_eq!(date("float"), utc("2013-12-29T11:58:30"));
    assert_eq!(date("iso"), utc("2014-01-01T10:00:00"));
    assert_eq!(date("created-only"), utc("2013-12-29T11:58:30"));
    for undated in ["zero", "huge", "text"] {
        assert_eq!(date(undated), None);
        assert!(
            report.contains(&format!(
                "content/articles/{undated}.md: the export gives it no date"
            )),
            "{report}"
        );
    }
    assert!(!report.contains("number.md: the export gives it no date"));
    // The one user, without an id, is author 1; their `image` and the posts' are kept.
    let member = &fronts["content/members/test-user.md"];
    assert_eq!(member["name"], "test user");
    assert_eq!(
        fronts["content/articles/number.md"]["authors"],
        json!(["test-user"])
    );
    let (front, _) = content(&site, "content/articles/number.md");
    assert_eq!(
        front["image"].as_str(),
        Some("https://old.example.org/images/cover.png")
    );
    let (member, _) = content(&site, "content/members/test-user.md");
    assert_eq!(
        member["avatar"].as_str(),
        Some("https://old.example.org/images/me.png")
    );
    builds(&site, tmp.path());
}

#[test]
fn ghost_avatars_are_downloaded_into_the_members_bundle_or_reported() {
    let server = ImageServer::start();
    let tmp = tempfile::tempdir().unwrap();
    let user = |id: &str, name: &str, image: &str| {
        json!({"id": id, "name": name, "slug": id, "email": format!("{id}@example.com"),
               "profile_image": image})
    };
    let data = json!({
        "posts": [{"id": "p1", "title": "Three writers", "slug": "three", "status": "published",
                   "visibility": "public", "type": "post", "html": "<p>Hi</p>",
                   "published_at": "2024-01-01T10:00:00.000Z"}],
        "posts_authors": [
            {"post_id": "p1", "author_id": "one", "sort_order": 0},
            {"post_id": "p1", "author_id": "two", "sort_order": 1},
            {"post_id": "p1", "author_id": "three", "sort_order": 2},
        ],
        "users": [
            user("one", "Écrivain Één", "__GHOST_URL__/content/images/one.jpg"),
            user("two", "Writer <i>Two</i>", "__GHOST_URL__/content/images/missing-two.jpg"),
            user("three", "Writer Three", "/content/images/three.png"),
        ],
    });
    let export = ghost_export(tmp.path(), "ghost.json", data);
    let site = tmp.path().join("hub");
    let mut args = import_args("ghost", &export, &site);
    args.extend([
        "--site-url",
        &server.base,
        "--download-images",
        "--allow-private-hosts",
    ]);
    let report = import_ok(&args, tmp.path());
    for (member, file) in [("one", "avatar.jpg"), ("three", "avatar.png")] {
        let (front, _) = content(&site, &format!("content/members/{member}/index.md"));
        assert_eq!(front["avatar"].as_str(), Some(file), "{member}");
        let bytes = std::fs::read(site.join(format!("content/members/{member}/{file}"))).unwrap();
        assert!(
            image::load_from_memory(&bytes).is_ok(),
            "{member}'s avatar is an image"
        );
    }
    assert_eq!(server.hits("/content/images/one.jpg"), 1);
    let failed = format!(
        "  the avatar of member \"Writer Two\": {}/content/images/missing-two.jpg:",
        server.base
    );
    let section = report
        .split("Images not downloaded")
        .nth(1)
        .unwrap_or_else(|| panic!("{report}"));
    assert!(section.contains(&failed), "{report}");
    let (front, _) = content(&site, "content/members/two.md");
    assert_eq!(front["name"].as_str(), Some("Writer Two"));
    builds(&site, tmp.path());
}

#[test]
fn the_emailed_flag_comes_from_ghosts_email_fields() {
    let tmp = tempfile::tempdir().unwrap();
    let post = |slug: &str, status: &str, fields: Value| {
        let mut row = json!({"id": slug, "title": slug, "slug": slug, "status": status,
            "visibility": "public", "type": "post", "html": "<p>Hi</p>",
            "published_at": "2024-01-01T10:00:00.000Z"});
        for (k, v) in fields.as_object().unwrap() {
            row[k] = v.clone();
        }
        row
    };
    // (slug, status, fields, e-mailed)
    let cases = [
        (
            "g5-sent",
            "published",
            json!({"newsletter_id": "n1", "email_recipient_filter": "all"}),
            true,
        ),
        (
            "g5-web",
            "published",
            json!({"newsletter_id": null, "email_recipient_filter": "all"}),
            false,
        ),
        ("g5-draft", "draft", json!({"newsletter_id": "n1"}), false),
        (
            "g4-sent",
            "published",
            json!({"email_recipient_filter": "status:-free"}),
            true,
        ),
        (
            "g4-web",
            "published",
            json!({"email_recipient_filter": "none"}),
            false,
        ),
        (
            "g3-sent",
            "published",
            json!({"send_email_when_published": 1}),
            true,
        ),
        (
            "g3-web",
            "published",
            json!({"send_email_when_published": false}),
            false,
        ),
        ("emails-row", "published", json!({}), true),
        ("emails-failed", "published", json!({}), false),
        ("inbox-only", "sent", json!({}), true),
    ];
    let data = json!({
        "posts": cases.iter().map(|(s, st, f, _)| post(s, st, f.clone())).collect::<Vec<_>>(),
        "emails": [
            {"id": "e1", "post_id": "emails-row", "status": "submitted"},
            {"id": "e2", "post_id": "emails-failed", "status": "failed"},
        ],
    });
    let export = ghost_export(tmp.path(), "ghost.json", data);
    let site = tmp.path().join("hub");
    import_ok(&import_args("ghost", &export, &site), tmp.path());
    let fronts = python_fronts(&site);
    for (slug, _, _, emailed) in &cases {
        let front = &fronts[&format!("content/articles/{slug}.md")];
        assert_eq!(front["newsletter"], json!(emailed), "{slug}: {front}");
    }

    // Ghost's own fixtures: v2 has no e-mail fields, v4's posts were published to the
    // web only (`email_recipient_filter = "none"`).
    for fixture in ["v2_export.json", "v4_export.json"] {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("hub");
        let export = real(&format!("ghost/{fixture}"));
        let mut args = import_args("ghost", &export, &site);
        args.extend(["--site-url", "https://demo.ghost.io/"]);
        let report = import_ok(&args, tmp.path());
        assert!(
            report.contains("      0 of them newsletter issues"),
            "{fixture}:\n{report}"
        );
    }
}

#[test]
fn every_imported_date_is_a_toml_datetime_for_a_second_parser() {
    let server = ImageServer::start();
    let tmp = tempfile::tempdir().unwrap();
    let folder = export_fixture("substack", tmp.path(), &server.base);
    let zip = tmp.path().join("export.zip");
    zip_folder(&folder, &zip);
    let wordpress = export_fixture("wordpress.xml", tmp.path(), &server.base);
    let ghost = export_fixture("ghost.json", tmp.path(), &server.base);
    let imports: [(&str, PathBuf, &[&str], usize); 6] = [
        ("substack", zip, &[], 3),
        ("wordpress", wordpress, &[], 5),
        (
            "ghost",
            ghost,
            &["--site-url", "https://old.example.org/"],
            5,
        ),
        (
            "wordpress",
            real("wordpress/themeunittestdata.wordpress.xml"),
            &[],
            70,
        ),
        (
            "ghost",
            real("ghost/v4_export.json"),
            &["--site-url", "https://demo.ghost.io/"],
            11,
        ),
        (
            "ghost",
            real("ghost/v2_export.json"),
            &["--site-url", "https://demo.ghost.io/"],
            7,
        ),
    ];
    for (i, (platform, export, extra, at_least)) in imports.iter().enumerate() {
        let site = tmp.path().join(format!("site-{i}"));
        let mut args = import_args(platform, export, &site);
        args.extend_from_slice(extra);
        import_ok(&args, tmp.path());
        let dated = dates_are_datetimes(&site);
        assert!(
            dated >= *at_least,
            "{}: {dated} dated files",
            export.display()
        );
    }
}

#[test]
fn titles_names_and_excerpts_with_markup_become_text() {
    // The Theme Unit Test's own case, on the built page.
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("hub");
    let export = real("wordpress/themeunittestdata.wordpress.xml");
    import_ok(&import_args("wordpress", &export, &site), tmp.path());
    let fronts = python_fronts(&site);
    let front = &fronts["content/articles/markup-title-with-markup.md"];
    assert_eq!(front["title"], "Markup: Title With Markup");
    let special = fronts
        .values()
        .find(|f| {
            f["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("Markup: Title With Special"))
        })
        .unwrap();
    assert_eq!(
        special["title"],
        "Markup: Title With Special Characters ~`!@#$%^&*()-_=+{}[]/\\;:'\"?,.>"
    );
    let out = build_ok(&site);
    let page = read(&out, "articles/markup-title-with-markup/index.html");
    let (h1, children) = text_of(&page, "h1");
    assert_eq!((h1.trim(), children), ("Markup: Title With Markup", 0));
    let (title, _) = text_of(&page, "title");
    assert!(
        title.contains("Markup: Title With Markup") && !title.contains('<'),
        "{title}"
    );

    // Variants: references, scripts, comments, line breaks and NULs, in titles, excerpts
    // and an author's name.
    let tmp = tempfile::tempdir().unwrap();
    let export = wxr(
        tmp.path(),
        &[
            (
                "11",
                "script",
                "<script>alert(1)</script>Safe <em>title</em>",
                "An <b>excerpt</b> &amp; more\r\n",
                "<p>Body</p>",
            ),
            (
                "12",
                "entities",
                "Tom &amp; Jerry &lt;div&gt; &#x201C;quoted&#x201D;",
                "",
                "<p>Body</p>",
            ),
            (
                "13",
                "comment",
                "Before<!--<script>-->After\r\n\0 x</script>",
                "Para <i>two</i>",
                "<p>Body</p>",
            ),
            (
                "14",
                "greek",
                "Ελληνικά <sup>2</sup> | a\\b",
                "",
                "<p>Body</p>",
            ),
        ],
    );
    let site = tmp.path().join("hub");
    import_ok(&import_args("wordpress", &export, &site), tmp.path());
    let fronts = python_fronts(&site);
    let title = |slug: &str| fronts[&format!("content/articles/{slug}.md")]["title"].clone();
    assert_eq!(title("script"), "alert(1)Safe title");
    assert_eq!(title("entities"), "Tom & Jerry <div> “quoted”");
    assert_eq!(title("comment"), "BeforeAfter x");
    assert_eq!(title("greek"), "Ελληνικά 2 | a\\b");
    let (front, _) = content(&site, "content/articles/script.md");
    assert_eq!(front["description"].as_str(), Some("An excerpt & more"));
    let (front, _) = content(&site, "content/articles/comment.md");
    assert_eq!(front["description"].as_str(), Some("Para two"));
    assert_eq!(fronts["content/members/admin.md"]["name"], "Ad Min & co");
    let out = build_ok(&site);
    for slug in ["script", "entities", "comment", "greek"] {
        let page = read(&out, &format!("articles/{slug}/index.html"));
        let (h1, children) = text_of(&page, "h1");
        assert_eq!(h1.trim(), title(slug).as_str().unwrap(), "{slug}");
        assert_eq!(children, 0, "{slug}: no markup in the heading");
    }
}

#[test]
fn percent_encoded_slugs_become_readable_and_their_old_addresses_redirect() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("hub");
    let export = real("wordpress/themeunittestdata.wordpress.xml");
    let report = import_ok(&import_args("wordpress", &export, &site), tmp.path());
    assert!(!report.contains("not redirected"), "{report}");
    let fronts = python_fronts(&site);
    // `%ce%b5%cf%80…-2` under `…com//greek/`: the double slash is one.
    assert_eq!(
        fronts["content/epipedo-2.md"]["aliases"],
        json!(["/greek/επίπεδο-2"])
    );
    assert_eq!(
        fronts["content/epipedo-3.md"]["aliases"],
        json!(["/greek/επίπεδο-2/επίπεδο-3"])
    );
    assert!(!fronts.keys().any(|k| k.contains("ce-b5")), "{fronts:?}");
    let out = build_ok(&site);
    let redirects = read(&out, "_redirects");
    assert!(
        redirects
            .contains("/greek/%CE%B5%CF%80%CE%AF%CF%80%CE%B5%CE%B4%CE%BF-2/ /epipedo-2/ 301\n"),
        "{redirects}"
    );
    let alias = read(&out, "greek/επίπεδο-2/index.html");
    assert!(alias.contains("/epipedo-2/"), "{alias}");

    // Variants: an encoded slash, a NUL, bytes that are not UTF-8, a `%` itself.
    let tmp = tempfile::tempdir().unwrap();
    let export = wxr(
        tmp.path(),
        &[
            ("21", "a%2Fb", "Slash", "", "<p>Body</p>"),
            ("22", "x%00y", "Nul", "", "<p>Body</p>"),
            ("23", "%ff%fe-bad", "Not UTF-8", "", "<p>Body</p>"),
            ("24", "caf%c3%a9", "Café", "", "<p>Body</p>"),
            ("25", "%e6%97%a5%e6%9c%ac", "Japan", "", "<p>Body</p>"),
            ("26", "%25done", "Percent", "", "<p>Body</p>"),
        ],
    );
    let site = tmp.path().join("hub");
    let report = import_ok(&import_args("wordpress", &export, &site), tmp.path());
    let fronts = python_fronts(&site);
    let japan = slug::slugify("日本");
    for (file, alias) in [
        ("a-b", Some("/a/b")),
        ("xy", None),
        ("bad", None),
        ("cafe", Some("/café")),
        (japan.as_str(), Some("/日本")),
        ("done", Some("/%25done")),
    ] {
        let front = fronts
            .get(&format!("content/articles/{file}.md"))
            .unwrap_or_else(|| panic!("no {file}.md: {:?}", fronts.keys()));
        match alias {
            Some(alias) => assert_eq!(front["aliases"], json!([alias]), "{file}"),
            None => assert!(
                report.contains(&format!("content/articles/{file}.md: old address")),
                "{report}"
            ),
        }
    }
    let out = build_ok(&site);
    assert!(out.join("%done/index.html").exists(), "`%25` is one `%`");
    assert!(out.join("café/index.html").exists());

    // Ghost slugs too.
    let tmp = tempfile::tempdir().unwrap();
    let data = json!({"posts": [{"id": "g1", "title": "Αλφα", "slug": "%ce%b1%ce%bb%cf%86%ce%b1",
        "status": "published", "visibility": "public", "type": "post", "html": "<p>α</p>",
        "published_at": "2024-01-01T10:00:00.000Z"}]});
    let export = ghost_export(tmp.path(), "ghost.json", data);
    let site = tmp.path().join("hub");
    import_ok(&import_args("ghost", &export, &site), tmp.path());
    let fronts = python_fronts(&site);
    let front = &fronts[&format!("content/articles/{}.md", slug::slugify("αλφα"))];
    assert_eq!(front["aliases"], json!(["/αλφα"]));
}

#[test]
fn the_report_names_items_by_their_ids_and_the_files_it_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("hub");
    let export = real("wordpress/themeunittestdata.wordpress.xml");
    let report = import_ok(&import_args("wordpress", &export, &site), tmp.path());
    assert!(
        report.contains("  WordPress post 1169 \"edge-case-no-title\": no title"),
        "{report}"
    );
    assert!(!report.contains("item 161"), "{report}");

    // A re-import names each file it did not overwrite.
    let edited = [
        "content/articles/markup-title-with-markup.md",
        "content/epipedo-2.md",
    ];
    for rel in edited {
        let text = read(&site, rel);
        write(&site, rel, format!("{text}\nMy own line.\n"));
    }
    let again = import_ok(&import_args("wordpress", &export, &site), tmp.path());
    assert!(again.contains("2 kept as you edited them"), "{again}");
    let kept = again
        .split("Not overwritten")
        .nth(1)
        .unwrap_or_else(|| panic!("{again}"));
    for rel in edited {
        assert!(kept.contains(&format!("  {rel}\n")), "{again}");
        assert!(read(&site, rel).ends_with("My own line.\n"));
    }

    // Ghost posts by id and slug.
    let tmp = tempfile::tempdir().unwrap();
    let data = json!({"posts": [
        {"id": "abc123", "title": "", "slug": "no-title", "status": "published", "html": "<p>x</p>"},
        {"id": 7, "title": "Fine", "slug": "fine", "status": "published", "html": "<p>x</p>"},
    ]});
    let export = ghost_export(tmp.path(), "ghost.json", data);
    let report = import_ok(
        &import_args("ghost", &export, &tmp.path().join("hub")),
        tmp.path(),
    );
    assert!(
        report.contains("  Ghost post abc123 \"no-title\": no title"),
        "{report}"
    );
}
