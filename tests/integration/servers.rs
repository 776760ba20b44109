//! `kring ci server` for real: `deploy/publish.sh` checks, builds and copies the site with
//! rsync, and Debian's nginx and Caddy (installed by scripts/test.sh) serve the copy with
//! `deploy/nginx.conf` and `deploy/Caddyfile`, changed only in the address they listen on
//! and the folder they serve. Each answer is read over plain HTTP.

use crate::common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{fixture, read, run};

/// A program the tests need, or a failure that says how to get it.
fn program(name: &str) -> PathBuf {
    for dir in ["/usr/sbin", "/usr/bin", "/usr/local/bin", "/sbin", "/bin"] {
        let path = Path::new(dir).join(name);
        if path.is_file() {
            return path;
        }
    }
    panic!("{name} is not installed: scripts/test.sh installs it (apt-get install {name})");
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Answer {
    status: u16,
    /// Header lines, names in lower case.
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn get(port: u16, path: &str) -> Answer {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Answer {
        status,
        headers,
        body: body.to_string(),
    }
}

/// Waits until something answers on `port` (or the server has exited).
fn wait_for(port: u16, server: &mut Child, log: &Path) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = server.try_wait() {
            panic!(
                "the server exited ({status}):\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the server did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// What both servers must do with kring's files: the content types of calendars and
/// feeds, cache times, the site's 404 page.
fn assert_serves_the_site(port: u16, www: &Path, server: &str) {
    let home = get(port, "/");
    assert_eq!(home.status, 200, "{server}: /");
    assert!(
        home.header("content-type")
            .is_some_and(|t| t.starts_with("text/html")),
        "{server}"
    );
    let calendar = walkdir::WalkDir::new(www)
        .into_iter()
        .filter_map(|e| e.ok())
        .find(|e| e.path().extension().is_some_and(|x| x == "ics"))
        .expect("the fixture has calendars");
    let calendar_url = format!(
        "/{}",
        calendar.path().strip_prefix(www).unwrap().to_string_lossy()
    );
    for (path, content_type) in [
        (calendar_url.as_str(), "text/calendar; charset=utf-8"),
        ("/rss.xml", "application/rss+xml; charset=utf-8"),
        ("/atom.xml", "application/atom+xml; charset=utf-8"),
        ("/feed.json", "application/feed+json; charset=utf-8"),
        ("/events/rss.xml", "application/rss+xml; charset=utf-8"),
    ] {
        assert!(www.join(&path[1..]).is_file(), "the build wrote {path}");
        let answer = get(port, path);
        assert_eq!(answer.status, 200, "{server}: {path}");
        assert_eq!(
            answer.header("content-type"),
            Some(content_type),
            "{server}: {path}"
        );
    }
    let css = get(port, "/kring.css");
    assert_eq!(css.status, 200);
    assert_eq!(
        css.header("cache-control"),
        Some("public, max-age=3600"),
        "{server}"
    );
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
    let missing = get(port, "/no/such/page/");
    assert_eq!(missing.status, 404, "{server}");
    let not_found = read(www, "404.html");
    let title = not_found
        .split("<title>")
        .nth(1)
        .and_then(|t| t.split("</title>").next())
        .unwrap();
    assert!(
        missing.body.contains(title),
        "{server} answers a missing page with the site's 404 page"
    );
}

#[test]
fn publish_script_copies_the_build_and_nginx_and_caddy_serve_it_with_the_files_written() {
    let nginx = program("nginx");
    let caddy = program("caddy");
    program("rsync");
    let (tmp, site) = fixture("calendar");
    // nginx's workers may run as another user: they must be able to read the copy.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let (ok, out, err) = run(&["ci", "server", site.to_str().unwrap()], tmp.path());
    assert!(ok, "{out}\n{err}");
    for file in ["deploy/nginx.conf", "deploy/Caddyfile", "deploy/publish.sh"] {
        assert!(site.join(file).is_file(), "{file}");
    }
    let publish = read(&site, "deploy/publish.sh");
    assert!(
        publish.contains("17 3 * * *"),
        "the nightly cron line is there"
    );

    // publish.sh, with the kring under test on the PATH and a local folder as the server.
    let www = tmp.path().join("www");
    std::fs::create_dir_all(&www).unwrap();
    std::fs::write(www.join("stale.html"), "from an old build").unwrap();
    let kring_dir = Path::new(env!("CARGO_BIN_EXE_kring")).parent().unwrap();
    let path = format!(
        "{}:{}",
        kring_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let published = Command::new(site.join("deploy/publish.sh"))
        .env("PATH", &path)
        .env("KRING_DEPLOY_TO", format!("{}/", www.display()))
        .output()
        .unwrap();
    assert!(
        published.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&published.stdout),
        String::from_utf8_lossy(&published.stderr)
    );
    assert!(www.join("index.html").is_file());
    assert!(
        !www.join("stale.html").exists(),
        "--delete removes what the build no longer has"
    );
    let without_target = Command::new(site.join("deploy/publish.sh"))
        .env("PATH", &path)
        .env_remove("KRING_DEPLOY_TO")
        .output()
        .unwrap();
    assert!(!without_target.status.success());
    assert!(String::from_utf8_lossy(&without_target.stderr).contains("KRING_DEPLOY_TO"));

    // nginx with deploy/nginx.conf inside a minimal main configuration.
    let port = free_port();
    let conf = read(&site, "deploy/nginx.conf")
        .replace("listen 80;", &format!("listen 127.0.0.1:{port};"))
        .replace("root /var/www/hub;", &format!("root {};", www.display()));
    let run_dir = tmp.path().join("nginx");
    std::fs::create_dir_all(&run_dir).unwrap();
    std::fs::write(run_dir.join("server.conf"), conf).unwrap();
    let d = run_dir.display();
    let main = format!(
        "pid {d}/nginx.pid;\nerror_log {d}/error.log;\nevents {{}}\nhttp {{\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n    access_log off;\n    client_body_temp_path {d}/body;\n    proxy_temp_path {d}/proxy;\n    fastcgi_temp_path {d}/fastcgi;\n    uwsgi_temp_path {d}/uwsgi;\n    scgi_temp_path {d}/scgi;\n    include {d}/server.conf;\n}}\n"
    );
    std::fs::write(run_dir.join("main.conf"), main).unwrap();
    let main_conf = run_dir.join("main.conf");
    let test = Command::new(&nginx)
        .args(["-t", "-p"])
        .arg(&run_dir)
        .arg("-c")
        .arg(&main_conf)
        .output()
        .unwrap();
    assert!(
        test.status.success(),
        "nginx -t: {}",
        String::from_utf8_lossy(&test.stderr)
    );
    let log = run_dir.join("error.log");
    let mut server = Running(
        Command::new(&nginx)
            .arg("-p")
            .arg(&run_dir)
            .arg("-c")
            .arg(&main_conf)
            .args(["-g", "daemon off; master_process off;"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for(port, &mut server.0, &log);
    assert_serves_the_site(port, &www, "nginx");
    drop(server);

    // Caddy with deploy/Caddyfile, over plain HTTP on this machine.
    let port = free_port();
    let caddy_dir = tmp.path().join("caddy");
    std::fs::create_dir_all(&caddy_dir).unwrap();
    let caddyfile = read(&site, "deploy/Caddyfile")
        .replace(
            "hub.example.org {",
            &format!("{{\n\tadmin off\n\tauto_https off\n}}\n\nhttp://127.0.0.1:{port} {{"),
        )
        .replace("root * /var/www/hub", &format!("root * {}", www.display()));
    let caddyfile_path = caddy_dir.join("Caddyfile");
    std::fs::write(&caddyfile_path, caddyfile).unwrap();
    let caddy_env = |c: &mut Command| {
        c.env("HOME", &caddy_dir)
            .env("XDG_DATA_HOME", &caddy_dir)
            .env("XDG_CONFIG_HOME", &caddy_dir);
    };
    let mut validate = Command::new(&caddy);
    caddy_env(&mut validate);
    let validated = validate
        .args(["validate", "--adapter", "caddyfile", "--config"])
        .arg(&caddyfile_path)
        .output()
        .unwrap();
    assert!(
        validated.status.success(),
        "caddy validate: {}",
        String::from_utf8_lossy(&validated.stderr)
    );
    let log = caddy_dir.join("caddy.log");
    let mut start = Command::new(&caddy);
    caddy_env(&mut start);
    let mut server = Running(
        start
            .args(["run", "--adapter", "caddyfile", "--config"])
            .arg(&caddyfile_path)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap(),
    );
    wait_for(port, &mut server.0, &log);
    assert_serves_the_site(port, &www, "Caddy");
}
