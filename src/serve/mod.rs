//! `kring serve`: builds the site for local viewing into a temporary folder (never the
//! site's `public/`), serves it on 127.0.0.1, rebuilds what a change affects, and tells open
//! tabs to reload — or shows the error over the page until it is fixed.

pub mod cms;
pub mod first;
mod order;
pub mod rebuild;
pub mod server;
pub mod watch;

use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;

use jiff::Timestamp;
use tokio::sync::oneshot;

use crate::error::{Error, Result};
use crate::model::BuildOptions;
use first::Startup;
use rebuild::{DevSite, RELOAD_SCRIPT_TAG};
use server::{Notice, Shared};

pub const DEFAULT_PORT: u16 = 1111;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub site: PathBuf,
    pub port: u16,
    pub bind: IpAddr,
    pub drafts: bool,
    /// The moment the site is built as of (tests); the clock by default.
    pub now: Option<Timestamp>,
    /// Print what happens (the CLI); tests keep quiet.
    pub verbose: bool,
}

impl ServeOptions {
    pub fn new(site: impl Into<PathBuf>) -> ServeOptions {
        ServeOptions {
            site: site.into(),
            port: DEFAULT_PORT,
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            drafts: false,
            now: None,
            verbose: false,
        }
    }
}

/// A running dev server. Dropping it (or [`DevServer::stop`]) shuts it down and removes
/// its temporary folder.
pub struct DevServer {
    pub addr: SocketAddr,
    /// The address the site is built for, e.g. `http://127.0.0.1:1111/`.
    pub url: String,
    /// The folder being served.
    pub out: PathBuf,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
    /// Dropped on shutdown: that ends the rebuild loop, which is then waited for, so no
    /// rebuild is half-way when the temporary folder goes.
    watcher: Option<watch::Watcher>,
    rebuilds: Option<JoinHandle<()>>,
    startup: Arc<Startup>,
    _temp: tempfile::TempDir,
}

/// Binds `bind:port`, or the next free port of the ten after it; says when it moved.
fn bind(options: &ServeOptions) -> Result<(TcpListener, Option<String>)> {
    let first = SocketAddr::new(options.bind, options.port);
    match TcpListener::bind(first) {
        Ok(l) => Ok((l, None)),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && options.port != 0 => {
            for port in options.port.saturating_add(1)..=options.port.saturating_add(10) {
                if let Ok(l) = TcpListener::bind(SocketAddr::new(options.bind, port)) {
                    return Ok((
                        l,
                        Some(format!(
                            "port {} is in use; serving on port {port} instead",
                            options.port
                        )),
                    ));
                }
            }
            Err(Error::Usage(format!(
                "port {} and the ten after it are in use: choose another with --port",
                options.port
            )))
        }
        Err(e) => Err(Error::Usage(format!("cannot listen on {first}: {e}"))),
    }
}

impl DevServer {
    pub fn start(options: &ServeOptions) -> Result<DevServer> {
        let site_dir = options
            .site
            .canonicalize()
            .map_err(|_| Error::Usage(format!("there is no folder {}", options.site.display())))?;
        if !site_dir.join(crate::config::CONFIG_FILE).is_file() {
            return Err(Error::Usage(format!(
                "{} has no kring.toml: is it a kring site? (`kring init` makes one)",
                options.site.display()
            )));
        }
        let (listener, moved) = bind(options)?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::Usage(e.to_string()))?;
        let host = match addr.ip() {
            ip if ip.is_unspecified() => "127.0.0.1".to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
            ip => ip.to_string(),
        };
        let url = format!("http://{host}:{}/", addr.port());
        if options.verbose {
            if let Some(m) = &moved {
                eprintln!("note: {m}");
            }
            if !options.bind.is_loopback() {
                eprintln!(
                    "warning: listening on {} — anyone on your network can see this site while `kring serve` runs",
                    options.bind
                );
            }
        }

        let temp = tempfile::Builder::new()
            .prefix("kring-serve-")
            .tempdir()
            .map_err(|e| Error::io(std::env::temp_dir(), e))?;
        let out = temp.path().join("site");
        let build_options = BuildOptions {
            drafts: options.drafts,
            base_url: Some(url.clone()),
            now: options.now,
            cached_conversations: true,
        };
        let mut dev = DevSite::new(site_dir.clone(), build_options, out.clone(), true);
        let startup = Arc::new(Startup::default());
        let mut shared = Shared::new(out.clone(), addr, dev.visits.clone());
        shared.startup = Some(startup.clone());
        // Read again by the build; here for what is needed before it ends. A config with an
        // error is reported by the build.
        let config = crate::config::Config::load(&site_dir).ok();
        shared.cms = Some(Arc::new(cms::LocalBackend {
            site: site_dir.clone(),
            language: config
                .as_ref()
                .map_or_else(|| "en".into(), |c| c.language.clone()),
            translated: config
                .as_ref()
                .is_some_and(|c| !c.other_languages().is_empty()),
        }));
        let site_output = config
            .as_ref()
            .map_or_else(|| site_dir.join("public"), |c| site_dir.join(&c.output_dir));
        // Watching from before the first build: a file saved while it runs is not missed.
        let (watcher, changes) =
            watch::watch(&site_dir, vec![site_output, temp.path().to_path_buf()])?;
        let rebuilds = shared.clone();
        let verbose = options.verbose;
        let first_build = startup.clone();
        let rebuilds_thread = std::thread::Builder::new()
            .name("kring-rebuild".into())
            .spawn(move || {
                build_first(&mut dev, &first_build, &rebuilds, verbose);
                refresh_conversations(&dev);
                // Changes that came while a rebuild wrote its rest: the next batch.
                let mut waiting: Vec<PathBuf> = Vec::new();
                loop {
                    if waiting.is_empty() {
                        match changes.recv() {
                            Ok(paths) => waiting = paths,
                            Err(_) => return, // the watcher is gone: stopping
                        }
                    }
                    let paths = std::mem::take(&mut waiting);
                    rebuild(&mut dev, &paths, &rebuilds, verbose, || {
                        match changes.try_recv() {
                            Ok(more) => {
                                waiting.extend(more);
                                true
                            }
                            Err(mpsc::TryRecvError::Empty) => false,
                            Err(mpsc::TryRecvError::Disconnected) => true,
                        }
                    });
                }
            })
            .map_err(|e| Error::Usage(format!("cannot start the rebuild thread: {e}")))?;

        let (shutdown, stop) = oneshot::channel::<()>();
        listener
            .set_nonblocking(true)
            .map_err(|e| Error::Usage(e.to_string()))?;
        let app = server::router(shared);
        let server = std::thread::Builder::new()
            .name("kring-http".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .expect("a tokio runtime");
                runtime.block_on(async move {
                    let listener =
                        tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
                    let _ = axum::serve(listener, app)
                        .with_graceful_shutdown(async move {
                            let _ = stop.await;
                        })
                        .await;
                });
            })
            .map_err(|e| Error::Usage(format!("cannot start the server thread: {e}")))?;

        Ok(DevServer {
            addr,
            url,
            out,
            shutdown: Some(shutdown),
            server: Some(server),
            watcher: Some(watcher),
            rebuilds: Some(rebuilds_thread),
            startup,
            _temp: temp,
        })
    }

    /// Waits until the first build is over: [`start`](Self::start) returns as soon as the
    /// server listens, and requests wait for the pages they ask for.
    pub fn wait_built(&self) {
        self.startup.wait_over();
    }

    /// Stops serving and waits for open requests to finish.
    pub fn stop(mut self) {
        self.shutdown_now();
    }

    fn shutdown_now(&mut self) {
        // A first build still running ends at its next step, and its waiting requests with it.
        self.startup.stop();
        if let Some(s) = self.shutdown.take() {
            let _ = s.send(());
        }
        if let Some(h) = self.server.take() {
            let _ = h.join();
        }
        drop(self.watcher.take());
        if let Some(h) = self.rebuilds.take() {
            let _ = h.join();
        }
    }
}

impl Drop for DevServer {
    fn drop(&mut self) {
        self.shutdown_now();
    }
}

/// The first build, served while it runs (see [`first`]); when it fails, a page that carries
/// the error overlay until the site builds.
/// Asks the hosts for the conversations pages show, in a thread of its own, once the first
/// build has served what the cache held: the cache files it writes are a change the
/// watcher sees, and the pages are built again with them. A site that is `offline` or
/// does not `fetch` asks nothing.
fn refresh_conversations(dev: &DevSite) {
    let Some(loaded) = dev.loaded() else { return };
    let config = loaded.site.config.discussion.clone();
    if !config.fetch || config.offline {
        return;
    }
    let urls = crate::model::conversations::discuss_urls(&loaded.sites());
    if urls.is_empty() {
        return;
    }
    let spawned =
        crate::discussions::refresh_in_background(dev.site_dir.clone(), config, urls, |gathered| {
            for warning in gathered.warnings {
                eprintln!("warning: {warning}");
            }
        });
    if let Err(e) = spawned {
        eprintln!("warning: conversations not fetched: {e}");
    }
}

fn build_first(dev: &mut DevSite, startup: &Startup, shared: &Shared, verbose: bool) {
    let first = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| dev.first_build(startup)))
        .unwrap_or_else(|p| Err(Error::Bug(crate::error::panic_message(p.as_ref()))));
    match first {
        Ok(outcome) if verbose => {
            println!("Built the site in {} ms", outcome.elapsed.as_millis());
        }
        Ok(_) => {}
        Err(_) if startup.is_stopping() => {}
        Err(e) => {
            // Nothing good to show: what was written of a build that failed half-way goes.
            let out = &dev.out;
            let _ = crate::output::staging::remove_tree(out);
            let page = format!(
                "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>kring: build error</title></head><body><main><h1>The site did not build</h1><p>Fix the error and this page reloads.</p></main>{RELOAD_SCRIPT_TAG}</body></html>"
            );
            let written = std::fs::create_dir_all(out)
                .and_then(|()| std::fs::write(out.join("index.html"), &page))
                .and_then(|()| std::fs::write(out.join("404.html"), &page));
            if let Err(io) = written {
                eprintln!("error: {}", Error::io(out, io));
            }
            eprintln!("error: {e}");
            shared.publish(Notice::Error(e.to_string()));
        }
    }
    startup.over();
}

/// Applies one batch of changes; tells the browsers once the pages they show are written,
/// then writes the rest.
/// `interrupted` says whether a new change came: the rest then waits for the next rebuild,
/// which writes it with its own.
fn rebuild(
    dev: &mut DevSite,
    paths: &[PathBuf],
    shared: &Shared,
    verbose: bool,
    interrupted: impl FnMut() -> bool,
) {
    let shown = paths
        .iter()
        .filter_map(|p| p.strip_prefix(&dev.site_dir).ok())
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    match dev.apply_guarded(paths) {
        Ok(outcome) => {
            if outcome.written > 0 || outcome.full {
                if verbose {
                    println!(
                        "{} {} files in {} ms ({shown})",
                        if outcome.full {
                            "Rebuilt the site:"
                        } else {
                            "Updated"
                        },
                        outcome.written,
                        outcome.elapsed.as_millis()
                    );
                }
                shared.publish(if outcome.css_only {
                    Notice::Css
                } else {
                    Notice::Reload
                });
            }
            // The pages open in browsers are new; now the rest (of this rebuild, or what
            // one interrupted left).
            if outcome.pending > 0 {
                match dev.finish_guarded(interrupted) {
                    Ok(rest) if verbose && rest.written > 0 => println!(
                        "  … and the other {} files in {} ms",
                        rest.written,
                        rest.elapsed.as_millis()
                    ),
                    Ok(_) => {}
                    Err(e) => {
                        eprintln!("error: {e}");
                        shared.publish(Notice::Error(e.to_string()));
                    }
                }
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            shared.publish(Notice::Error(e.to_string()));
        }
    }
}

/// Opens `url` in the desktop's browser, if there is one.
pub fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        eprintln!("note: could not open a browser; visit {url}");
    }
}

/// `kring serve` until Ctrl-C.
pub fn run(options: &ServeOptions, open: bool) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(e.to_string()))?;
    // Ctrl-C, SIGTERM (a process manager, `kill`) and SIGHUP (the terminal closed) all stop
    // the server the same way, which removes its temporary folder. They are caught from
    // before the temporary folder exists: one that arrives during the first build is kept
    // and stops the server as soon as it runs.
    let stop = {
        let _inside = runtime.enter();
        stop_signal()
    };
    let server = DevServer::start(options)?;
    println!(
        "Serving {} at {}  (Ctrl-C to stop)",
        display(&options.site),
        server.url
    );
    if options.site.join("static/admin/index.html").is_file() {
        println!("Edit the content at {}admin/", server.url);
    }
    if open {
        open_browser(&server.url);
    }
    runtime.block_on(stop);
    println!("\nStopping.");
    server.stop();
    Ok(())
}

/// Registers for the stopping signals now; the future ends when one arrives.
#[cfg(unix)]
fn stop_signal() -> impl std::future::Future<Output = ()> {
    use tokio::signal::unix::{SignalKind, signal};
    let registered = (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
    );
    async move {
        match registered {
            (Ok(mut int), Ok(mut term), Ok(mut hup)) => {
                tokio::select! {
                    _ = int.recv() => {}
                    _ = term.recv() => {}
                    _ = hup.recv() => {}
                }
            }
            _ => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
}

#[cfg(not(unix))]
fn stop_signal() -> impl std::future::Future<Output = ()> {
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn display(p: &Path) -> String {
    p.display().to_string()
}
