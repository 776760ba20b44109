//! `kring import` with hostile and broken exports: a failure leaves the site as it was,
//! bodies keep their structure when end tags are left out, `--download-images` fetches
//! nothing on this machine or its network unless told to, every import builds, and a zip
//! bomb or a huge `posts.csv` costs bounded memory and a bounded report.

use crate::common;

use std::path::{Path, PathBuf};

use common::import::*;
use common::*;

/// A Substack export folder in `dir`: `posts.csv` with one row per post (id, title, body).
pub fn substack_export(dir: &Path, posts: &[(&str, &str, &str)]) -> PathBuf {
    let folder = dir.join("export");
    let _ = std::fs::remove_dir_all(&folder);
    let mut csv = String::from("post_id,post_date,is_published,type,audience,title\n");
    for (id, title, html) in posts {
        csv.push_str(&format!(
            "{id},2025-03-01T09:00:00.000Z,true,newsletter,everyone,\"{}\"\n",
            title.replace('"', "\"\"")
        ));
        write(&folder, &format!("posts/{id}.html"), html);
    }
    write(&folder, "posts.csv", csv);
    folder
}

/// The same export as a zip (where a post's file name may be longer than a disk allows).
pub fn substack_zip(dir: &Path, posts: &[(&str, &str, &str)]) -> PathBuf {
    use std::io::Write;
    let path = dir.join("export.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut csv = String::from("post_id,post_date,is_published,type,audience,title\n");
    for (id, title, html) in posts {
        csv.push_str(&format!(
            "{id},2025-03-01T09:00:00.000Z,true,newsletter,everyone,\"{}\"\n",
            title.replace('"', "\"\"")
        ));
        zip.start_file(format!("posts/{id}.html"), options).unwrap();
        zip.write_all(html.as_bytes()).unwrap();
    }
    zip.start_file("posts.csv", options).unwrap();
    zip.write_all(csv.as_bytes()).unwrap();
    zip.finish().unwrap();
    path
}

/// The import record matches the disk: every file it names has the hash it records.
fn record_matches_disk(site: &Path) {
    let text = read(site, ".kring-import.toml");
    let record: toml::Table = toml::from_str(&text).unwrap();
    let files = record["files"].as_table().unwrap();
    assert!(!files.is_empty());
    for (rel, hash) in files {
        let bytes = std::fs::read(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let on_disk = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes));
        assert_eq!(hash.as_str(), Some(on_disk.as_str()), "{rel}");
    }
}

#[test]
fn long_slugs_are_cut_and_importing_again_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let long_ascii = format!("1.{}", "a".repeat(300));
    let long_words = format!("2.{}", "word-".repeat(70));
    let export = substack_zip(
        tmp.path(),
        &[
            ("0.first", "First", "<p>One</p>"),
            (&long_ascii, "Long", "<p>Long</p>"),
            (&long_words, "Words", "<p>Words</p>"),
            ("3.last", "Last", "<p>Last</p>"),
        ],
    );
    let site = tmp.path().join("site");
    let args = ["substack", export.to_str().unwrap(), site.to_str().unwrap()];
    import_ok(&args, tmp.path());
    let files = tree(&site);
    for rel in files.keys() {
        for part in rel.split('/') {
            assert!(part.len() <= 84, "{rel}");
        }
    }
    assert!(files.contains_key("content/articles/first.md"));
    assert!(files.contains_key(&format!("content/articles/{}.md", "a".repeat(80))));
    assert!(
        files
            .keys()
            .any(|k| k.starts_with("content/articles/word-word") && k.ends_with("-word.md")),
        "cut without a dangling '-': {:?}",
        files.keys()
    );
    record_matches_disk(&site);
    let report = import_ok(&args, tmp.path());
    assert!(report.contains("0 new, 0 updated"), "{report}");
    assert_eq!(tree(&site), files, "importing again wrote nothing new");
    build_ok(&site);
    check_ok(&site, tmp.path());
}

#[test]
fn a_failed_import_leaves_the_site_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    let posts = [
        ("0.first", "First", "<p>One</p>"),
        ("1.second", "Second", "<p>Two</p>"),
    ];
    let export = substack_export(tmp.path(), &posts);
    let site = tmp.path().join("site");
    let args = ["substack", export.to_str().unwrap(), site.to_str().unwrap()];
    import_ok(&args, tmp.path());

    // The next export changes one post and adds two; meanwhile the members section became
    // a file, so its `_index.md` cannot be written, after the posts could have been.
    // (written over the first export, where `args` points)
    substack_export(
        tmp.path(),
        &[
            ("0.first", "First, edited", "<p>One more</p>"),
            ("1.second", "Second", "<p>Two, edited</p>"),
            ("2.third", "Third é", "<p>Three</p>"),
            ("3.fourth", "Fourth", "<p>Four</p>"),
        ],
    );
    std::fs::remove_dir_all(site.join("content/members")).unwrap();
    write(&site, "content/members", "not a folder");
    let before = tree(&site);
    let (ok, stdout, stderr) = run(&["import", args[0], args[1], args[2]], tmp.path());
    assert!(!ok, "{stdout}");
    assert!(stderr.contains("members"), "names the file: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(tree(&site), before, "the site is as it was");

    // An export that cannot be read leaves a new site's folder as empty as it was.
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let bad = substack_zip(tmp.path(), &posts);
    let bytes = std::fs::read(&bad).unwrap();
    std::fs::write(&bad, &bytes[..bytes.len() / 2]).unwrap();
    let (ok, _, stderr) = run(
        &[
            "import",
            "substack",
            bad.to_str().unwrap(),
            empty.to_str().unwrap(),
        ],
        tmp.path(),
    );
    assert!(!ok);
    assert!(stderr.contains("export.zip"), "{stderr}");
    assert_eq!(std::fs::read_dir(&empty).unwrap().count(), 0);
}

#[test]
fn paragraphs_and_items_without_end_tags_stay_apart() {
    let tmp = tempfile::tempdir().unwrap();
    let paragraphs: String = (1..=150)
        .map(|i| format!("<p>Paragraph {i} é\r\n"))
        .collect();
    let items: String = (1..=100).map(|i| format!("<li>Item {i}\n")).collect();
    let cells: String = (1..=80)
        .map(|i| format!("<tr><td>Cell {i}<td>x\n"))
        .collect();
    let nested = format!(
        "{}Deep{}",
        "<blockquote>".repeat(64),
        "</blockquote>".repeat(64)
    );
    let export = substack_export(
        tmp.path(),
        &[
            ("0.paragraphs", "Paragraphs", &paragraphs),
            ("1.items", "Items", &format!("<ul>{items}</ul><p>After")),
            ("2.cells", "Cells", &format!("<table>{cells}</table>")),
            ("3.nested", "Nested", &nested),
        ],
    );
    let site = tmp.path().join("site");
    import_ok(
        &["substack", export.to_str().unwrap(), site.to_str().unwrap()],
        tmp.path(),
    );
    let (_, body) = content(&site, "content/articles/paragraphs.md");
    for i in 1..=150 {
        assert!(
            body.contains(&format!("\n\nParagraph {i} é\n"))
                || body.starts_with(&format!("\nParagraph {i} é\n")),
            "paragraph {i} is its own:\n{body}"
        );
    }
    let (_, body) = content(&site, "content/articles/items.md");
    for i in 1..=100 {
        assert!(
            body.contains(&format!("\n- Item {i}\n")),
            "item {i}:\n{body}"
        );
    }
    assert!(body.contains("\n\nAfter\n"), "{body}");
    let (_, body) = content(&site, "content/articles/cells.md");
    assert!(body.contains("Cell 80"), "{body}");
    assert_eq!(body.matches("Cell ").count(), 80, "{body}");
    let (_, body) = content(&site, "content/articles/nested.md");
    assert!(body.contains("Deep"), "{body}");
    let out = build_ok(&site);
    let html = read(&out, "articles/paragraphs/index.html");
    let doc = scraper::Html::parse_document(&html);
    let p = scraper::Selector::parse("article p, main p").unwrap();
    let texts: Vec<String> = doc.select(&p).map(|e| e.text().collect()).collect();
    for i in [1, 63, 64, 65, 150] {
        assert!(
            texts.iter().any(|t| t.trim() == format!("Paragraph {i} é")),
            "{i}: {texts:?}"
        );
    }
}

#[test]
fn images_on_this_machine_or_its_network_are_refused_unless_allowed() {
    let server = ImageServer::start();
    let port = server.base.rsplit(':').next().unwrap().to_string();
    let tmp = tempfile::tempdir().unwrap();
    let hosts = [
        "127.0.0.1".to_string(),
        "localhost".to_string(),
        "0.0.0.0".to_string(),
        "2130706433".to_string(),
        "0x7f000001".to_string(),
        "0177.0.0.1".to_string(),
        "127.1".to_string(),
        "[::1]".to_string(),
        "[::ffff:127.0.0.1]".to_string(),
    ];
    let mut html = String::new();
    for (i, host) in hosts.iter().enumerate() {
        html.push_str(&format!(
            "<p><img src=\"http://{host}:{port}/{i}.jpg\"></p>"
        ));
    }
    html.push_str("<p><img src=\"http://169.254.169.254/latest/meta-data/iam.jpg\"></p>");
    html.push_str("<p><img src=\"http://10.0.0.1/router.jpg\"></p>");
    let export = substack_export(tmp.path(), &[("0.pics", "Pictures", &html)]);
    let site = tmp.path().join("site");
    let args = [
        "substack",
        export.to_str().unwrap(),
        site.to_str().unwrap(),
        "--download-images",
    ];
    let report = import_ok(&args, tmp.path());
    assert!(report.contains("      0 images downloaded"), "{report}");
    assert!(report.contains("Images refused"), "{report}");
    for (i, host) in hosts.iter().enumerate() {
        assert!(
            report.contains(&format!("http://{host}:{port}/{i}.jpg: refused: ")),
            "{host}:\n{report}"
        );
        assert_eq!(server.hits(&format!("/{i}.jpg")), 0, "{host} was asked");
    }
    assert!(
        report.contains("169.254.169.254/latest/meta-data/iam.jpg: refused: "),
        "{report}"
    );
    assert!(
        report.contains("10.0.0.1/router.jpg: refused: "),
        "{report}"
    );
    let (_, body) = content(&site, "content/articles/pics.md");
    assert!(
        body.contains(&format!("http://127.0.0.1:{port}/0.jpg")),
        "{body}"
    );
    assert!(!site.join("content/articles/pics").exists(), "no bundle");

    // Allowed, the same address is fetched.
    let site = tmp.path().join("allowed");
    let mut allowed = args.to_vec();
    allowed[2] = site.to_str().unwrap();
    allowed.push("--allow-private-hosts");
    let report = import_ok(&allowed, tmp.path());
    assert!(!report.contains("Images refused"), "{report}");
    assert_eq!(server.hits("/0.jpg"), 1, "{report}");
}

/// Bodies that broke builds of imported sites: deep quotes, unclosed paragraphs, markup.
fn hostile_body(i: usize) -> String {
    let deep = format!(
        "{}Deep {i}{}",
        "<blockquote>".repeat(64),
        "</blockquote>".repeat(64)
    );
    let open: String = (1..=70).map(|n| format!("<p>P{n} <!--<script>")).collect();
    format!("<p>Body {i} é &lt;/script&gt;</p>{deep}{open}<ul><li>a<li>b</ul>")
}

/// (slug, title, old path, is a page): what each platform's hostile export holds.
const HOSTILE: &[(&str, &str, &str, bool)] = &[
    ("members", "Members page", "/members/", true),
    ("articles", "Articles page", "/articles/", true),
    ("events", "Events page", "/events/", true),
    ("dup", "Dup one", "/p/dup/", false),
    ("DUP", "Dup two", "/p/dup/", false),
    ("Dup!", "Dup three", "/p/dup/", false),
    ("rss-xml", "Feed lookalike", "/rss.xml/", false),
    ("tags", "Tags", "/tags/x/", false),
    ("index", "Index", "/index.html", false),
    ("deep", "Déjà vu \r\0", "/2024/05/deep/", false),
];

fn hostile_wordpress(dir: &Path) -> PathBuf {
    let mut items = String::new();
    for (i, (slug, title, old, page)) in HOSTILE.iter().enumerate() {
        let kind = if *page { "page" } else { "post" };
        items.push_str(&format!(
            "<item><title><![CDATA[{title}]]></title><link>https://old.example.org{old}</link>\
             <dc:creator><![CDATA[admin]]></dc:creator>\
             <content:encoded><![CDATA[{}]]></content:encoded>\
             <wp:post_id>{i}</wp:post_id><wp:post_date><![CDATA[2024-05-0{} 10:00:00]]></wp:post_date>\
             <wp:post_name><![CDATA[{slug}]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status>\
             <wp:post_type><![CDATA[{kind}]]></wp:post_type></item>\n",
            hostile_body(i),
            1 + i % 9
        ));
    }
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<rss version=\"2.0\" \
         xmlns:excerpt=\"http://wordpress.org/export/1.2/excerpt/\" \
         xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:wp=\"http://wordpress.org/export/1.2/\">\
         <channel><title>Old</title><link>https://old.example.org</link><wp:wxr_version>1.2</wp:wxr_version>\
         <wp:author><wp:author_login><![CDATA[admin]]></wp:author_login><wp:author_display_name><![CDATA[Members]]></wp:author_display_name></wp:author>\
         {items}</channel></rss>"
    );
    let path = dir.join("wordpress.xml");
    std::fs::write(&path, xml).unwrap();
    path
}

fn hostile_ghost(dir: &Path) -> PathBuf {
    let posts: Vec<serde_json::Value> = HOSTILE
        .iter()
        .enumerate()
        .map(|(i, (slug, title, _, page))| {
            serde_json::json!({
                "id": format!("{i}"), "title": title, "slug": slug, "html": hostile_body(i),
                "type": if *page { "page" } else { "post" }, "status": "published",
                "visibility": "public", "published_at": "2025-03-10T09:00:00.000Z"
            })
        })
        .collect();
    let json = serde_json::json!({"db": [{"meta": {"version": "5.0.0"}, "data": {
        "posts": posts,
        "users": [{"id": "1", "name": "Tags", "slug": "tags"}, {"id": "2", "name": "Index", "slug": "index"}],
        "posts_authors": [{"id": "a", "post_id": "0", "author_id": "1"}]
    }}]});
    let path = dir.join("ghost.json");
    std::fs::write(&path, json.to_string()).unwrap();
    path
}

fn hostile_substack(dir: &Path) -> PathBuf {
    let rows: Vec<(String, String, String)> = HOSTILE
        .iter()
        .enumerate()
        .map(|(i, (slug, title, _, _))| (format!("{i}.{slug}"), title.to_string(), hostile_body(i)))
        .collect();
    let refs: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    substack_zip(dir, &refs)
}

#[test]
fn hostile_exports_of_every_platform_import_and_build() {
    let tmp = tempfile::tempdir().unwrap();
    let exports = [
        ("substack", hostile_substack(tmp.path())),
        ("ghost", hostile_ghost(tmp.path())),
        ("wordpress", hostile_wordpress(tmp.path())),
    ];
    for (platform, export) in &exports {
        let site = tmp.path().join(format!("site-{platform}"));
        let report = import_ok(
            &[
                platform,
                export.to_str().unwrap(),
                site.to_str().unwrap(),
                "--site-url",
                "https://old.example.org",
            ],
            tmp.path(),
        );
        assert!(report.contains("not redirected"), "{platform}: {report}");
        let (ok, stdout, stderr) = run(&["build", site.to_str().unwrap()], tmp.path());
        assert!(
            ok,
            "{platform}: build failed:\n{stdout}\n{stderr}\n{report}"
        );
        check_ok(&site, tmp.path());
        let out = site.join("public");
        for i in 0..HOSTILE.len() {
            let published = files_containing(&out, &format!("Body {i} é"));
            assert!(
                published
                    .iter()
                    .any(|f| f.ends_with("index.html") && !f.contains("/tags/")),
                "{platform}: post {i} is published"
            );
        }
        // Importing again into the site it made changes nothing and still builds.
        let again = import_ok(
            &[
                platform,
                export.to_str().unwrap(),
                site.to_str().unwrap(),
                "--site-url",
                "https://old.example.org",
            ],
            tmp.path(),
        );
        assert!(again.contains(" 0 new, 0 updated"), "{platform}: {again}");
    }
}

#[test]
fn a_zip_bomb_is_refused_and_a_huge_posts_csv_gives_a_short_report() {
    let tmp = tempfile::tempdir().unwrap();
    // One body of 17 MiB (a zip of a few KiB): past what one post may be.
    let huge = "<p>aaaaaaaaaaaaaaa\n".repeat(17 * 1024 * 1024 / 19 + 1);
    let export = substack_zip(tmp.path(), &[("0.bomb", "Bomb", &huge)]);
    assert!(std::fs::metadata(&export).unwrap().len() < 1024 * 1024);
    let site = tmp.path().join("site");
    let (ok, _, stderr) = run(
        &[
            "import",
            "substack",
            export.to_str().unwrap(),
            site.to_str().unwrap(),
        ],
        tmp.path(),
    );
    assert!(!ok);
    assert!(
        stderr.contains("0.bomb.html: larger than 16 MiB"),
        "{stderr}"
    );
    assert!(!site.exists(), "nothing written");

    // 200,000 rows whose bodies are missing: every one skipped, the report stays short.
    let folder = tmp.path().join("rows");
    let mut csv = String::from("post_id,post_date,is_published,type,audience,title\n");
    for i in 0..200_000 {
        csv.push_str(&format!("{i}.p{i},,true,,,T{i} \u{0}\r\n"));
    }
    write(&folder, "posts.csv", csv);
    let report = import_ok(
        &["substack", folder.to_str().unwrap(), site.to_str().unwrap()],
        tmp.path(),
    );
    assert!(report.len() < 20_000, "{} bytes", report.len());
    assert!(report.contains("  … and 199950 more\n"), "{report}");
    build_ok(&site);
}
