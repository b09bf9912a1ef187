//! The Stemma HTTP service: a JSON API over a [`Backend`] and a web page
//! for browsing the evidence (story list, family tree of copies,
//! side-by-side view of two documents).
//!
//! | route | answer |
//! |---|---|
//! | `POST /api/documents` | ingest one `{"id","url","published","text"\|"html"}` or an array; [`IngestSummary`] |
//! | `GET /api/documents?limit=&after=` | every document's summary row; with `limit` or `after`, one page and the `next` page's `after` |
//! | `GET /api/documents/{id}` | one [`stemma_core::Article`] with its text |
//! | `GET /api/stories` | story rows ([`StoryRow`]) |
//! | `GET /api/stories/{id}` | [`StoryDetail`]: documents, relations, unseen sources, independent links |
//! | `GET /api/relations/{source}/{derivative}` | [`RelationView`]: evidence, drift, both articles |
//! | `GET /api/compare?a=&b=` | [`CompareView`]: both articles and their comparison |
//! | `GET /api/search?q=&limit=` | [`SearchHit`]s |
//! | `GET /api/report?site=&document=` | the analysis report ([`stemma_core::Report`]), narrowed to those sites' documents and ids (comma-separated) when given |
//! | `GET /api/openapi.json` | the OpenAPI 3 description |
//! | `GET /`, `/app.js`, `/style.css` | the page |
//!
//! Errors are `{"error": "..."}` with 400/404/413/415/422/500/503 ([`ApiError`]).
//! Every response carries [`CONTENT_SECURITY_POLICY`] and
//! `X-Content-Type-Options: nosniff`. Bodies are capped
//! ([`ServerOptions::max_body_bytes`]), requests time out
//! ([`ServerOptions::timeout`]; a backend call already started finishes in
//! the background) and at most [`ServerOptions::max_concurrency`] run at once.
//!
//! The API never touches the file system: documents come in as JSON
//! bodies, and the page's assets are compiled into the binary.
//!
//! ```
//! use std::sync::Arc;
//! use stemma_server::{app, MemoryBackend, ServerOptions};
//!
//! let router = app(Arc::new(MemoryBackend::default()), ServerOptions::default());
//! # let _ = router;
//! ```
#![deny(missing_docs)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::Semaphore;

mod api;
mod backend;
mod conn;
mod store_backend;
mod web;
pub mod worddiff;

pub use api::{
    ApiError, CompareView, IngestDoc, MAX_DOCS_PER_REQUEST, MAX_ID_BYTES, MAX_SEARCH_LIMIT,
    RelationView, StoryRow, parse_ingest_body,
};
pub use backend::{
    Backend, BackendError, IngestSummary, MemoryBackend, SearchHit, Status, StoryDetail,
    score_text, snippet,
};
pub use conn::{CONNECTION_IDLE_TIMEOUT, MAX_CONNECTIONS};
pub use store_backend::{Maintenance, StoreBackend};

/// The Content-Security-Policy sent with every response: scripts and
/// styles only from this server, no inline script, no plugins, no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; \
    form-action 'self'; frame-ancestors 'none'";

/// Limits of the service.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// Largest request body accepted, in bytes (413 beyond). Default 8 MiB.
    pub max_body_bytes: usize,
    /// Longest time one request may take, waiting for a slot included
    /// (503 beyond). Default 30 s.
    pub timeout: Duration,
    /// Requests handled at once; more wait for a slot. Default 64.
    pub max_concurrency: usize,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            max_body_bytes: 8 * 1024 * 1024,
            timeout: Duration::from_secs(30),
            max_concurrency: 64,
        }
    }
}

/// Shared state of the handlers.
#[derive(Clone)]
pub(crate) struct AppState {
    pub(crate) backend: Arc<dyn Backend>,
}

#[derive(Clone)]
struct Limits {
    timeout: Duration,
    max_body: usize,
    slots: Arc<Semaphore>,
}

/// The whole service (API and page) over `state`.
pub fn app(state: Arc<dyn Backend>, opts: ServerOptions) -> Router {
    let limits = Limits {
        timeout: opts.timeout,
        max_body: opts.max_body_bytes,
        slots: Arc::new(Semaphore::new(opts.max_concurrency.max(1))),
    };
    let api = Router::new()
        .route("/documents", get(api::documents).post(api::ingest))
        .route("/documents/{id}", get(api::document))
        .route("/stories", get(api::stories))
        .route("/stories/{id}", get(api::story))
        .route("/relations/{source}/{derivative}", get(api::relation))
        .route("/compare", get(api::compare))
        .route("/search", get(api::search))
        .route("/status", get(api::status))
        .route("/report", get(api::report))
        .route("/openapi.json", get(web::openapi))
        .fallback(api::not_found);
    Router::new()
        .nest("/api", api)
        .route("/", get(web::index))
        .route("/app.js", get(web::app_js))
        .route("/style.css", get(web::style_css))
        .fallback(api::not_found)
        .with_state(AppState { backend: state })
        .layer(DefaultBodyLimit::max(opts.max_body_bytes))
        .layer(middleware::from_fn_with_state(limits, limit))
        .layer(middleware::from_fn(security_headers))
}

/// Bounds concurrency (waiting for a slot) and time (slot wait included).
async fn limit(State(limits): State<Limits>, req: Request, next: Next) -> Response {
    // A body declared too large is refused at once, without waiting to read it.
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limits.max_body as u64) {
        return ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "request body too large")
            .into_response();
    }
    let work = async {
        let _permit = match limits.slots.acquire().await {
            Ok(p) => p,
            Err(_) => return ApiError::internal("request slots closed").into_response(),
        };
        next.run(req).await
    };
    match tokio::time::timeout(limits.timeout, work).await {
        Ok(r) => r,
        Err(_) => {
            ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "request timed out").into_response()
        }
    }
}

async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    res
}

/// Serves `app` on `addr` until Ctrl-C or SIGTERM.
pub async fn serve(addr: SocketAddr, app: Router) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    serve_listener(listener, app).await
}

/// Serves `app` on an already bound listener until Ctrl-C or SIGTERM (bind port 0
/// and read `local_addr` to get a free port). At most [`MAX_CONNECTIONS`]
/// connections are open at once, and one idle for
/// [`CONNECTION_IDLE_TIMEOUT`] is closed.
pub async fn serve_listener(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    serve_listener_with_idle_timeout(listener, app, CONNECTION_IDLE_TIMEOUT).await
}

/// [`serve_listener`] with another idle timeout for connections (nothing
/// read or written for that long closes the connection).
pub async fn serve_listener_with_idle_timeout(
    listener: tokio::net::TcpListener,
    app: Router,
    idle: Duration,
) -> std::io::Result<()> {
    axum::serve(conn::GuardedListener::new(listener, idle), app)
        .with_graceful_shutdown(shutdown_signal())
        .await
}

/// Resolves on Ctrl-C (SIGINT) or, on Unix, SIGTERM (what `kill` and service
/// managers send), so that the store behind the app is closed cleanly.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Serves `app` on `addr` until Ctrl-C or SIGTERM on a runtime of its own, calling
/// `ready` with the bound address once listening (for binaries that are
/// not async themselves).
pub fn serve_blocking(
    addr: SocketAddr,
    app: Router,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        ready(listener.local_addr()?);
        serve_listener(listener, app).await
    })
}
