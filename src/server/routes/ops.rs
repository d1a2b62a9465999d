//! Operations: `GET /healthz` (liveness), `GET /readyz` (readiness: quotes are loaded),
//! `GET /metrics` (Prometheus) and `GET /openapi.json`. Fixed types, no negotiation, so probes
//! and scrapers never see a 406.

use super::{Answers, Endpoint, Reply, respond};
use crate::server::errors::ApiError;
use crate::server::metrics::CorpusGauges;
use crate::server::openapi;
use actix_web::http::StatusCode;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use std::sync::OnceLock;
use std::time::UNIX_EPOCH;

/// `GET /healthz`.
pub static HEALTHZ: Endpoint = Endpoint {
    path: "/healthz",
    summary: "Liveness: the process answers",
    description: "Always `ok` while the server runs.",
    params: &[],
    answers: Answers::PlainText,
};

/// `GET /readyz`.
pub static READYZ: Endpoint = Endpoint {
    path: "/readyz",
    summary: "Readiness: quotes are loaded",
    description: "`ready` with 200 when at least one quote is loaded, else 503.",
    params: &[],
    answers: Answers::PlainText,
};

/// `GET /metrics`.
pub static METRICS: Endpoint = Endpoint {
    path: "/metrics",
    summary: "Prometheus metrics",
    description: "Requests by route and status, a latency histogram per route, quotes served, \
                  corpus size and reloads, in the OpenMetrics text format 1.0.0 \
                  (`application/openmetrics-text`, written by `prometheus-client`).",
    params: &[],
    answers: Answers::PlainText,
};

/// `GET /openapi.json`.
pub static OPENAPI: Endpoint = Endpoint {
    path: "/openapi.json",
    summary: "This API as an OpenAPI 3.1 document",
    description: "Generated from the same declarations that validate requests.",
    params: &[],
    answers: Answers::Json,
};

const PLAIN: &str = "text/plain; charset=utf-8";

/// Handler of `/healthz`.
pub async fn healthz(req: HttpRequest) -> HttpResponse {
    respond(&req, &HEALTHZ, |_, _| Ok(Reply::typed(PLAIN, "ok\n")))
}

/// Handler of `/readyz`.
pub async fn readyz(req: HttpRequest) -> HttpResponse {
    respond(&req, &READYZ, |_, state| {
        if state.loaded().corpus.quotes().is_empty() {
            Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "not ready: no quotes are loaded",
            ))
        } else {
            Ok(Reply::typed(PLAIN, "ready\n"))
        }
    })
}

/// Handler of `/metrics`.
pub async fn metrics(req: HttpRequest) -> HttpResponse {
    respond(&req, &METRICS, |_, state| {
        let snapshot = state.loaded();
        let gauges = CorpusGauges {
            quotes: snapshot.corpus.quotes().len(),
            collections: snapshot.corpus.collections().len(),
            loaded_at: snapshot
                .loaded_at
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
        };
        Ok(Reply::typed(
            crate::server::metrics::CONTENT_TYPE,
            state.metrics().render(gauges),
        ))
    })
}

/// Handler of `/openapi.json`.
pub async fn openapi(req: HttpRequest) -> HttpResponse {
    static DOCUMENT: OnceLock<Bytes> = OnceLock::new();
    let body = DOCUMENT
        .get_or_init(|| {
            Bytes::from(serde_json::to_vec_pretty(&openapi::document()).unwrap_or_default())
        })
        .clone();
    respond(&req, &OPENAPI, |_, _| {
        Ok(Reply::typed("application/json", body).etag())
    })
}
