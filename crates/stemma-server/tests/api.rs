//! The HTTP API driven in-process with `oneshot` over a `MemoryBackend`.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use stemma_core::{Article, Comparison, RawDoc, Report};
use stemma_server::{
    Backend, BackendError, CONTENT_SECURITY_POLICY, IngestSummary, MemoryBackend, SearchHit,
    ServerOptions, app,
};
use tower::ServiceExt;

const SOURCE: &str = "Harbour fire closes port\n\nHarbour officials said the fire started \
    at 3am in a warehouse near the north pier. Twelve crews fought the blaze for six hours. \
    The port will stay closed until Friday, officials said.";
const SPUN: &str = "Harbour fire closes port\n\nHarbour officers said the fire started \
    at 3am in a warehouse near the north pier. Twelve crews fought the blaze for six hours. \
    The port will stay closed until Friday, officers said.";
const HOSTILE: &str = "Breaking <script>alert(1)</script> news about the harbour \
    <img src=x onerror=alert(1)> and more text.";

fn router() -> Router {
    app(Arc::new(MemoryBackend::default()), ServerOptions::default())
}

async fn send(app: &Router, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, headers, body)
}

async fn get(app: &Router, uri: &str) -> (StatusCode, Value) {
    let (s, h, b) = send(app, Request::get(uri).body(Body::empty()).unwrap()).await;
    assert_eq!(
        h.get(header::CONTENT_TYPE).unwrap(),
        "application/json",
        "{uri} must answer JSON"
    );
    (s, serde_json::from_slice(&b).unwrap())
}

async fn post(app: &Router, body: impl Into<Body>) -> (StatusCode, Value) {
    let req = Request::post("/api/documents")
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.into())
        .unwrap();
    let (s, _, b) = send(app, req).await;
    (s, serde_json::from_slice(&b).unwrap_or(Value::Null))
}

async fn seeded() -> Router {
    let app = router();
    let (s, v) = post(
        &app,
        json!([
            {"id": "source", "url": "https://lakeside.example/fire", "text": SOURCE},
            {"id": "spun", "url": "https://farm.example/fire", "text": SPUN},
            {"id": "hostile", "text": HOSTILE},
        ])
        .to_string(),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    app
}

#[tokio::test]
async fn ingest_reports_added_then_unchanged_then_replaced() {
    let app = router();
    let one = json!({"id": "a", "text": "Some words here."}).to_string();
    let (s, v) = post(&app, one.clone()).await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(v["added"], json!(["a"]));
    assert_eq!(v["total"], 1);
    let (s, v) = post(&app, one).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["unchanged"], json!(["a"]));
    let (s, v) = post(&app, json!({"id": "a", "text": "Other words."}).to_string()).await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(v["replaced"], json!(["a"]));
    assert_eq!(v["total"], 1);
}

#[tokio::test]
async fn bad_ingest_bodies_get_json_errors() {
    let app = router();
    let cases: &[(&str, StatusCode)] = &[
        ("{not json", StatusCode::BAD_REQUEST),
        ("", StatusCode::BAD_REQUEST),
        (r#"{"id": "x"}"#, StatusCode::UNPROCESSABLE_ENTITY),
        (
            r#"{"id": "", "text": "t"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            r#"{"id": "x", "text": "   "}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            r#"{"id": "x", "text": "t", "html": "<p>t</p>"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            r#"{"id": "x", "text": "t", "evil": 1}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            r#"{"id": 7, "text": "t"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            r#"{"id": "a\u0000b", "text": "t"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        ("[]", StatusCode::UNPROCESSABLE_ENTITY),
        (
            r#"[{"id": "d", "text": "t"}, {"id": "d", "text": "u"}]"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        ("42", StatusCode::UNPROCESSABLE_ENTITY),
    ];
    for (body, want) in cases {
        let (s, v) = post(&app, body.to_string()).await;
        assert_eq!(s, *want, "body {body:?} -> {v}");
        assert!(v["error"].is_string(), "body {body:?} -> {v}");
    }
    // Nothing of the rejected bodies was stored.
    let (_, v) = get(&app, "/api/documents").await;
    assert_eq!(v["documents"], json!([]));
}

#[tokio::test]
async fn ingest_needs_json_content_type() {
    let app = router();
    let req = Request::post("/api/documents")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from(r#"{"id":"a","text":"t"}"#))
        .unwrap();
    let (s, _, b) = send(&app, req).await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert!(v["error"].as_str().unwrap().contains("application/json"));
}

#[tokio::test]
async fn oversized_body_is_413_json() {
    let opts = ServerOptions {
        max_body_bytes: 1024,
        ..ServerOptions::default()
    };
    let app = app(Arc::new(MemoryBackend::default()), opts);
    let big = json!({"id": "big", "text": "x".repeat(4096)}).to_string();
    let (s, v) = post(&app, big).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{v}");
    assert!(v["error"].is_string());
    // Also without a Content-Length (a streamed body).
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..8).map(|_| Ok(vec![b' '; 512])).collect();
    let stream = Body::from_stream(futures_util::stream::iter(chunks));
    let (s, v) = post(&app, stream).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{v}");
}

#[tokio::test]
async fn every_endpoint_answers() {
    let app = seeded().await;

    let (s, v) = get(&app, "/api/documents").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["documents"].as_array().unwrap().len(), 3);
    let all: Vec<Value> = v["documents"].as_array().unwrap().to_vec();
    // Pages of two: the first names where the second starts, the last
    // names none; together they are the whole list.
    let (s, p1) = get(&app, "/api/documents?limit=2").await;
    assert_eq!(s, StatusCode::OK, "{p1}");
    assert_eq!(p1["documents"].as_array().unwrap()[..], all[..2]);
    let next = p1["next"].as_str().expect("a next page").to_string();
    let (s, p2) = get(&app, &format!("/api/documents?after={next}&limit=2")).await;
    assert_eq!(s, StatusCode::OK, "{p2}");
    assert_eq!(p2["documents"].as_array().unwrap()[..], all[2..]);
    assert!(p2["next"].is_null(), "{p2}");
    for bad in [
        "/api/documents?limit=0",
        "/api/documents?limit=10001",
        "/api/documents?after=nope",
        "/api/documents?page=2",
    ] {
        let (s, v) = get(&app, bad).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {v}");
        assert!(v["error"].is_string(), "{bad}: {v}");
    }

    let (s, v) = get(&app, "/api/stories").await;
    assert_eq!(s, StatusCode::OK);
    let stories = v["stories"].as_array().unwrap();
    let n: usize = stories
        .iter()
        .map(|s| s["documents"].as_array().unwrap().len())
        .sum();
    assert_eq!(n, 3, "every document in exactly one story");
    let sid = stories[0]["id"].as_str().unwrap().to_string();

    let (s, v) = get(&app, &format!("/api/stories/{sid}")).await;
    assert_eq!(s, StatusCode::OK);
    for key in [
        "story",
        "documents",
        "relations",
        "unseen_sources",
        "independent",
    ] {
        assert!(!v[key].is_null(), "story detail lacks {key}: {v}");
    }

    let (s, v) = get(&app, "/api/documents/source").await;
    assert_eq!(s, StatusCode::OK);
    assert!(v["text"].as_str().unwrap().contains("officials"));

    let (s, v) = get(&app, "/api/compare?a=source&b=spun").await;
    assert_eq!(s, StatusCode::OK);
    assert!(v["a"]["text"].as_str().unwrap().contains("officials"));
    assert!(v["b"]["text"].as_str().unwrap().contains("officers"));
    let c: Comparison = serde_json::from_value(v["comparison"].clone()).unwrap();
    let (a, b) = (
        v["a"]["text"].as_str().unwrap(),
        v["b"]["text"].as_str().unwrap(),
    );
    // The spinner's swap shows up as a substitution, whoever computed it.
    let subs: Vec<(&str, &str)> = c
        .evidence
        .iter()
        .flat_map(|e| &e.diff)
        .filter_map(|op| match op {
            stemma_core::DiffOp::Substitute { a: sa, b: sb, .. } => {
                Some((sa.slice(a).unwrap(), sb.slice(b).unwrap()))
            }
            _ => None,
        })
        .collect();
    assert!(
        subs.iter()
            .any(|(x, y)| x.contains("officials") && y.contains("officers")),
        "{subs:?}"
    );

    let (s, v) = get(&app, "/api/search?q=warehouse%20pier").await;
    assert_eq!(s, StatusCode::OK);
    let ids: Vec<&str> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"source") && ids.contains(&"spun"), "{ids:?}");
    assert!(!ids.contains(&"hostile"));

    let (s, v) = get(&app, "/api/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["openapi"], "3.0.3");
}

#[tokio::test]
async fn missing_things_are_404_json() {
    let app = seeded().await;
    for uri in [
        "/api/documents/nope",
        "/api/stories/nope",
        "/api/compare?a=source&b=nope",
        "/api/relations/source/nope",
        "/api/no-such-route",
        "/no-such-page",
    ] {
        let (s, v) = get(&app, uri).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{uri}");
        assert!(v["error"].is_string(), "{uri}");
    }
}

#[tokio::test]
async fn bad_queries_are_400_json() {
    let app = seeded().await;
    for uri in [
        "/api/search",
        "/api/search?q=",
        "/api/search?q=fire&limit=lots",
        "/api/compare?a=source",
        "/api/compare",
    ] {
        let (s, v) = get(&app, uri).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{uri}: {v}");
        assert!(v["error"].is_string(), "{uri}");
    }
}

#[tokio::test]
async fn hostile_text_comes_back_intact_as_json_text() {
    let app = seeded().await;
    let (s, h, b) = send(
        &app,
        Request::get("/api/documents/hostile")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h.get(header::CONTENT_TYPE).unwrap(), "application/json");
    let a: Article = serde_json::from_slice(&b).unwrap();
    assert!(a.text.contains("<script>alert(1)</script>"), "{:?}", a.text);
    assert!(
        a.text.contains("<img src=x onerror=alert(1)>"),
        "{:?}",
        a.text
    );
}

#[tokio::test]
async fn security_headers_on_every_response() {
    let app = seeded().await;
    for uri in [
        "/",
        "/app.js",
        "/style.css",
        "/api/stories",
        "/api/documents/nope",
    ] {
        let (_, h, _) = send(&app, Request::get(uri).body(Body::empty()).unwrap()).await;
        assert_eq!(
            h.get(header::CONTENT_SECURITY_POLICY).unwrap(),
            CONTENT_SECURITY_POLICY,
            "{uri}"
        );
        assert_eq!(
            h.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
            "nosniff",
            "{uri}"
        );
    }
    assert!(CONTENT_SECURITY_POLICY.contains("script-src 'self'"));
    assert!(!CONTENT_SECURITY_POLICY.contains("unsafe-inline"));
}

#[tokio::test]
async fn page_has_no_inline_script_and_no_html_sinks() {
    let app = router();
    let (s, h, b) = send(&app, Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        h.get(header::CONTENT_TYPE)
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = String::from_utf8(b).unwrap();
    for (i, _) in html.match_indices("<script") {
        let tag = &html[i..i + html[i..].find('>').unwrap()];
        assert!(tag.contains("src="), "inline script: {tag}");
    }
    let (_, h, js) = send(&app, Request::get("/app.js").body(Body::empty()).unwrap()).await;
    assert!(
        h.get(header::CONTENT_TYPE)
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    let js = String::from_utf8(js).unwrap();
    let code: String = js
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
    ] {
        assert!(!code.contains(sink), "app.js uses {sink}");
    }
}

#[tokio::test]
async fn openapi_lists_every_api_route() {
    let app = router();
    let (_, v) = get(&app, "/api/openapi.json").await;
    let paths = v["paths"].as_object().unwrap();
    for p in [
        "/api/documents",
        "/api/documents/{id}",
        "/api/stories",
        "/api/stories/{id}",
        "/api/relations/{source}/{derivative}",
        "/api/compare",
        "/api/search",
        "/api/status",
        "/api/report",
        "/api/openapi.json",
    ] {
        assert!(paths.contains_key(p), "openapi lacks {p}");
    }
    assert!(paths["/api/documents"]["post"]["responses"]["413"].is_object());
}

/// A backend that never answers in time, and one that fails.
struct Slow;
impl Backend for Slow {
    fn report(&self) -> Result<Arc<Report>, BackendError> {
        std::thread::sleep(Duration::from_millis(500));
        Ok(Arc::default())
    }
    fn article(&self, _: &str) -> Result<Option<Article>, BackendError> {
        Err(BackendError::Store("disk on fire at /secret/path".into()))
    }
    fn compare(&self, _: &str, _: &str) -> Result<Option<Comparison>, BackendError> {
        Ok(None)
    }
    fn ingest(&self, _: Vec<RawDoc>) -> Result<IngestSummary, BackendError> {
        Ok(IngestSummary::default())
    }
    fn search(&self, _: &str, _: usize) -> Result<Vec<SearchHit>, BackendError> {
        Ok(vec![])
    }
}

#[tokio::test]
async fn slow_backend_times_out_and_store_errors_are_500_without_details() {
    let opts = ServerOptions {
        timeout: Duration::from_millis(50),
        ..ServerOptions::default()
    };
    let app = app(Arc::new(Slow), opts);
    let (s, v) = get(&app, "/api/stories").await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{v}");
    let (s, v) = get(&app, "/api/documents/x").await;
    assert_eq!(s, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(v["error"], "internal error");
}

#[tokio::test]
async fn concurrency_is_bounded() {
    // One slot and a short timeout: of two simultaneous slow requests, one
    // waits for the slot past its deadline.
    let opts = ServerOptions {
        timeout: Duration::from_millis(800),
        max_concurrency: 1,
        ..ServerOptions::default()
    };
    let app = app(Arc::new(Slow), opts);
    let (r1, r2) = tokio::join!(get(&app, "/api/stories"), get(&app, "/api/stories"));
    let mut codes = [r1.0, r2.0];
    codes.sort();
    assert_eq!(codes, [StatusCode::OK, StatusCode::SERVICE_UNAVAILABLE]);
}

/// A backend answering a fixed report: a wire copy of an unseen source,
/// a spun copy of the wire, and an independent report.
struct Fixed;
impl Fixed {
    fn art(id: &str) -> Article {
        Article {
            id: id.into(),
            text: format!("text of {id}"),
            ..Article::default()
        }
    }
}
impl Backend for Fixed {
    fn report(&self) -> Result<Arc<Report>, BackendError> {
        let v = json!({
            "documents": [
                {"id": "wire", "title": "W", "chars": 10, "boilerplate_chars": 0, "story": "s1"},
                {"id": "spun", "title": "S", "chars": 10, "boilerplate_chars": 0, "story": "s1"},
                {"id": "indep", "title": "I", "chars": 10, "boilerplate_chars": 0, "story": "s1"},
                {"id": "other", "title": "O", "chars": 10, "boilerplate_chars": 0, "story": "s2"}
            ],
            "stories": [
                {"id": "s1", "documents": ["wire", "spun", "indep"], "title": "W"},
                {"id": "s2", "documents": ["other"]}
            ],
            "relations": [
                {"source": "unseen:1", "derivative": "wire", "kind": "verbatim", "confidence": 0.9,
                 "evidence": [], "drift": []},
                {"source": "wire", "derivative": "spun", "kind": "spun", "confidence": 0.8,
                 "evidence": [{"a_span": [0, 4], "b_span": [0, 4], "similarity": 0.9,
                               "diff": [{"op": "substitute", "a": [0, 4], "b": [0, 4], "synonym": true}]}],
                 "drift": [{"kind": "number", "source_span": [0, 1], "derivative_span": [0, 1],
                            "source_value": "12", "derivative_value": "15"}]}
            ],
            "unseen_sources": [{"id": "unseen:1", "derivatives": ["wire"], "cited": "bbc.com"}],
            "independent": [{"a": "wire", "b": "indep", "similarity": 0.3}]
        });
        Ok(Arc::new(serde_json::from_value(v).unwrap()))
    }
    fn article(&self, id: &str) -> Result<Option<Article>, BackendError> {
        Ok(["wire", "spun", "indep", "other"]
            .contains(&id)
            .then(|| Fixed::art(id)))
    }
    fn compare(&self, _: &str, _: &str) -> Result<Option<Comparison>, BackendError> {
        Ok(None)
    }
    fn ingest(&self, _: Vec<RawDoc>) -> Result<IngestSummary, BackendError> {
        Err(BackendError::Invalid {
            id: "x".into(),
            reason: "read-only".into(),
        })
    }
    fn search(&self, _: &str, _: usize) -> Result<Vec<SearchHit>, BackendError> {
        Ok(vec![])
    }
}

#[tokio::test]
async fn story_detail_carries_the_derivation_graph() {
    let app = app(Arc::new(Fixed), ServerOptions::default());
    let (s, v) = get(&app, "/api/stories").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["stories"][0]["relations"], 2);
    assert_eq!(v["stories"][0]["unseen_sources"], 1);
    assert_eq!(v["stories"][1]["relations"], 0);

    let (s, v) = get(&app, "/api/stories/s1").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["documents"].as_array().unwrap().len(), 3);
    assert_eq!(v["relations"].as_array().unwrap().len(), 2);
    assert_eq!(v["unseen_sources"][0]["cited"], "bbc.com");
    assert_eq!(v["independent"][0]["b"], "indep");

    let (s, v) = get(&app, "/api/stories/s2").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["relations"], json!([]));
    assert_eq!(v["unseen_sources"], json!([]));
}

#[tokio::test]
async fn relation_endpoint_returns_evidence_drift_and_texts() {
    let app = app(Arc::new(Fixed), ServerOptions::default());
    let (s, v) = get(&app, "/api/relations/wire/spun").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["relation"]["kind"], "spun");
    assert_eq!(v["relation"]["evidence"][0]["diff"][0]["op"], "substitute");
    assert_eq!(v["relation"]["drift"][0]["derivative_value"], "15");
    assert_eq!(v["source"]["text"], "text of wire");
    assert_eq!(v["derivative"]["text"], "text of spun");

    // An unseen source has no article.
    let (s, v) = get(&app, "/api/relations/unseen:1/wire").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v["source"].is_null());

    // Ids are percent-decoded path segments.
    let (s, _) = get(&app, "/api/relations/unseen%3A1/wire").await;
    assert_eq!(s, StatusCode::OK);

    let (s, v) = get(&app, "/api/relations/spun/wire").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(v["error"].is_string());
}

#[tokio::test]
async fn invalid_ingest_from_backend_is_422() {
    let app = app(Arc::new(Fixed), ServerOptions::default());
    let (s, v) = post(&app, json!({"id": "a", "text": "t"}).to_string()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["error"].as_str().unwrap().contains("read-only"));
}

mod props {
    use proptest::prelude::*;
    use stemma_core::{DiffOp, Span};
    use stemma_server::{parse_ingest_body, worddiff::word_diff};

    proptest! {
        /// Any body either parses or yields a 400/422 error; never a panic.
        #[test]
        fn ingest_bodies_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            if let Err(e) = parse_ingest_body(&bytes) {
                prop_assert!(e.status == 400 || e.status == 422, "{:?}", e);
            }
        }

        #[test]
        fn json_shaped_bodies_never_panic(s in r#"[\[\]{}",:a-z0-9 \\]{0,80}"#) {
            let _ = parse_ingest_body(s.as_bytes());
        }

        /// Diff ops are in text order, inside both texts, on character
        /// boundaries, and Equal ops pair equal words.
        #[test]
        fn word_diff_spans_are_sound(a in "[a-cé ,.]{0,40}", b in "[a-cé ,.]{0,40}") {
            let ops = word_diff(&a, Span::new(0, a.len()), &b, Span::new(0, b.len()));
            let (mut la, mut lb) = (0, 0);
            for op in &ops {
                let (sa, sb) = match op {
                    DiffOp::Equal { a, b } | DiffOp::Substitute { a, b, .. } => (Some(*a), Some(*b)),
                    DiffOp::Insert { b } => (None, Some(*b)),
                    DiffOp::Delete { a } => (Some(*a), None),
                };
                if let Some(s) = sa {
                    prop_assert!(s.start >= la && s.slice(&a).is_some());
                    la = s.end;
                }
                if let Some(s) = sb {
                    prop_assert!(s.start >= lb && s.slice(&b).is_some());
                    lb = s.end;
                }
                if let DiffOp::Equal { a: x, b: y } = op {
                    let w = |t: &str, s: Span| t[s.start..s.end]
                        .split(|c: char| !c.is_alphanumeric())
                        .filter(|w| !w.is_empty())
                        .map(str::to_lowercase)
                        .collect::<Vec<_>>();
                    prop_assert_eq!(w(&a, *x), w(&b, *y));
                }
            }
        }
    }
}

#[tokio::test]
async fn status_counts_what_is_held_and_names_the_verifier() {
    let app = router();
    let (s, v) = get(&app, "/api/status").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["documents"], 0);
    let app = seeded().await;
    let (s, v) = get(&app, "/api/status").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["documents"], 3);
    assert_eq!(v["relations"], 1, "{v}");
    assert_eq!(v["read_only"], false);
    assert_eq!(v["verifier_version"], stemma_pipeline::VERIFIER_VERSION);
    assert_eq!(v["stored_verifier_version"], v["verifier_version"]);
}

#[tokio::test]
async fn the_report_narrows_to_sites_and_documents() {
    let app = seeded().await;
    let ids = |v: &Value, key: &str, field: &str| -> Vec<String> {
        let mut out: Vec<String> = v[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x[field].as_str().unwrap().to_string())
            .collect();
        out.sort();
        out
    };
    let (s, all) = get(&app, "/api/report").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(ids(&all, "documents", "id"), ["hostile", "source", "spun"]);
    // (query, documents kept, derivatives kept)
    let cases: &[(&str, &[&str], &[&str])] = &[
        ("site=lakeside.example", &["source", "spun"], &["spun"]),
        (
            "site=https://www.farm.example/,nowhere.example",
            &["source", "spun"],
            &["spun"],
        ),
        ("document=hostile", &["hostile"], &[]),
        ("site=nowhere.example", &[], &[]),
    ];
    for &(query, docs, derivatives) in cases {
        let (s, v) = get(&app, &format!("/api/report?{query}")).await;
        assert_eq!(s, StatusCode::OK, "{query}: {v}");
        assert_eq!(ids(&v, "documents", "id"), docs, "{query}");
        assert_eq!(ids(&v, "relations", "derivative"), derivatives, "{query}");
    }
    let (s, v) = get(&app, "/api/report?sites=lakeside.example").await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let many = vec!["x.example"; 101].join(",");
    let (s, _) = get(&app, &format!("/api/report?site={many}")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}
