//! `--download-images`: every image of the imported posts (inline, covers, avatars) is
//! fetched once and saved next to the post that shows it, so the new site loads nothing
//! from the old platform's servers. A failed download is a warning, never a stop. Only
//! public hosts are asked (see `http::guard`).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use rayon::prelude::*;

use crate::http::Client;
use crate::http::guard::{Checked, Policy};

/// Larger files are not images a post shows.
const MAX_IMAGE: u64 = 32 * 1024 * 1024;

/// An image fetched: its bytes and the extension of its real format.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub bytes: Arc<Vec<u8>>,
    pub extension: &'static str,
}

/// Why an image was not fetched, and whether it was refused (a private address) rather
/// than failed.
#[derive(Debug, Clone)]
pub struct Failure {
    pub why: String,
    pub refused: bool,
}

impl Failure {
    fn failed(why: impl Into<String>) -> Failure {
        Failure {
            why: why.into(),
            refused: false,
        }
    }
}

/// What became of each address: the image, or why not.
pub type Downloads = HashMap<String, Result<Fetched, Failure>>;

/// Redirects followed per image, each one checked like the first address.
const MAX_REDIRECTS: usize = 5;

/// Fetches every address in `urls` (each once), a few at a time, from the hosts `policy`
/// allows.
pub fn download(urls: &[String], policy: &Policy) -> Downloads {
    let proxy_host = ureq::Proxy::try_from_env().map(|p| p.host().to_string());
    // Redirects are followed here, not by ureq, so that each one is checked first.
    let client = Client::with_resolver("import", Duration::from_secs(60), 0, |_| {
        Some(Checked {
            policy: policy.clone(),
            proxy_host: proxy_host.clone(),
        })
    });
    let pool = rayon::ThreadPoolBuilder::new().num_threads(4).build();
    let fetch_all = || {
        urls.par_iter()
            .map(|url| (url.clone(), fetch(&client, policy, url)))
            .collect()
    };
    match pool {
        Ok(pool) => pool.install(fetch_all),
        Err(_) => fetch_all(),
    }
}

fn fetch(client: &Client, policy: &Policy, url: &str) -> Result<Fetched, Failure> {
    let mut current =
        url::Url::parse(url).map_err(|e| Failure::failed(format!("not an address: {e}")))?;
    for _ in 0..=MAX_REDIRECTS {
        if !matches!(current.scheme(), "http" | "https") {
            return Err(Failure::failed("not a web address"));
        }
        policy.check(&current).map_err(|why| Failure {
            refused: why.starts_with("refused"),
            why,
        })?;
        let mut response = client
            .agent(&current)
            .get(current.as_str())
            .call()
            .map_err(|e| {
                let why = e.to_string();
                Failure {
                    refused: why.contains("refused: "),
                    why: why.trim_start_matches("io: ").to_string(),
                }
            })?;
        if response.status().is_redirection() {
            let location = response
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .ok_or_else(|| Failure::failed("a redirect without a Location"))?;
            current = current
                .join(location)
                .map_err(|e| Failure::failed(format!("a redirect to a bad address: {e}")))?;
            continue;
        }
        if !response.status().is_success() {
            return Err(Failure::failed(format!(
                "the server answered {}",
                response.status().as_u16()
            )));
        }
        let bytes = response
            .body_mut()
            .with_config()
            .limit(MAX_IMAGE)
            .read_to_vec()
            .map_err(|e| Failure::failed(e.to_string()))?;
        let extension = match image::guess_format(&bytes) {
            Ok(image::ImageFormat::Jpeg) => "jpg",
            Ok(image::ImageFormat::Png) => "png",
            Ok(image::ImageFormat::WebP) => "webp",
            Ok(image::ImageFormat::Gif) => "gif",
            _ => return Err(Failure::failed("not a JPEG, PNG, WebP or GIF image")),
        };
        return Ok(Fetched {
            bytes: Arc::new(bytes),
            extension,
        });
    }
    Err(Failure::failed(format!(
        "more than {MAX_REDIRECTS} redirects"
    )))
}

/// A file name for an image from its address: the last part of its path as a slug, with
/// the extension of what it really is (`IMG_0042.JPG?w=800` → `img-0042.jpg`).
pub fn file_name(url: &str, extension: &str) -> String {
    let last = url::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.path_segments()
                .and_then(|mut s| s.next_back().map(str::to_string))
        })
        .unwrap_or_default();
    let decoded = percent_encoding::percent_decode_str(&last).decode_utf8_lossy();
    // Substack's CDN puts the original's address, encoded, in the last part.
    let decoded = decoded.rsplit('/').next().unwrap_or_default();
    let stem = decoded.rsplit_once('.').map_or(decoded, |(s, _)| s);
    let mut stem = slug::slugify(stem);
    stem.truncate(60);
    let stem = stem.trim_end_matches('-');
    let stem = if stem.is_empty() || stem == "index" {
        "image"
    } else {
        stem
    };
    format!("{stem}.{extension}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader, Write};

    /// A server on 127.0.0.1 that redirects `/to/N` to the Nth of `targets` and answers
    /// anything else with a PNG; it stands in for a public host.
    fn redirecting_server(targets: Vec<String>) -> std::net::SocketAddr {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let mut png = Vec::new();
        image::DynamicImage::new_rgb8(2, 2)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut line = String::new();
                let _ = BufReader::new(&stream).read_line(&mut line);
                let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
                let head = match path
                    .strip_prefix("/to/")
                    .and_then(|n| n.parse::<usize>().ok())
                {
                    Some(n) => format!(
                        "HTTP/1.1 302 Found\r\nLocation: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                        targets[n]
                    ),
                    None => format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        png.len()
                    ),
                };
                let _ = stream.write_all(head.as_bytes());
                if path.starts_with("/ok") {
                    let _ = stream.write_all(&png);
                }
            }
        });
        addr
    }

    #[test]
    fn a_redirect_to_a_private_address_is_refused() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let other = listener.local_addr().unwrap().port();
        let targets = vec![
            "http://169.254.169.254/latest/meta-data/x.png".to_string(),
            format!("http://[::1]:{other}/ok.png"),
            format!("http://2130706433:{other}/ok.png"),
            format!("http://localhost:{other}/ok.png"),
            format!("http://127.0.0.1:{other}/ok.png"),
            format!("http://[::ffff:7f00:1]:{other}/ok.png"),
            "/to/7".to_string(),
            "http://10.0.0.1/ok.png".to_string(),
            "/ok.png".to_string(),
        ];
        let addr = redirecting_server(targets);
        let policy = Policy {
            allow_private: false,
            trusted: Some(addr),
            ..Default::default()
        };
        let urls: Vec<String> = (0..9).map(|n| format!("http://{addr}/to/{n}")).collect();
        let got = download(&urls, &policy);
        for url in &urls[..8] {
            match &got[url] {
                Err(f) => assert!(f.refused, "{url}: {}", f.why),
                Ok(_) => panic!("{url} was fetched"),
            }
        }
        assert!(got[&urls[8]].is_ok(), "a redirect to the same public host");
        drop(listener);
    }

    #[test]
    fn file_names_come_from_the_address_and_the_real_format() {
        assert_eq!(
            file_name("https://x.example/a/IMG_0042.JPG?w=800", "jpg"),
            "img-0042.jpg"
        );
        assert_eq!(
            file_name(
                "https://substackcdn.com/image/fetch/w_1456/https%3A%2F%2Fbucket.s3.amazonaws.com%2Fpublic%2Fimages%2Fabc_800x600.png",
                "png"
            ),
            "abc-800x600.png"
        );
        assert_eq!(file_name("https://x.example/", "gif"), "image.gif");
        assert_eq!(
            file_name("https://x.example/..%2F..%2Fetc%2Fpasswd", "png"),
            "passwd.png"
        );
        assert_eq!(
            file_name("https://x.example/cover.w960.webp", "webp"),
            "cover-w960.webp"
        );
        assert_eq!(file_name("https://x.example/index.jpg", "jpg"), "image.jpg");
    }
}
