//! `--download-images`: every image of the imported posts (inline, covers, avatars) is
//! fetched once and saved next to the post that shows it, so the new site loads nothing
//! from the old platform's servers. A failed download is a warning, never a stop.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use rayon::prelude::*;

use crate::commands::http::Client;

/// Larger files are not images a post shows.
const MAX_IMAGE: u64 = 32 * 1024 * 1024;

/// An image fetched: its bytes and the extension of its real format.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub bytes: Arc<Vec<u8>>,
    pub extension: &'static str,
}

/// What became of each address: the image, or why not.
pub type Downloads = HashMap<String, Result<Fetched, String>>;

/// Fetches every address in `urls` (each once), a few at a time.
pub fn download(urls: &[String]) -> Downloads {
    let client = Client::new("import", Duration::from_secs(60), 5);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(4).build();
    let fetch_all = || {
        urls.par_iter()
            .map(|url| (url.clone(), fetch(&client, url)))
            .collect()
    };
    match pool {
        Ok(pool) => pool.install(fetch_all),
        Err(_) => fetch_all(),
    }
}

fn fetch(client: &Client, url: &str) -> Result<Fetched, String> {
    let parsed = url::Url::parse(url).map_err(|e| format!("not an address: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err("not a web address".into());
    }
    let mut response = client
        .agent(&parsed)
        .get(url)
        .call()
        .map_err(|e| e.to_string())?;
    if !response.status().is_success() {
        return Err(format!(
            "the server answered {}",
            response.status().as_u16()
        ));
    }
    let bytes = response
        .body_mut()
        .with_config()
        .limit(MAX_IMAGE)
        .read_to_vec()
        .map_err(|e| e.to_string())?;
    let extension = match image::guess_format(&bytes) {
        Ok(image::ImageFormat::Jpeg) => "jpg",
        Ok(image::ImageFormat::Png) => "png",
        Ok(image::ImageFormat::WebP) => "webp",
        Ok(image::ImageFormat::Gif) => "gif",
        _ => return Err("not a JPEG, PNG, WebP or GIF image".into()),
    };
    Ok(Fetched {
        bytes: Arc::new(bytes),
        extension,
    })
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
