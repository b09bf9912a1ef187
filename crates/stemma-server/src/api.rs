//! The JSON API: handlers, request shapes and the one error type.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use stemma_core::{Article, Body, Comparison, RawDoc, Relation};

use crate::backend::{Backend, BackendError, IngestSummary, SearchHit, Status};
use crate::{AppState, worddiff};

/// Longest document id accepted, in bytes.
pub const MAX_ID_BYTES: usize = 512;
/// Most documents one POST may carry.
pub const MAX_DOCS_PER_REQUEST: usize = 10_000;
/// Most search hits one request may ask for.
pub const MAX_SEARCH_LIMIT: usize = 100;

/// An API failure: a status code and a message, sent as
/// `{"error": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Human-readable reason (never holds internal details for 5xx).
    pub message: String,
}

impl ApiError {
    /// An error with `status` and `message`.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
        }
    }
    /// 400.
    pub fn bad_request(m: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, m)
    }
    /// 404.
    pub fn not_found(m: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, m)
    }
    /// 422.
    pub fn unprocessable(m: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, m)
    }
    /// 500; the detail goes to stderr, the client gets a generic message.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        eprintln!("stemma-server: internal error: {detail}");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(ErrorBody {
                error: &self.message,
            }),
        )
            .into_response()
    }
}

impl From<BackendError> for ApiError {
    fn from(e: BackendError) -> Self {
        match e {
            BackendError::Invalid { .. } => ApiError::unprocessable(e.to_string()),
            BackendError::Store(_) => ApiError::internal(e),
        }
    }
}

impl From<BytesRejection> for ApiError {
    fn from(r: BytesRejection) -> Self {
        let status = r.status();
        let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
            "request body too large".to_string()
        } else {
            r.body_text()
        };
        ApiError::new(status, message)
    }
}

/// A malformed or unknown query parameter.
impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::bad_request(r.body_text())
    }
}

type ApiResult<T> = Result<T, ApiError>;

/// Runs a backend call on a blocking thread.
async fn blocking<T, F>(state: &AppState, f: F) -> ApiResult<T>
where
    T: Send + 'static,
    F: FnOnce(&dyn Backend) -> Result<T, BackendError> + Send + 'static,
{
    let backend: Arc<dyn Backend> = state.backend.clone();
    tokio::task::spawn_blocking(move || f(backend.as_ref()))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::from)
}

/// One document as POSTed: `text` or `html`, exactly one.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IngestDoc {
    /// Stable identifier.
    pub id: String,
    /// Where it came from.
    #[serde(default)]
    pub url: Option<String>,
    /// Publish time, RFC 3339.
    #[serde(default)]
    pub published: Option<String>,
    /// Plain text body.
    #[serde(default)]
    pub text: Option<String>,
    /// HTML body.
    #[serde(default)]
    pub html: Option<String>,
}

impl IngestDoc {
    /// Validates and turns into a [`RawDoc`] whose origin is `origin`.
    pub fn into_raw(self, origin: &str) -> Result<RawDoc, ApiError> {
        let id = self.id;
        if id.trim().is_empty() {
            return Err(ApiError::unprocessable("document id is empty"));
        }
        if id.len() > MAX_ID_BYTES {
            return Err(ApiError::unprocessable(format!(
                "document id longer than {MAX_ID_BYTES} bytes"
            )));
        }
        if id.chars().any(char::is_control) {
            return Err(ApiError::unprocessable(format!(
                "document {id:?}: id holds control characters"
            )));
        }
        let body = match (self.text, self.html) {
            (Some(t), None) => Body::Text(t),
            (None, Some(h)) => Body::Html(h),
            (Some(_), Some(_)) => {
                return Err(ApiError::unprocessable(format!(
                    "document {id:?}: give \"text\" or \"html\", not both"
                )));
            }
            (None, None) => {
                return Err(ApiError::unprocessable(format!(
                    "document {id:?}: needs \"text\" or \"html\""
                )));
            }
        };
        if body.as_str().trim().is_empty() {
            return Err(ApiError::unprocessable(format!(
                "document {id:?}: body is empty"
            )));
        }
        Ok(RawDoc {
            id,
            url: self.url.filter(|u| !u.trim().is_empty()),
            published: self.published.filter(|p| !p.trim().is_empty()),
            origin: origin.to_string(),
            body,
        })
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    Many(Vec<serde_json::Value>),
    One(serde_json::Value),
}

/// Parses a POST body: one document object or an array of them.
pub fn parse_ingest_body(bytes: &[u8]) -> Result<Vec<RawDoc>, ApiError> {
    let value: OneOrMany = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::bad_request(format!("invalid JSON: {e}")))?;
    let values = match value {
        OneOrMany::Many(v) => v,
        OneOrMany::One(v) => vec![v],
    };
    if values.is_empty() {
        return Err(ApiError::unprocessable("no documents given"));
    }
    if values.len() > MAX_DOCS_PER_REQUEST {
        return Err(ApiError::unprocessable(format!(
            "more than {MAX_DOCS_PER_REQUEST} documents in one request"
        )));
    }
    let mut seen = std::collections::HashSet::new();
    let mut docs = Vec::with_capacity(values.len());
    for (n, v) in values.into_iter().enumerate() {
        let doc: IngestDoc = serde_json::from_value(v)
            .map_err(|e| ApiError::unprocessable(format!("document #{n}: {e}")))?;
        let raw = doc.into_raw("api")?;
        if !seen.insert(raw.id.clone()) {
            return Err(ApiError::unprocessable(format!(
                "document {:?} appears twice in one request",
                raw.id
            )));
        }
        docs.push(raw);
    }
    Ok(docs)
}

pub(crate) async fn ingest(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<(StatusCode, Json<IngestSummary>)> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            let mime = v.split(';').next().unwrap_or("").trim();
            mime.eq_ignore_ascii_case("application/json")
        })
        .unwrap_or(false);
    if !json {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "expected Content-Type: application/json",
        ));
    }
    let body = body?;
    let docs = parse_ingest_body(&body)?;
    let summary = blocking(&state, move |b| b.ingest(docs)).await?;
    let status = if summary.added.is_empty() && summary.replaced.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(summary)))
}

/// A row of the story list.
#[derive(Debug, Serialize, Deserialize)]
pub struct StoryRow {
    /// Story id.
    pub id: String,
    /// Display title.
    pub title: Option<String>,
    /// Member documents.
    pub documents: Vec<String>,
    /// Derivations inside the story.
    pub relations: usize,
    /// Unseen sources the story's documents derive from.
    pub unseen_sources: usize,
}

pub(crate) async fn stories(State(state): State<AppState>) -> ApiResult<Json<serde_json::Value>> {
    let report = blocking(&state, |b| b.report()).await?;
    // Counted through a document -> story map: one pass over relations and
    // unseen sources, whatever the number of stories.
    let story_of: HashMap<&str, usize> = report
        .stories
        .iter()
        .enumerate()
        .flat_map(|(k, s)| s.documents.iter().map(move |d| (d.as_str(), k)))
        .collect();
    let mut relations = vec![0; report.stories.len()];
    for r in &report.relations {
        if let Some(&k) = story_of.get(r.derivative.as_str()) {
            relations[k] += 1;
        }
    }
    let mut unseen = vec![0; report.stories.len()];
    for u in &report.unseen_sources {
        let mut in_stories: Vec<usize> = u
            .derivatives
            .iter()
            .filter_map(|d| story_of.get(d.as_str()).copied())
            .collect();
        in_stories.sort_unstable();
        in_stories.dedup();
        for k in in_stories {
            unseen[k] += 1;
        }
    }
    let rows: Vec<StoryRow> = report
        .stories
        .iter()
        .enumerate()
        .map(|(k, s)| StoryRow {
            id: s.id.clone(),
            title: s.title.clone(),
            documents: s.documents.clone(),
            relations: relations[k],
            unseen_sources: unseen[k],
        })
        .collect();
    Ok(Json(serde_json::json!({ "stories": rows })))
}

pub(crate) async fn story(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let key = id.clone();
    match blocking(&state, move |b| b.story(&key)).await? {
        Some(s) => Ok(Json(s).into_response()),
        None => Err(ApiError::not_found(format!("no story {id:?}"))),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DocumentsQuery {
    after: Option<String>,
    limit: Option<usize>,
}

/// Most documents one page of `GET /api/documents` holds.
const MAX_PAGE: usize = 10_000;

/// The stored documents in the report's order: all of them, or with
/// `limit` (at most [`MAX_PAGE`]) one page starting after the document
/// `after`, and `next` naming the last one when more follow.
pub(crate) async fn documents(
    State(state): State<AppState>,
    q: Result<Query<DocumentsQuery>, QueryRejection>,
) -> ApiResult<Json<serde_json::Value>> {
    let Query(q) = q?;
    if q.limit == Some(0) || q.limit.is_some_and(|l| l > MAX_PAGE) {
        return Err(ApiError::bad_request(format!("limit is 1 to {MAX_PAGE}")));
    }
    let report = blocking(&state, |b| b.report()).await?;
    let docs = &report.documents;
    let from = match &q.after {
        Some(id) => match docs.iter().position(|d| &d.id == id) {
            Some(k) => k + 1,
            None => {
                return Err(ApiError::bad_request(format!(
                    "no document {id:?} to start after"
                )));
            }
        },
        None => 0,
    };
    let Some(limit) = q.limit.or(q.after.as_ref().map(|_| MAX_PAGE)) else {
        return Ok(Json(serde_json::json!({ "documents": docs })));
    };
    let page = &docs[from..(from + limit).min(docs.len())];
    let next = (from + page.len() < docs.len())
        .then(|| page.last().map(|d| d.id.as_str()))
        .flatten();
    Ok(Json(serde_json::json!({ "documents": page, "next": next })))
}

pub(crate) async fn document(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Article>> {
    let key = id.clone();
    blocking(&state, move |b| b.article(&key))
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no document {id:?}")))
}

/// What the side-by-side view needs: both articles and their comparison.
#[derive(Debug, Serialize, Deserialize)]
pub struct CompareView {
    /// First (left) article.
    pub a: Article,
    /// Second (right) article.
    pub b: Article,
    /// The verdict; `a_span` indexes `a.text`, `b_span` `b.text`.
    pub comparison: Comparison,
    /// True when the word-level edits were filled in by the server's plain
    /// word diff because the comparison carried none.
    pub word_diff_fallback: bool,
}

#[derive(Deserialize)]
pub(crate) struct CompareQuery {
    a: Option<String>,
    b: Option<String>,
}

async fn compare_view(state: &AppState, a: String, b: String) -> ApiResult<CompareView> {
    let (ka, kb) = (a.clone(), b.clone());
    let found = blocking(state, move |be| {
        let (Some(x), Some(y)) = (be.article(&ka)?, be.article(&kb)?) else {
            return Ok(None);
        };
        Ok(be.compare(&ka, &kb)?.map(|c| (x, y, c)))
    })
    .await?;
    let Some((x, y, mut c)) = found else {
        return Err(ApiError::not_found(format!(
            "no document {a:?} or no document {b:?}"
        )));
    };
    let fallback = worddiff::enrich(&mut c, &x.text, &y.text);
    Ok(CompareView {
        a: x,
        b: y,
        comparison: c,
        word_diff_fallback: fallback,
    })
}

pub(crate) async fn compare(
    State(state): State<AppState>,
    q: Result<Query<CompareQuery>, QueryRejection>,
) -> ApiResult<Json<CompareView>> {
    let Query(q) = q?;
    let (Some(a), Some(b)) = (q.a, q.b) else {
        return Err(ApiError::bad_request("give both ?a= and ?b="));
    };
    Ok(Json(compare_view(&state, a, b).await?))
}

/// A derivation with the articles on both ends.
#[derive(Debug, Serialize, Deserialize)]
pub struct RelationView {
    /// The relation as the analysis found it (`a_span` in the source).
    pub relation: Relation,
    /// The source article; `null` for an unseen source.
    pub source: Option<Article>,
    /// The derivative article.
    pub derivative: Article,
}

pub(crate) async fn relation(
    State(state): State<AppState>,
    Path((source, derivative)): Path<(String, String)>,
) -> ApiResult<Json<RelationView>> {
    let (s, d) = (source.clone(), derivative.clone());
    let found = blocking(&state, move |b| {
        let Some(rel) = b.relation(&s, &d)? else {
            return Ok(None);
        };
        let src = b.article(&s)?;
        Ok(b.article(&d)?.map(|der| (rel, src, der)))
    })
    .await?;
    let (relation, source_article, derivative_article) = found
        .ok_or_else(|| ApiError::not_found(format!("no relation {source:?} -> {derivative:?}")))?;
    Ok(Json(RelationView {
        relation,
        source: source_article,
        derivative: derivative_article,
    }))
}

#[derive(Deserialize)]
pub(crate) struct SearchQuery {
    q: Option<String>,
    limit: Option<usize>,
}

pub(crate) async fn search(
    State(state): State<AppState>,
    q: Result<Query<SearchQuery>, QueryRejection>,
) -> ApiResult<Json<serde_json::Value>> {
    let Query(q) = q?;
    let query = q.q.unwrap_or_default();
    if query.trim().is_empty() {
        return Err(ApiError::bad_request("give a query: ?q="));
    }
    if query.len() > 1000 {
        return Err(ApiError::bad_request("query longer than 1000 bytes"));
    }
    let limit = q.limit.unwrap_or(20).clamp(1, MAX_SEARCH_LIMIT);
    let qq = query.clone();
    let hits: Vec<SearchHit> = blocking(&state, move |b| b.search(&qq, limit)).await?;
    Ok(Json(serde_json::json!({ "query": query, "hits": hits })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReportQuery {
    site: Option<String>,
    document: Option<String>,
}

/// Most sites and document ids one report query names.
const MAX_FOCUS: usize = 100;

/// The analysis report of everything served, narrowed to the documents of
/// `site` and to `document` ids (each a comma-separated list) when given:
/// what `stemma report --site --document` prints.
pub(crate) async fn report(
    State(state): State<AppState>,
    q: Result<Query<ReportQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(q) = q?;
    let list = |v: Option<String>| -> Vec<String> {
        v.unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect()
    };
    let focus = stemma_pipeline::Focus {
        sites: list(q.site),
        documents: list(q.document),
    };
    if focus.sites.len() + focus.documents.len() > MAX_FOCUS {
        return Err(ApiError::bad_request(format!(
            "name at most {MAX_FOCUS} sites and documents"
        )));
    }
    let report = blocking(&state, |b| b.report()).await?;
    Ok(if focus.is_empty() {
        Json(&*report).into_response()
    } else {
        Json(stemma_pipeline::narrowed(&report, &focus)).into_response()
    })
}

pub(crate) async fn status(State(state): State<AppState>) -> ApiResult<Json<Status>> {
    Ok(Json(blocking(&state, |b| b.status()).await?))
}

pub(crate) async fn not_found() -> ApiError {
    ApiError::not_found("no such route")
}
