//! `GET /tags`, `GET /collections`, `GET /authors`: what there is to filter by, with counts.

use super::{Answers, Endpoint, Reply, respond};
use crate::corpus::Face;
use crate::server::negotiate::Format;
use crate::server::query::{FORMAT, ParamSpec};
use crate::server::render::{html, json, text};
use actix_web::{HttpRequest, HttpResponse};

static PARAMS: [&ParamSpec; 1] = [&FORMAT];

/// `GET /tags`.
pub static TAGS: Endpoint = Endpoint {
    path: "/tags",
    summary: "Tags with the number of quotes carrying each",
    description: "Sorted by tag. Text answers are `tag<TAB>count` lines.",
    params: &PARAMS,
    answers: Answers::NameList,
};

/// `GET /collections`.
pub static COLLECTIONS: Endpoint = Endpoint {
    path: "/collections",
    summary: "Collections with their descriptions and quote counts",
    description: "In load order: the embedded collections, then those from --quotes. Text \
                  answers are `name<TAB>count<TAB>description` lines.",
    params: &PARAMS,
    answers: Answers::CollectionList,
};

/// `GET /authors`.
pub static AUTHORS: Endpoint = Endpoint {
    path: "/authors",
    summary: "Authors with the number of quotes by each",
    description: "Sorted by name, case-insensitively. Text answers are `name<TAB>count` lines.",
    params: &PARAMS,
    answers: Answers::NameList,
};

fn names(format: Format, title: &str, param: &str, items: &[(&str, usize)]) -> Reply {
    match format {
        Format::Text => Reply::new(format, text::names(items)),
        Format::Json => Reply::new(format, json::names(items)),
        Format::Html => Reply::new(format, html::names_page(title, param, items)),
    }
}

/// Handler of `/tags`.
pub async fn tags(req: HttpRequest) -> HttpResponse {
    respond(&req, &TAGS, |ctx, state| {
        let snapshot = state.face(Face::Http);
        let items = snapshot.corpus.tags();
        Ok(names(ctx.format, "Tags", "tag", &items).etag())
    })
}

/// Handler of `/authors`.
pub async fn authors(req: HttpRequest) -> HttpResponse {
    respond(&req, &AUTHORS, |ctx, state| {
        let snapshot = state.face(Face::Http);
        let items = snapshot.corpus.authors();
        Ok(names(ctx.format, "Authors", "author", &items).etag())
    })
}

/// Handler of `/collections`.
pub async fn collections(req: HttpRequest) -> HttpResponse {
    respond(&req, &COLLECTIONS, |ctx, state| {
        let snapshot = state.face(Face::Http);
        let corpus = &snapshot.corpus;
        let reply = match ctx.format {
            Format::Text => Reply::new(ctx.format, text::collections(corpus)),
            Format::Json => Reply::new(ctx.format, json::collections(corpus)),
            Format::Html => Reply::new(ctx.format, html::collections_page(corpus)),
        };
        Ok(reply.etag())
    })
}
