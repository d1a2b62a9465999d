//! The benchmark baseline: a minimal actix-web "hello world" with the same worker count as the
//! server under test. `cargo run --release --example baseline -- 127.0.0.1:8081 2`

use actix_web::{App, HttpResponse, HttpServer, web};

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:8081".to_string());
    let workers = args
        .next()
        .and_then(|w| w.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    actix_web::rt::System::new().block_on(async move {
        HttpServer::new(|| {
            App::new().route(
                "/",
                web::get().to(|| async {
                    HttpResponse::Ok()
                        .content_type("text/plain; charset=utf-8")
                        .body("Hello, world!\n")
                }),
            )
        })
        .workers(workers)
        .bind(addr)?
        .run()
        .await
    })
}
