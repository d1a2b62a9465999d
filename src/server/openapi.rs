//! The OpenAPI 3.1 document served at `/openapi.json`, generated from the endpoint and
//! parameter declarations that the routes validate requests with.

use super::query::{Kind, ParamSpec};
use super::routes::{Answers, ENDPOINTS, Endpoint};
use serde_json::{Map, Value, json};

/// The whole document.
pub fn document() -> Value {
    let mut paths = Map::new();
    for endpoint in ENDPOINTS {
        paths.insert(
            endpoint.path.to_string(),
            json!({ "get": operation(endpoint) }),
        );
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "epigraph",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Curated quotes over HTTP. Quote endpoints negotiate their \
                representation: `text/plain` (the quote as `fortune` prints it) for `*/*`, \
                curl, wget and HTTPie; `application/json` when asked for; `text/html` for \
                browsers; `?format=text|json|html` overrides the Accept header. Errors are \
                `{\"error\": {\"status\", \"message\", \"parameter\"?, \"suggestions\"?}}` \
                (one `error: ...` line for text clients). Unknown query parameters are 400. \
                Paths and query strings over 2048 bytes are 414; request bodies over 64 KiB \
                are 413. Every endpoint also answers HEAD; CORS is open for GET.",
            "license": { "name": "MIT OR Apache-2.0", "identifier": "MIT OR Apache-2.0" }
        },
        "paths": paths,
        // Requests the chat platforms send (served only when configured), kept out of `paths`,
        // which lists the GET API.
        "webhooks": chat_webhooks(),
        "components": { "schemas": schemas() }
    })
}

/// The chat endpoints (`POST /integrations/...`), keyed by platform.
fn chat_webhooks() -> Map<String, Value> {
    crate::integrations::routes::openapi_items()
        .into_iter()
        .map(|(name, item)| (name.to_string(), item))
        .collect()
}

fn operation(endpoint: &Endpoint) -> Value {
    let mut parameters: Vec<Value> = endpoint.params.iter().map(|p| parameter(p)).collect();
    if endpoint.path.contains("{id}") {
        parameters.insert(
            0,
            json!({
                "name": "id", "in": "path", "required": true,
                "description": "Quote id: 12 hex digits.",
                "schema": { "type": "string", "pattern": "^[0-9a-fA-F]{12}$" }
            }),
        );
    }
    let id = match endpoint.path {
        "/" => "root".to_string(),
        path => path
            .trim_start_matches('/')
            .replace(['/', '.'], "_")
            .replace(['{', '}'], ""),
    };
    json!({
        "operationId": id,
        "summary": endpoint.summary,
        "description": endpoint.description,
        "parameters": parameters,
        "responses": responses(endpoint),
    })
}

fn parameter(spec: &ParamSpec) -> Value {
    let mut schema = match spec.kind {
        Kind::Text { max_chars } => {
            json!({ "type": "string", "minLength": 1, "maxLength": max_chars })
        }
        Kind::Integer { min, max, default } => {
            let mut s = json!({ "type": "integer", "minimum": min, "maximum": max });
            if let Some(d) = default {
                s["default"] = json!(d);
            }
            s
        }
        Kind::Boolean { default } => json!({ "type": "boolean", "default": default }),
        Kind::Choice(choices) => {
            let mut s = json!({ "type": "string", "enum": choices });
            if spec.name != "format" {
                s["default"] = json!(choices.first());
            }
            s
        }
        Kind::Date => {
            json!({ "type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" })
        }
    };
    let mut param = json!({
        "name": spec.name,
        "in": "query",
        "required": spec.name == "q",
        "description": spec.doc,
    });
    if spec.repeatable {
        schema = json!({ "type": "array", "items": schema });
        param["style"] = json!("form");
        param["explode"] = json!(true);
    }
    param["schema"] = schema;
    param
}

fn error(description: &str) -> Value {
    json!({
        "description": description,
        "content": {
            "application/json": { "schema": { "$ref": "#/components/schemas/Error" } },
            "text/plain": { "schema": { "type": "string" } },
            "text/html": { "schema": { "type": "string" } }
        }
    })
}

fn negotiated(json_schema: Value, headers: Value) -> Value {
    json!({
        "description": "OK",
        "headers": headers,
        "content": {
            "text/plain": { "schema": { "type": "string" } },
            "application/json": { "schema": json_schema },
            "text/html": { "schema": { "type": "string" } }
        }
    })
}

fn responses(endpoint: &Endpoint) -> Value {
    let vary = json!({ "schema": { "type": "string" }, "description": "Always `Accept`." });
    let etag = json!({ "schema": { "type": "string" }, "description": "Strong validator." });
    let link = json!({ "schema": { "type": "string" }, "description": "rel=next/prev pages." });
    let cache = json!({ "schema": { "type": "string" } });
    let quote = json!({ "$ref": "#/components/schemas/Quote" });
    let list = json!({ "$ref": "#/components/schemas/QuoteList" });
    let mut r = Map::new();
    match endpoint.answers {
        Answers::Quote => {
            let mut headers = json!({ "Vary": vary, "ETag": etag, "Cache-Control": cache });
            if endpoint.path == "/today" {
                headers["Expires"] = json!({ "schema": { "type": "string" } });
            }
            r.insert("200".into(), negotiated(quote, headers));
            r.insert(
                "304".into(),
                json!({ "description": "Not modified (If-None-Match)" }),
            );
        }
        Answers::QuoteOrList => {
            let schema = json!({ "oneOf": [quote, list] });
            let headers = json!({ "Vary": vary, "Cache-Control": cache });
            r.insert("200".into(), negotiated(schema, headers));
        }
        Answers::QuoteList => {
            let headers = json!({ "Vary": vary, "ETag": etag, "Link": link });
            r.insert("200".into(), negotiated(list, headers));
            r.insert(
                "304".into(),
                json!({ "description": "Not modified (If-None-Match)" }),
            );
        }
        Answers::NameList | Answers::CollectionList => {
            let name = if endpoint.answers == Answers::NameList {
                "NameList"
            } else {
                "CollectionList"
            };
            let schema = json!({ "$ref": format!("#/components/schemas/{name}") });
            r.insert(
                "200".into(),
                negotiated(schema, json!({ "Vary": vary, "ETag": etag })),
            );
            r.insert(
                "304".into(),
                json!({ "description": "Not modified (If-None-Match)" }),
            );
        }
        Answers::PlainText => {
            r.insert(
                "200".into(),
                json!({ "description": "OK",
                        "content": { "text/plain": { "schema": { "type": "string" } } } }),
            );
        }
        Answers::Svg | Answers::Png => {
            let mut headers = json!({ "Cache-Control": cache });
            if !endpoint.path.starts_with("/random.") {
                headers["ETag"] = etag.clone();
            }
            if endpoint.path.starts_with("/today.") {
                headers["Expires"] = json!({ "schema": { "type": "string" } });
            }
            let content = if endpoint.answers == Answers::Png {
                json!({ "image/png": { "schema": { "type": "string", "format": "binary" } } })
            } else {
                json!({ "image/svg+xml": { "schema": { "type": "string" } } })
            };
            r.insert(
                "200".into(),
                json!({ "description": "OK", "headers": headers, "content": content }),
            );
            r.insert(
                "304".into(),
                json!({ "description": "Not modified (If-None-Match)" }),
            );
        }
        Answers::Atom => {
            let headers = json!({ "ETag": etag, "Cache-Control": cache,
                                  "Expires": { "schema": { "type": "string" } } });
            r.insert(
                "200".into(),
                json!({ "description": "OK", "headers": headers,
                        "content": { "application/atom+xml": { "schema": { "type": "string" } } } }),
            );
            r.insert(
                "304".into(),
                json!({ "description": "Not modified (If-None-Match)" }),
            );
        }
        Answers::Json => {
            r.insert(
                "200".into(),
                json!({ "description": "OK",
                        "content": { "application/json": { "schema": { "type": "object" } } } }),
            );
            r.insert(
                "304".into(),
                json!({ "description": "Not modified (If-None-Match)" }),
            );
        }
    }
    r.insert(
        "400".into(),
        error("Bad or unknown query parameter (named in `parameter`)"),
    );
    let filters = endpoint.params.iter().any(|p| p.name == "tag");
    if filters || endpoint.path.contains("{id}") {
        r.insert(
            "404".into(),
            error(
                "Unknown id, tag, collection or author (with `suggestions`), or no match; a \
                 name or id the content policy (`--deny-tag`, `--deny-collection`) denies is \
                 unknown",
            ),
        );
    }
    r.insert("405".into(), error("Method other than GET or HEAD"));
    if !matches!(
        endpoint.answers,
        Answers::PlainText | Answers::Json | Answers::Svg | Answers::Png | Answers::Atom
    ) {
        r.insert(
            "406".into(),
            error("No acceptable representation for the Accept header"),
        );
    }
    r.insert("413".into(), error("Request body too large"));
    r.insert("414".into(), error("Path or query string too long"));
    if endpoint.path == "/readyz" {
        r.insert("503".into(), error("No quotes loaded"));
    }
    Value::Object(r)
}

fn schemas() -> Value {
    let string = json!({ "type": "string" });
    let nullable = json!({ "type": ["string", "null"] });
    let links = json!({ "type": "object", "properties": {
        "self": string, "next": nullable, "prev": nullable } });
    json!({
        "Quote": {
            "type": "object",
            "required": ["id", "text", "display", "author", "work", "year", "context", "collection", "tags", "length", "permalink"],
            "properties": {
                "id": { "type": "string", "pattern": "^[0-9a-f]{12}$" },
                "text": { "type": "string", "description": "The quote's words without the attribution lines; line breaks as stored, no final newline." },
                "display": { "type": "string", "description": "The whole entry as fortune prints it, attribution included, newline-terminated." },
                "author": nullable, "work": nullable,
                "year": { "type": ["string", "null"], "description": "A year, date or range, as written." },
                "context": { "type": ["string", "null"], "description": "The descriptive line printed before a parenthesised credit (\"Rule One\"), if any." },
                "collection": string,
                "tags": { "type": "array", "items": string },
                "length": { "type": "integer", "description": "Characters, as min_length/max_length compare." },
                "permalink": { "type": "string", "description": "Path of /quotes/{id}." },
                "date": { "type": "string", "format": "date", "description": "Only on /today." }
            }
        },
        "QuoteList": {
            "type": "object",
            "required": ["count", "results"],
            "properties": {
                "count": { "type": "integer", "description": "Results in this answer." },
                "total": { "type": "integer", "description": "Results on all pages (paginated lists)." },
                "page": { "type": "integer" }, "total_pages": { "type": "integer" },
                "limit": { "type": "integer" }, "sort": string, "links": links,
                "results": { "type": "array", "items": { "$ref": "#/components/schemas/Quote" } }
            }
        },
        "NameList": {
            "type": "object",
            "properties": {
                "count": { "type": "integer" },
                "results": { "type": "array", "items": { "type": "object", "properties": {
                    "name": string, "count": { "type": "integer" } } } }
            }
        },
        "CollectionList": {
            "type": "object",
            "properties": {
                "count": { "type": "integer" },
                "results": { "type": "array", "items": { "type": "object", "properties": {
                    "name": string, "description": nullable, "licence": nullable,
                    "source": nullable, "embedded": { "type": "boolean" },
                    "tags": { "type": "array", "items": string },
                    "count": { "type": "integer" } } } }
            }
        },
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": { "error": { "type": "object", "required": ["status", "message"],
                "properties": {
                    "status": { "type": "integer" }, "message": string,
                    "parameter": string,
                    "suggestions": { "type": "array", "items": string } } } }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_every_endpoint_and_parameter() {
        let doc = document();
        for endpoint in ENDPOINTS {
            let op = &doc["paths"][endpoint.path]["get"];
            assert!(op.is_object(), "{}", endpoint.path);
            let names: Vec<&str> = op["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|p| p["in"] == "query")
                .map(|p| p["name"].as_str().unwrap())
                .collect();
            let declared: Vec<&str> = endpoint.params.iter().map(|p| p.name).collect();
            assert_eq!(names, declared);
        }
    }
}
