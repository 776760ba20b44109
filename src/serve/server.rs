//! The HTTP side of `kring serve`: files of the last good build through tower-http's
//! `ServeDir` (which refuses `..` and decodes paths safely), the theme's 404 page with status
//! 404, feed and calendar content types, the live-reload script and its WebSocket.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::broadcast;
use tower_http::services::{ServeDir, ServeFile};

/// What the browser is told after a rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Reload,
    Css,
    Error(String),
}

impl Notice {
    fn json(&self) -> String {
        match self {
            Notice::Reload => r#"{"type":"reload"}"#.into(),
            Notice::Css => r#"{"type":"css"}"#.into(),
            Notice::Error(m) => serde_json::json!({ "type": "error", "message": m }).to_string(),
        }
    }
}

/// Shared between the rebuild loop and the request handlers.
#[derive(Clone)]
pub struct Shared {
    pub out: PathBuf,
    /// The address the server listens on: requests must name it (or a loopback name).
    pub addr: SocketAddr,
    pub notices: broadcast::Sender<Notice>,
    /// The error of the last rebuild, while it is not fixed: shown to every tab that connects.
    pub error: Arc<RwLock<Option<String>>>,
    /// The pages open in browsers: a rebuild of thousands of pages renders these first.
    pub visits: Visits,
}

/// The URL paths of the HTML pages served last, most recent first.
#[derive(Clone, Default)]
pub struct Visits(Arc<std::sync::Mutex<std::collections::VecDeque<String>>>);

impl Visits {
    /// How many pages are remembered: the tabs a person has open.
    const KEPT: usize = 16;

    pub fn record(&self, path: &str) {
        let mut list = self.0.lock().unwrap_or_else(|e| e.into_inner());
        list.retain(|p| p != path);
        list.push_front(path.to_string());
        list.truncate(Self::KEPT);
    }

    pub fn recent(&self) -> Vec<String> {
        let list = self.0.lock().unwrap_or_else(|e| e.into_inner());
        list.iter().cloned().collect()
    }
}

impl Shared {
    pub fn new(out: PathBuf, addr: SocketAddr, visits: Visits) -> Shared {
        let (notices, _) = broadcast::channel(64);
        Shared {
            out,
            addr,
            notices,
            error: Arc::new(RwLock::new(None)),
            visits,
        }
    }

    /// Records the outcome of a rebuild and tells the browsers.
    pub fn publish(&self, notice: Notice) {
        let mut error = self.error.write().unwrap_or_else(|e| e.into_inner());
        *error = match &notice {
            Notice::Error(m) => Some(m.clone()),
            _ => None,
        };
        let _ = self.notices.send(notice);
    }
}

const LIVE_RELOAD_JS: &str = include_str!("live-reload.js");

pub fn router(shared: Shared) -> Router {
    let out = shared.out.clone();
    let files = ServeDir::new(&out)
        .append_index_html_on_directories(true)
        .not_found_service(ServeFile::new(out.join("404.html")));
    Router::new()
        .route("/__kring/live-reload.js", get(live_reload_js))
        .route("/__kring/ws", get(websocket))
        .fallback_service(files)
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            guard_and_label,
        ))
        .with_state(shared)
}

async fn live_reload_js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        LIVE_RELOAD_JS,
    )
}

async fn websocket(State(shared): State<Shared>, upgrade: WebSocketUpgrade) -> Response {
    upgrade.on_upgrade(move |socket| follow(socket, shared))
}

/// Sends the current error (if any), then every notice, until the tab goes away.
async fn follow(mut socket: WebSocket, shared: Shared) {
    let mut notices = shared.notices.subscribe();
    let current = shared
        .error
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    if let Some(message) = current
        && socket
            .send(Message::Text(Notice::Error(message).json().into()))
            .await
            .is_err()
    {
        return;
    }
    loop {
        tokio::select! {
            notice = notices.recv() => match notice {
                Ok(n) => {
                    if socket.send(Message::Text(n.json().into())).await.is_err() {
                        return;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return,
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(_)) => continue,
                _ => return,
            },
        }
    }
}

/// Refuses paths that resolve outside the output folder (a symlink in it pointing out),
/// sets the content types feeds and calendars need, and tells browsers not to cache.
async fn guard_and_label(State(shared): State<Shared>, request: Request, next: Next) -> Response {
    if let Err(refusal) = check_host_and_origin(&shared, request.headers()) {
        return (StatusCode::FORBIDDEN, refusal).into_response();
    }
    let path = request.uri().path().to_string();
    if !path.starts_with("/__kring/") && escapes(&shared.out, &path) {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    let mut response = next.run(request).await;
    let is_page = path.ends_with('/') || path.ends_with(".html");
    if is_page && response.status().is_success() {
        shared.visits.record(&path);
    }
    let content_type = if path.ends_with("/rss.xml") {
        Some("application/rss+xml; charset=utf-8")
    } else if path.ends_with("/atom.xml") {
        Some("application/atom+xml; charset=utf-8")
    } else if path.ends_with("/feed.json") {
        Some("application/feed+json; charset=utf-8")
    } else if path.ends_with(".ics") {
        Some("text/calendar; charset=utf-8")
    } else if path.ends_with(".xml") {
        Some("application/xml; charset=utf-8")
    } else {
        None
    };
    if let (Some(ct), true) = (content_type, response.status().is_success()) {
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    }
    // kring writes UTF-8 only; say so, so a page never shows as Latin-1 mojibake.
    let text_without_charset = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .filter(|ct| ct.starts_with("text/") && !ct.contains("charset"))
        .map(|ct| format!("{ct}; charset=utf-8"));
    if let Some(ct) = text_without_charset.and_then(|ct| HeaderValue::from_str(&ct).ok()) {
        response.headers_mut().insert(header::CONTENT_TYPE, ct);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Only requests for this server, from its own pages. A `Host` that is a domain name (other
/// than `localhost`) is what DNS rebinding looks like: a page on evil.example whose name now
/// points at 127.0.0.1, reading the drafts. An `Origin` of another site is a page elsewhere
/// opening the live-reload socket (which carries error messages that quote the user's
/// files) or fetching from the server.
fn check_host_and_origin(
    shared: &Shared,
    headers: &axum::http::HeaderMap,
) -> Result<(), &'static str> {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .ok_or("kring serve answers only requests with a Host header")?;
    if !is_own_authority(host, shared.addr) {
        return Err(
            "kring serve answers only requests for its own address (127.0.0.1 or localhost)",
        );
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let own = origin
            .to_str()
            .ok()
            .and_then(|o| o.strip_prefix("http://"))
            .is_some_and(|authority| is_own_authority(authority, shared.addr));
        if !own {
            return Err("kring serve answers only its own pages");
        }
    }
    Ok(())
}

/// Whether `authority` (`host:port`) names this server: its port, and as host `localhost`, a
/// loopback address, or the address it is bound to (any IP address when bound to all).
fn is_own_authority(authority: &str, addr: SocketAddr) -> bool {
    let Some((host, port)) = authority.rsplit_once(':') else {
        return false;
    };
    if port.parse::<u16>().ok() != Some(addr.port()) {
        return false;
    }
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let ip = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    match ip.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback() || ip == addr.ip() || addr.ip().is_unspecified(),
        Err(_) => false,
    }
}

/// Whether the file a URL path names lies outside `root` once symlinks are resolved.
fn escapes(root: &Path, url_path: &str) -> bool {
    let decoded = percent_encoding::percent_decode_str(url_path).decode_utf8_lossy();
    let candidate = root.join(decoded.trim_start_matches('/'));
    match (candidate.canonicalize(), root.canonicalize()) {
        (Ok(real), Ok(root)) => !real.starts_with(root),
        _ => false, // does not exist: ServeDir answers 404
    }
}
