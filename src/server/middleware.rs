//! The outermost middleware: refuses over-long URIs (414), large bodies (413) and requests
//! framed both by `Content-Length` and `Transfer-Encoding` (400, connection closed) before
//! routing, counts every response in the metrics, writes one access-log line per request (with
//! `--access-log`), and marks the `ETag` of compressed variants (`"tag-gzip"`) so validators
//! stay strong. One layer for all of it keeps the per-request cost of the plain `/random` path
//! close to a bare actix-web handler. It wraps the CORS layer ([`super::cors`]), so preflights
//! are counted and logged too.

use super::errors::ApiError;
use super::logging;
use super::metrics;
use super::routes::error_format;
use super::state::AppState;
use actix_web::Error;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use pin_project_lite::pin_project;
use std::future::{Future, Ready, ready};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Instant;

/// Longest path plus query string accepted, in bytes.
pub const MAX_URI: usize = 2048;
/// Largest request body accepted, in bytes.
pub const MAX_BODY: usize = 64 * 1024;

/// Factory of [`ObserveService`].
#[derive(Debug, Clone)]
pub struct Observe {
    state: AppState,
    access_log: bool,
}

impl Observe {
    /// Observes requests against `state`'s metrics; `access_log` writes a line per request.
    pub fn new(state: AppState, access_log: bool) -> Observe {
        Observe { state, access_log }
    }
}

impl<S, B> Transform<S, ServiceRequest> for Observe
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = ObserveService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(ObserveService {
            service,
            state: Rc::new(self.state.clone()),
            access_log: self.access_log,
        }))
    }
}

/// See the module documentation. One per worker; the state handle is worker-local (`Rc`), so
/// requests never touch a reference count shared with other workers.
#[derive(Debug)]
pub struct ObserveService<S> {
    service: S,
    state: Rc<AppState>,
    access_log: bool,
}

pin_project! {
    /// The response of [`ObserveService`]: the inner service's, observed on the way out, or
    /// one made before routing (the limits).
    #[project = ObserveProjection]
    pub enum ObserveFuture<F, B> {
        /// Waiting for the inner service.
        Inner {
            #[pin]
            inner: F,
            state: Rc<AppState>,
            start: Instant,
            access_log: bool,
        },
        /// Answered already.
        Done { response: Option<ServiceResponse<EitherBody<B>>> },
    }
}

impl<F, B> Future for ObserveFuture<F, B>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
{
    type Output = Result<ServiceResponse<EitherBody<B>>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            ObserveProjection::Inner {
                inner,
                state,
                start,
                access_log,
            } => {
                let mut res = match inner.poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(result) => result?,
                };
                mark_encoded_etag(&mut res);
                observe(state, &res, *start, *access_log);
                Poll::Ready(Ok(res.map_into_left_body()))
            }
            ObserveProjection::Done { response } => match response.take() {
                Some(response) => Poll::Ready(Ok(response)),
                None => Poll::Pending,
            },
        }
    }
}

impl<S, B> Service<ServiceRequest> for ObserveService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = ObserveFuture<S::Future, B>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let start = Instant::now();
        if let Some(Refusal { error, close }) = refuse(&req) {
            let mut response = error.response(error_format(req.request()));
            if close {
                response
                    .head_mut()
                    .set_connection_type(actix_web::http::ConnectionType::Close);
            }
            let res = req.into_response(response).map_into_right_body();
            observe(&self.state, &res, start, self.access_log);
            return ObserveFuture::Done {
                response: Some(res),
            };
        }
        ObserveFuture::Inner {
            inner: self.service.call(req),
            state: Rc::clone(&self.state),
            start,
            access_log: self.access_log,
        }
    }
}

/// Per-connection state: set once a request on the connection was framed both ways, so the
/// requests pipelined behind it (which actix has already parsed by its own framing) are refused
/// too rather than served to whoever smuggled them.
#[derive(Debug, Default)]
pub struct Framing {
    doubtful: std::cell::Cell<bool>,
}

/// A request refused before routing; `close` ends the connection after the answer, because
/// where the next request starts is in doubt.
struct Refusal {
    error: ApiError,
    close: bool,
}

fn refuse(req: &ServiceRequest) -> Option<Refusal> {
    let headers = req.headers();
    let framing = req.conn_data::<Framing>();
    // Both framings at once is how requests are smuggled past a proxy that reads the other
    // one (RFC 9112 section 6.1 allows rejecting it): never serve such a request, nor any
    // after it on the same connection.
    let both = headers.contains_key(header::CONTENT_LENGTH)
        && headers.contains_key(header::TRANSFER_ENCODING);
    if both || framing.is_some_and(|f| f.doubtful.get()) {
        if let Some(framing) = framing {
            framing.doubtful.set(true);
        }
        let message = if both {
            "a request may have Content-Length or Transfer-Encoding, not both"
        } else {
            "an earlier request on this connection had both Content-Length and \
             Transfer-Encoding; open a new connection"
        };
        return Some(Refusal {
            error: ApiError::new(StatusCode::BAD_REQUEST, message),
            close: true,
        });
    }
    let refusal = |error| {
        Some(Refusal {
            error,
            close: false,
        })
    };
    if req.path().len() + req.query_string().len() > MAX_URI {
        return refusal(ApiError::uri_too_long(MAX_URI));
    }
    let length = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if length.is_some_and(|n| n > MAX_BODY as u64) {
        return refusal(ApiError::payload_too_large(MAX_BODY));
    }
    None
}

fn mark_encoded_etag<B>(res: &mut ServiceResponse<B>) {
    let headers = res.headers();
    let Some(etag) = headers.get(header::ETAG) else {
        return;
    };
    let Some(encoding) = headers.get(header::CONTENT_ENCODING) else {
        return;
    };
    let (Ok(encoding), Ok(etag)) = (encoding.to_str(), etag.to_str()) else {
        return;
    };
    if encoding == "identity" {
        return;
    }
    let marked = format!("\"{}-{}\"", etag.trim_matches('"'), encoding);
    if let Ok(value) = HeaderValue::from_str(&marked) {
        res.headers_mut().insert(header::ETAG, value);
    }
}

fn observe<B>(state: &AppState, res: &ServiceResponse<B>, start: Instant, access_log: bool) {
    let elapsed = start.elapsed();
    let req = res.request();
    let route =
        metrics::static_route(req.path()).unwrap_or_else(|| metrics::route_index(req.match_name()));
    let status: StatusCode = res.status();
    state.metrics().record(route, status.as_u16(), elapsed);
    if !access_log {
        return;
    }
    let query = req.query_string();
    logging::access(&logging::Access {
        method: req.method().as_str(),
        path: req.path(),
        query: &query[..floor_boundary(query, 256)],
        status: status.as_u16(),
        micros: elapsed.as_micros() as u64,
        route: metrics::ROUTES.get(route).copied().unwrap_or("other"),
    });
}

fn floor_boundary(s: &str, max: usize) -> usize {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    end
}
