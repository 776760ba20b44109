//! The HTTP side of `kring serve`: files of the last good build through tower-http's
//! `ServeDir` (which refuses `..` and decodes paths safely), the theme's 404 page with status
//! 404, feed and calendar content types, the live-reload script and its WebSocket.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tokio::sync::broadcast;
use tower_http::services::{ServeDir, ServeFile};

use super::rebuild::{RELOAD_SCRIPT_SRC, RELOAD_SCRIPT_TAG};

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
    /// The notices sent lately, numbered: a tab whose page was served before a rebuild
    /// but whose socket connected after it catches up from here.
    history: Arc<std::sync::Mutex<History>>,
    /// The content editor's local backend (`POST /api/v1`).
    pub cms: Option<Arc<super::cms::LocalBackend>>,
    /// The first build, while requests may still wait for it.
    pub startup: Option<Arc<super::first::Startup>>,
}

/// The last [`History::KEPT`] notices with their numbers; the number of the last is the
/// server's current build generation.
#[derive(Default)]
struct History {
    generation: u64,
    recent: std::collections::VecDeque<(u64, Notice)>,
}

impl History {
    const KEPT: usize = 32;

    fn push(&mut self, notice: Notice) {
        self.generation += 1;
        self.recent.push_back((self.generation, notice));
        if self.recent.len() > Self::KEPT {
            self.recent.pop_front();
        }
    }

    /// What a page served at generation `since` missed: a reload if any notice since was
    /// one (or the history no longer reaches back that far), else a stylesheet swap if any
    /// was, else nothing. Errors are not replayed: the current one is sent anyway.
    fn missed_since(&self, since: u64) -> Option<Notice> {
        if since >= self.generation {
            return None;
        }
        let reaches_back = self.recent.front().is_some_and(|(n, _)| *n <= since + 1);
        let missed = || self.recent.iter().filter(move |(n, _)| *n > since);
        if !reaches_back || missed().any(|(_, n)| *n == Notice::Reload) {
            Some(Notice::Reload)
        } else if missed().any(|(_, n)| *n == Notice::Css) {
            Some(Notice::Css)
        } else {
            None
        }
    }
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
            history: Arc::default(),
            cms: None,
            startup: None,
        }
    }

    fn history(&self) -> std::sync::MutexGuard<'_, History> {
        self.history.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records the outcome of a rebuild and tells the browsers.
    pub fn publish(&self, notice: Notice) {
        let mut error = self.error.write().unwrap_or_else(|e| e.into_inner());
        *error = match &notice {
            Notice::Error(m) => Some(m.clone()),
            _ => None,
        };
        self.history().push(notice.clone());
        let _ = self.notices.send(notice);
    }
}

const LIVE_RELOAD_JS: &str = include_str!("live-reload.js");

pub fn router(shared: Shared) -> Router {
    let out = shared.out.clone();
    let files = ServeDir::new(&out)
        .append_index_html_on_directories(true)
        .not_found_service(ServeFile::new(out.join("404.html")));
    // The editor's backend has its own state; the guard below covers it too.
    let api = Router::new()
        .route("/api/v1", post(super::cms::api))
        .layer(DefaultBodyLimit::max(super::cms::BODY_LIMIT))
        .with_state(shared.cms.clone());
    Router::new()
        .merge(api)
        .route("/__kring/live-reload.js", get(live_reload_js))
        .route("/admin/config.yml", get(admin_config))
        .route("/__kring/ws", get(websocket))
        .fallback_service(files)
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            guard_and_label,
        ))
        .with_state(shared)
}

/// The editor's config with the local backend at this server's address, as the request
/// named it (the guard has checked it is this server): Decap takes only an absolute URL.
async fn admin_config(State(shared): State<Shared>, headers: axum::http::HeaderMap) -> Response {
    let Ok(text) = std::fs::read_to_string(shared.out.join("admin/config.yml")) else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let relative = serde_json::to_string(crate::cms::config::LOCAL_BACKEND_URL).unwrap_or_default();
    let absolute = serde_json::to_string(&format!(
        "http://{host}{}",
        crate::cms::config::LOCAL_BACKEND_URL
    ))
    .unwrap_or_default();
    let text = text.replacen(&format!("url: {relative}"), &format!("url: {absolute}"), 1);
    ([(header::CONTENT_TYPE, "text/yaml; charset=utf-8")], text).into_response()
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

/// `?since=N`: the generation the tab's page was served at (see [`mark_generation`]).
#[derive(serde::Deserialize)]
struct Since {
    since: Option<u64>,
}

async fn websocket(
    State(shared): State<Shared>,
    Query(Since { since }): Query<Since>,
    upgrade: WebSocketUpgrade,
) -> Response {
    upgrade.on_upgrade(move |socket| follow(socket, shared, since))
}

/// Sends what the tab missed since its page was served and the current error (if any),
/// then every notice, until the tab goes away.
async fn follow(mut socket: WebSocket, shared: Shared, since: Option<u64>) {
    // Subscribed first: a notice published while the missed ones are worked out is sent
    // too (at worst a swap or reload twice, never none).
    let mut notices = shared.notices.subscribe();
    let missed = since.and_then(|since| shared.history().missed_since(since));
    let current = shared
        .error
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    for notice in missed.into_iter().chain(current.map(Notice::Error)) {
        if socket
            .send(Message::Text(notice.json().into()))
            .await
            .is_err()
        {
            return;
        }
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
    let own = path.starts_with("/__kring/") || path.starts_with("/api/");
    if let Some(startup) = shared.startup.as_ref().filter(|s| !own && !s.is_over()) {
        startup.wait_for(&shared.out, &path).await;
    }
    if !path.starts_with("/__kring/") && escapes(&shared.out, &path) {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    // Read before the file: a rebuild that lands while it is served makes the tab catch up
    // once too often, never once too few.
    let generation = shared.history().generation;
    let mut response = mark_generation(next.run(request).await, generation).await;
    let is_page = path.ends_with('/') || path.ends_with(".html");
    if is_page && response.status().is_success() {
        shared.visits.record(&path);
    }
    let content_type = crate::model::routes::content_type(&path).or_else(|| {
        path.ends_with(".xml")
            .then_some("application/xml; charset=utf-8")
    });
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

/// Points the live-reload script of an HTML page at the generation it was served at:
/// `live-reload.js?since=N`, which the script passes on to its socket.
async fn mark_generation(response: Response, generation: u64) -> Response {
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html"));
    if !is_html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "could not read the page").into_response();
    };
    let mut html = String::from_utf8_lossy(&bytes).into_owned();
    // The last one: the tag kring added before `</body>`, not one an article quotes.
    if let Some(at) = html.rfind(RELOAD_SCRIPT_TAG) {
        let marked = RELOAD_SCRIPT_TAG.replacen(
            RELOAD_SCRIPT_SRC,
            &format!("{RELOAD_SCRIPT_SRC}?since={generation}"),
            1,
        );
        html.replace_range(at..at + RELOAD_SCRIPT_TAG.len(), &marked);
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(html))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn history(notices: &[Notice]) -> History {
        let mut history = History::default();
        for n in notices {
            history.push(n.clone());
        }
        history
    }

    #[test]
    fn a_tab_catches_up_with_the_strongest_change_it_missed() {
        let h = history(&[Notice::Reload, Notice::Css, Notice::Error("x".into())]);
        assert_eq!(h.missed_since(0), Some(Notice::Reload));
        assert_eq!(h.missed_since(1), Some(Notice::Css));
        assert_eq!(
            h.missed_since(2),
            None,
            "an error is sent as the current one"
        );
        assert_eq!(h.missed_since(3), None);
        assert_eq!(h.missed_since(99), None, "a page of an earlier server run");
    }

    #[test]
    fn a_tab_older_than_the_history_reloads() {
        let h = history(&vec![Notice::Css; History::KEPT + 5]);
        assert_eq!(h.missed_since(0), Some(Notice::Reload));
        assert_eq!(h.missed_since(5), Some(Notice::Css));
    }
}
