//! The benchmark baseline: a minimal actix-web "hello world" with the same worker count as the
//! server under test. `cargo run --release --example baseline -- 127.0.0.1:8081 2`
//!
//! `GET /` is the hello world the targets are measured against. `GET /quote` answers a fixed
//! body of about the size of an average quote (195 bytes; the corpus averages 203) with the headers a quote answer needs
//! (`Vary`, `Cache-Control`): the floor for any server sending quotes, reported for context.

use actix_web::{App, HttpResponse, HttpServer, web};

/// A fixed text of an average quote's length.
const QUOTE: &str = "Give a man a fire and he's warm for a day, but set fire to him and he's \
warm for the rest of his life. Give a man a quote and he reads it for a moment; so serve it fast.\n\
\t-- Baseline, Benchmarks\n";

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:8081".to_string());
    let workers = args
        .next()
        .and_then(|w| w.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    actix_web::rt::System::new().block_on(async move {
        HttpServer::new(|| {
            App::new()
                .route(
                    "/",
                    web::get().to(|| async {
                        HttpResponse::Ok()
                            .content_type("text/plain; charset=utf-8")
                            .body("Hello, world!\n")
                    }),
                )
                .route(
                    "/quote",
                    web::get().to(|| async {
                        HttpResponse::Ok()
                            .content_type("text/plain; charset=utf-8")
                            .insert_header(("vary", "Accept"))
                            .insert_header(("cache-control", "no-store"))
                            .body(QUOTE)
                    }),
                )
        })
        .workers(workers)
        .bind(addr)?
        .run()
        .await
    })
}
