//! The HTTP face: `epigraph serve`.
//!
//! [`run`] turns the command-line options into a [`Config`], loads the corpus into an
//! [`AppState`], binds the listeners and runs [`build`]'s server until SIGTERM. [`build`] takes
//! already bound listeners, so tests bind `127.0.0.1:0` and run servers side by side.
//!
//! Module map: [`config`] (flags), [`state`] (corpus behind an atomically swapped `Arc`),
//! [`params`] (the declared parameters), [`query`] (strict parsing against them, and the
//! percent-coding), [`negotiate`] (text/JSON/HTML), [`routes`] (one module per
//! resource), [`render`] (the representations), [`cache`] (per-worker filter results),
//! [`errors`], [`metrics`], [`middleware`] (limits, metrics, access log), [`cors`], [`openapi`],
//! [`signals`] (SIGHUP reload, bounded by `--reload-timeout`), [`logging`]
//! (`tracing-subscriber` set up from `--log-level`, `--log-format` and `RUST_LOG`), [`secrets`]
//! (the chat secrets).

pub mod cache;
pub mod config;
pub mod cors;
pub mod errors;
pub mod fits;
pub mod logging;
mod losses;
pub mod metrics;
pub mod middleware;
pub mod negotiate;
pub mod openapi;
pub mod params;
pub mod public_url;
pub mod query;
pub mod render;
pub mod routes;
pub mod secrets;
pub mod signals;
pub mod state;

pub use config::{Config, LogFormat, ServeArgs, ServerOptions};
pub use state::AppState;

use actix_web::dev::Server;
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use std::net::TcpListener;
use std::time::Duration;

/// Builds the server on bound `listeners`. Must be called inside an actix (tokio) runtime,
/// e.g. `actix_web::rt::System::new().block_on(async { build(..)?.await })`.
pub fn build(
    listeners: Vec<TcpListener>,
    state: AppState,
    options: &ServerOptions,
) -> std::io::Result<Server> {
    build_with(listeners, state, options, |_| {})
}

/// Like [`build`], with `extra` routes registered before the API's own (so a more specific
/// pattern such as `/quotes/{id}.svg` wins over `/quotes/{id}`).
pub fn build_with<F>(
    listeners: Vec<TcpListener>,
    state: AppState,
    options: &ServerOptions,
    extra: F,
) -> std::io::Result<Server>
where
    F: Fn(&mut web::ServiceConfig) + Send + Clone + 'static,
{
    let data = web::Data::new(state.clone());
    let access_log = options.access_log;
    let timeout = web::Data::new(options.request_timeout);
    let send_timeout = options.send_timeout;
    let send_buffer = options.send_buffer;
    let public_url = options.public_url.clone().map(web::Data::new);
    let mut server = HttpServer::new(move || {
        let mut app = App::new();
        if let Some(url) = &public_url {
            app = app.app_data(url.clone());
        }
        app.app_data(data.clone())
            .app_data(timeout.clone())
            .app_data(web::PayloadConfig::new(middleware::MAX_BODY))
            .app_data(web::FormConfig::default().limit(middleware::MAX_BODY))
            .app_data(web::JsonConfig::default().limit(middleware::MAX_BODY))
            // The last `wrap` is the outermost: Observe sees every answer, CORS preflights too.
            .wrap(cors::layer())
            .wrap(middleware::Observe::new(state.clone(), access_log))
            .configure(extra.clone())
            .configure(routes::configure)
            .default_service(web::to(routes::not_found))
    })
    .on_connect(move |connection, data| {
        data.insert(middleware::Framing::default());
        if let Some(stream) = connection.downcast_ref::<actix_web::rt::net::TcpStream>() {
            set_send_limits(stream, send_timeout, send_buffer);
        }
    })
    .workers(options.workers)
    .shutdown_timeout(options.shutdown_timeout.as_secs())
    .client_request_timeout(options.request_timeout.0)
    .keep_alive(options.keep_alive)
    .max_connections(options.max_connections);
    if !options.handle_signals {
        server = server.disable_signals();
    }
    for listener in listeners {
        server = server.listen(listener)?;
    }
    Ok(server.run())
}

/// Bounds what a client that pipelines requests and never reads can cost. The send buffer
/// caps the answers the kernel holds for it (auto-tuning would grow it to megabytes). The
/// timeout bounds how long the kernel keeps a connection whose sent data goes unacknowledged,
/// or whose peer keeps its receive window at zero: TCP_USER_TIMEOUT covers both since Linux
/// 5.11; the connection is then dropped and its buffers freed. Elsewhere the timeout is a
/// no-op, and a failure only costs the bound.
fn set_send_limits(
    stream: &actix_web::rt::net::TcpStream,
    timeout: Option<Duration>,
    buffer: Option<usize>,
) {
    let socket = socket2::SockRef::from(stream);
    if let Some(bytes) = buffer {
        let _ = socket.set_send_buffer_size(bytes);
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        let _ = socket.set_tcp_user_timeout(timeout);
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    let _ = timeout;
}

/// Runs `epigraph serve` until SIGTERM (graceful drain, then `Ok`).
pub fn run(args: ServeArgs) -> anyhow::Result<()> {
    let qotd = (args.qotd.clone(), args.qotd_udp.clone());
    let chat = args.chat.settings()?;
    let config = Config::from_args(args)?;
    let _log_guard = logging::init(config.log_format, config.log_level);
    // A --quotes path that does not exist is a configuration mistake: refuse to start. A
    // broken file is reported with its file and line and left out; the rest serves. (A failed
    // reload, by contrast, keeps the whole previous corpus.)
    if let Some(missing) = config.quotes.iter().find(|p| !p.exists()) {
        anyhow::bail!("--quotes {}: no such file or directory", missing.display());
    }
    let (state, mut diagnostics) = AppState::load_what_loads(config.quotes.clone());
    state.set_strict_reload(config.strict_reload);
    if !config.policy.is_empty() {
        diagnostics.extend(state.set_policy(config.policy.clone()));
    }
    for diagnostic in &diagnostics {
        match diagnostic.severity {
            crate::diagnostic::Severity::Error => tracing::error!("{diagnostic}"),
            crate::diagnostic::Severity::Warning => tracing::warn!("{diagnostic}"),
        }
    }
    let listeners = config
        .listen
        .iter()
        .map(|addr| TcpListener::bind(addr).with_context(|| format!("cannot listen on {addr}")))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let snapshot = state.loaded();
    for listener in &listeners {
        tracing::info!(
            quotes = snapshot.corpus.quotes().len(),
            collections = snapshot.corpus.collections().len(),
            workers = config.options.workers,
            "listening on http://{}",
            listener.local_addr()?
        );
    }
    drop(snapshot);
    start_qotd(&state, qotd)?;
    crate::integrations::daily_post::start(
        &state,
        config.post_daily.clone(),
        crate::integrations::webhook::Delivery::default(),
    );
    actix_web::rt::System::new().block_on(async move {
        signals::reload_on_hangup(state.clone(), config.reload_timeout)?;
        for path in chat.enabled() {
            tracing::info!("chat endpoint POST {path}");
        }
        let extra = move |cfg: &mut web::ServiceConfig| {
            crate::integrations::routes::configure(cfg, chat.clone())
        };
        build_with(listeners, state, &config.options, extra)?.await
    })?;
    tracing::info!("stopped");
    Ok(())
}

/// Starts the RFC 865 listeners that were asked for, over the live (reloadable) corpus.
fn start_qotd(
    state: &AppState,
    (tcp, udp): (Option<String>, Option<String>),
) -> anyhow::Result<()> {
    use crate::integrations::{activation, qotd};
    let source = |state: AppState| -> qotd::MessageSource {
        std::sync::Arc::new(move |chooser: &mut crate::corpus::Chooser| {
            qotd::message(&state.face(crate::corpus::Face::Qotd).corpus, chooser)
        })
    };
    // Sockets systemd bound for us (epigraph-qotd.socket), then the ones asked for by flag.
    let mut inherited = activation::take("qotd");
    if let Some(addr) = tcp {
        let listener = TcpListener::bind(&addr)
            .with_context(|| format!("cannot listen for QOTD on {addr}"))?;
        inherited.tcp.push(listener);
    }
    if let Some(addr) = udp {
        let socket = std::net::UdpSocket::bind(&addr)
            .with_context(|| format!("cannot bind QOTD UDP on {addr}"))?;
        inherited.udp.push(socket);
    }
    for listener in inherited.tcp {
        tracing::info!("QOTD (RFC 865) over TCP on {}", listener.local_addr()?);
        qotd::serve_tcp(listener, source(state.clone()));
    }
    for socket in inherited.udp {
        tracing::info!("QOTD (RFC 865) over UDP on {}", socket.local_addr()?);
        let limit = qotd::RateLimit::new(5, std::time::Duration::from_secs(10));
        qotd::serve_udp(socket, source(state.clone()), limit);
    }
    Ok(())
}
