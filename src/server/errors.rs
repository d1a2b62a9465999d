//! API errors: a status, a message saying what to do, the parameter at fault and "did you mean"
//! suggestions. Rendered as `{"error": {"status", "message", ...}}`, as one line of plain text
//! for text clients, or as a page in the site's style for browsers.

use crate::corpus::{FilterError, SearchError};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, HttpResponseBuilder};
use serde::Serialize;

/// How an error body is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorFormat {
    /// `error: message` on one line.
    Text,
    /// The JSON envelope.
    Json,
    /// An HTML page with the message and the suggestions as links.
    Html,
}

/// An error answer of the API. Never a 500: every input maps to a 4xx with a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiError {
    /// HTTP status code.
    pub status: u16,
    /// What went wrong and how to fix it.
    pub message: String,
    /// The query parameter at fault, if one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    /// Names that exist close to the one asked for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<String>,
    /// Allowed methods, for 405.
    #[serde(skip)]
    pub allow: Option<&'static str>,
}

#[derive(Serialize)]
struct Envelope<'a> {
    error: &'a ApiError,
}

impl ApiError {
    /// An error with this status and message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status: status.as_u16(),
            message: message.into(),
            parameter: None,
            suggestions: Vec::new(),
            allow: None,
        }
    }

    /// 400 for a bad query parameter, naming it.
    pub fn bad_param(name: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            parameter: Some(name.to_string()),
            ..ApiError::new(StatusCode::BAD_REQUEST, message)
        }
    }

    /// 503 (with `Retry-After`) while something the answer needs is being prepared.
    pub fn not_ready(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, message)
    }

    /// 404 with a message.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }

    /// 404 for a path no route serves.
    pub fn no_route(path: &str) -> ApiError {
        let shown: String = path.chars().take(100).collect();
        ApiError::not_found(format!(
            "nothing at {shown:?}; see /openapi.json for the endpoints"
        ))
    }

    /// 405 for a method the route does not serve.
    pub fn method_not_allowed(method: &str) -> ApiError {
        ApiError::method_not_allowed_for(method, "GET, HEAD")
    }

    /// 405 naming the methods that `allow` lists (`"POST"`, `"GET, HEAD"`).
    pub fn method_not_allowed_for(method: &str, allow: &'static str) -> ApiError {
        let shown: String = method.chars().take(20).collect();
        ApiError {
            allow: Some(allow),
            ..ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                format!(
                    "{shown} is not allowed here; use {}",
                    allow.replace(", ", " or ")
                ),
            )
        }
    }

    /// 406 when no representation fits the `Accept` header.
    pub fn not_acceptable() -> ApiError {
        ApiError::new(
            StatusCode::NOT_ACCEPTABLE,
            "cannot produce any type in the Accept header; available: text/plain, \
             application/json, text/html (or use ?format=text|json|html)",
        )
    }

    /// 414 for an over-long URI.
    pub fn uri_too_long(limit: usize) -> ApiError {
        ApiError::new(
            StatusCode::URI_TOO_LONG,
            format!("the path and query string are limited to {limit} bytes"),
        )
    }

    /// 413 for a request body over the limit.
    pub fn payload_too_large(limit: usize) -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("request bodies are limited to {limit} bytes"),
        )
    }

    /// The response carrying this error.
    pub fn response(&self, format: ErrorFormat) -> HttpResponse {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        let mut builder = HttpResponseBuilder::new(status);
        builder.insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")));
        if let Some(allow) = self.allow {
            builder.insert_header((header::ALLOW, HeaderValue::from_static(allow)));
        }
        if self.status == StatusCode::SERVICE_UNAVAILABLE.as_u16() {
            builder.insert_header((header::RETRY_AFTER, HeaderValue::from_static("5")));
        }
        match format {
            ErrorFormat::Text => builder
                .content_type("text/plain; charset=utf-8")
                .body(format!("error: {}\n", self.message)),
            ErrorFormat::Json => {
                let body = serde_json::to_vec(&Envelope { error: self }).unwrap_or_default();
                builder.content_type("application/json").body(body)
            }
            ErrorFormat::Html => builder
                .content_type("text/html; charset=utf-8")
                .body(crate::server::render::html::error_page(self)),
        }
    }
}

impl From<FilterError> for ApiError {
    fn from(err: FilterError) -> ApiError {
        let parameter = match &err {
            FilterError::UnknownCollection { .. } => "collection",
            FilterError::UnknownTag { .. } => "tag",
            FilterError::UnknownAuthor { .. } => "author",
        };
        ApiError {
            parameter: Some(parameter.to_string()),
            suggestions: err.suggestions().to_vec(),
            ..ApiError::not_found(err.to_string())
        }
    }
}

impl From<SearchError> for ApiError {
    fn from(err: SearchError) -> ApiError {
        ApiError::bad_param("q", err.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_shape() {
        let err = ApiError::bad_param("limit", "limit must be from 1 to 100");
        let json = serde_json::to_value(Envelope { error: &err }).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"error": {"status": 400, "message": "limit must be from 1 to 100",
                                         "parameter": "limit"}})
        );
        let err: ApiError = FilterError::UnknownTag {
            name: "wizzard".into(),
            suggestions: vec!["wizard".into()],
        }
        .into();
        assert_eq!(err.status, 404);
        assert_eq!(err.suggestions, ["wizard"]);
    }
}
