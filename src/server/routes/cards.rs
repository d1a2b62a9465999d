//! Quote cards: `GET /quotes/{id}.svg` (a permalink's card), `GET /random.svg` and
//! `GET /today.svg` (the same filters and choice as `/random` and `/today`), for README files
//! and dashboards, and the same three as `.png` for link previews and chat. `theme=light|dark`
//! and `width` shape the card. Errors are negotiated as everywhere else (an `<img>` sends `*/*`
//! and gets text).

use super::random::{pick, pick_today};
use super::{Answers, Cache, Ctx, Endpoint, Reply, respond};
use crate::corpus::Face;
use crate::quote::Quote;
use crate::server::errors::ApiError;
use crate::server::query::{
    AUTHOR, COLLECTION, DATE, Kind, MAX_LENGTH, MIN_LENGTH, ParamSpec, TAG,
};
use crate::server::render::png;
use crate::server::render::svg::{self, CardOptions, DEFAULT_WIDTH, MAX_WIDTH, MIN_WIDTH, Theme};
use crate::server::state::AppState;
use actix_web::{HttpRequest, HttpResponse};

/// The content type of a card.
pub const SVG: &str = "image/svg+xml";
/// The content type of a PNG card.
pub const PNG: &str = "image/png";

/// The drawing a card route answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Image {
    Svg,
    Png,
}

/// `?theme=`.
pub static THEME: ParamSpec = ParamSpec {
    name: "theme",
    doc: "Colours of the card: light (dark text on off-white) or dark.",
    kind: Kind::Choice(&["light", "dark"]),
    repeatable: false,
};

/// `?width=`.
pub static WIDTH: ParamSpec = ParamSpec {
    name: "width",
    doc: "Width of the card in pixels; the text is wrapped to it and the height follows.",
    kind: Kind::Integer {
        min: MIN_WIDTH,
        max: MAX_WIDTH,
        default: Some(DEFAULT_WIDTH),
    },
    repeatable: false,
};

static QUOTE_PARAMS: [&ParamSpec; 2] = [&THEME, &WIDTH];
static RANDOM_PARAMS: [&ParamSpec; 7] = [
    &TAG,
    &COLLECTION,
    &AUTHOR,
    &MIN_LENGTH,
    &MAX_LENGTH,
    &THEME,
    &WIDTH,
];
static TODAY_PARAMS: [&ParamSpec; 8] = [
    &TAG,
    &COLLECTION,
    &AUTHOR,
    &MIN_LENGTH,
    &MAX_LENGTH,
    &DATE,
    &THEME,
    &WIDTH,
];

/// `GET /quotes/{id}.svg`.
pub static QUOTE_CARD: Endpoint = Endpoint {
    path: "/quotes/{id}.svg",
    summary: "One quote as an SVG card",
    description: "The quote wrapped to `width`, with its attribution, in the system font. \
                  Strong `ETag`; `If-None-Match` answers 304. Embed with \
                  `![quote](https://HOST/quotes/ID.svg)`.",
    params: &QUOTE_PARAMS,
    answers: Answers::Svg,
};

/// `GET /random.svg`.
pub static RANDOM_CARD: Endpoint = Endpoint {
    path: "/random.svg",
    summary: "A random quote as an SVG card",
    description: "Chosen as /random chooses, among the quotes that pass the filters. \
                  `Cache-Control: no-cache`, so image proxies revalidate and show a new quote.",
    params: &RANDOM_PARAMS,
    answers: Answers::Svg,
};

/// `GET /today.svg`.
pub static TODAY_CARD: Endpoint = Endpoint {
    path: "/today.svg",
    summary: "The quote of the day as an SVG card",
    description: "The same quote as /today for the same filters and date. Strong `ETag`; \
                  cacheable until the next UTC midnight (`Cache-Control`, `Expires`).",
    params: &TODAY_PARAMS,
    answers: Answers::Svg,
};

/// `GET /quotes/{id}.png`.
pub static QUOTE_PNG: Endpoint = Endpoint {
    path: "/quotes/{id}.png",
    summary: "One quote as a PNG card",
    description: "The SVG card drawn in the font compiled into the server (DejaVu Sans), so \
                  every replica serves the same bytes; the same size as the SVG card. Strong \
                  `ETag`; `If-None-Match` answers 304. The `og:image` of the quote's page.",
    params: &QUOTE_PARAMS,
    answers: Answers::Png,
};

/// `GET /random.png`.
pub static RANDOM_PNG: Endpoint = Endpoint {
    path: "/random.png",
    summary: "A random quote as a PNG card",
    description: "Chosen as /random chooses, among the quotes that pass the filters. \
                  `Cache-Control: no-cache`.",
    params: &RANDOM_PARAMS,
    answers: Answers::Png,
};

/// `GET /today.png`.
pub static TODAY_PNG: Endpoint = Endpoint {
    path: "/today.png",
    summary: "The quote of the day as a PNG card",
    description: "The same quote as /today for the same filters and date. Strong `ETag`; \
                  cacheable until the next UTC midnight (`Cache-Control`, `Expires`).",
    params: &TODAY_PARAMS,
    answers: Answers::Png,
};

fn options(ctx: &Ctx) -> CardOptions {
    CardOptions {
        width: ctx.params.int(&WIDTH).unwrap_or(DEFAULT_WIDTH),
        theme: ctx
            .params
            .text(&THEME)
            .and_then(Theme::parse)
            .unwrap_or(Theme::Light),
    }
}

fn card(ctx: &Ctx, quote: &Quote, image: Image) -> Result<Reply, ApiError> {
    let reply = match image {
        Image::Svg => Reply::typed(SVG, svg::card(quote, options(ctx))),
        Image::Png => {
            let bytes = png::card(quote, options(ctx)).map_err(|e| {
                ApiError::new(
                    actix_web::http::StatusCode::INTERNAL_SERVER_ERROR,
                    e.to_string(),
                )
            })?;
            Reply::typed(PNG, bytes)
        }
    };
    Ok(reply.quotes(1))
}

/// Handler of `/quotes/{id}.svg`.
pub async fn quote_card(req: HttpRequest) -> HttpResponse {
    quote_image(req, &QUOTE_CARD, Image::Svg)
}

/// Handler of `/quotes/{id}.png`.
pub async fn quote_png(req: HttpRequest) -> HttpResponse {
    quote_image(req, &QUOTE_PNG, Image::Png)
}

/// Handler of `/random.svg`.
pub async fn random_card(req: HttpRequest) -> HttpResponse {
    random_image(req, &RANDOM_CARD, Image::Svg)
}

/// Handler of `/random.png`.
pub async fn random_png(req: HttpRequest) -> HttpResponse {
    random_image(req, &RANDOM_PNG, Image::Png)
}

/// Handler of `/today.svg`.
pub async fn today_card(req: HttpRequest) -> HttpResponse {
    today_image(req, &TODAY_CARD, Image::Svg)
}

/// Handler of `/today.png`.
pub async fn today_png(req: HttpRequest) -> HttpResponse {
    today_image(req, &TODAY_PNG, Image::Png)
}

fn quote_image(req: HttpRequest, endpoint: &Endpoint, image: Image) -> HttpResponse {
    respond(&req, endpoint, |ctx, state: &AppState| {
        let id = ctx.path_id()?;
        let snapshot = state.face(Face::Http);
        let quote = snapshot
            .corpus
            .get(id)
            .ok_or_else(|| ApiError::not_found(format!("no quote has id {id}")))?;
        Ok(card(ctx, quote, image)?.etag().cache(Cache::MaxAge(300)))
    })
}

fn random_image(req: HttpRequest, endpoint: &Endpoint, image: Image) -> HttpResponse {
    respond(&req, endpoint, |ctx, state: &AppState| {
        let snapshot = state.face(Face::Http);
        let picked = pick(ctx, &snapshot, 1)?;
        let quote = picked
            .first()
            .and_then(|&i| snapshot.corpus.quotes().get(i as usize))
            .ok_or_else(|| ApiError::not_found("no quotes are loaded"))?;
        Ok(card(ctx, quote, image)?.cache(Cache::NoCache))
    })
}

fn today_image(req: HttpRequest, endpoint: &Endpoint, image: Image) -> HttpResponse {
    respond(&req, endpoint, |ctx, state: &AppState| {
        let snapshot = state.face(Face::Http);
        let (quote, _day, cache) = pick_today(ctx, &snapshot)?;
        Ok(card(ctx, quote, image)?.etag().cache(cache))
    })
}
