//! Logging: `tracing` events written by `tracing-subscriber`'s `fmt` layer, one text or JSON
//! line per event on stderr, through `tracing-appender`'s non-blocking writer (a background
//! thread writes; a request never waits for stderr, and lines are dropped rather than block if
//! the reader stalls).
//!
//! Which events are written is an [`EnvFilter`]: `--log-level` gives the base, and `RUST_LOG`
//! directives, when set, are applied on top of it and win for the targets they name.

use super::config::{LogFormat, LogLevel};
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// The target of access lines, as filters and log readers see it.
pub const ACCESS_TARGET: &str = "epigraph::access";

/// Keeps the log writer running; dropping it writes out what is pending.
#[derive(Debug)]
pub struct LogGuard {
    _writer: WorkerGuard,
}

/// The filter for `level`, with `rust_log`'s directives (if any) on top.
///
/// Two kinds of lines are left out, so the log says what epigraph does and what goes wrong
/// with it, and a client cannot fill it: below `debug`, other libraries' progress notes
/// ("starting 2 workers": `info` from outside epigraph); at every level, actix-http's reports
/// of a client's malformed HTTP ("stream error: ...", which it writes as `error`, once per bad
/// request), unless `RUST_LOG` names them (`actix_http::h1=debug`). Other libraries' warnings and
/// errors are kept.
pub fn filter(level: LogLevel, rust_log: Option<&str>) -> EnvFilter {
    let base = match level {
        LogLevel::Off => "off",
        LogLevel::Error => "error,actix_http::h1=off",
        LogLevel::Warn => "warn,actix_http::h1=off",
        LogLevel::Info => "warn,epigraph=info,actix_http::h1=off",
        LogLevel::Debug => "debug,actix_http::h1=off",
    };
    let directives = match rust_log.map(str::trim).filter(|d| !d.is_empty()) {
        Some(extra) => format!("{base},{extra}"),
        None => base.to_string(),
    };
    EnvFilter::builder().parse_lossy(directives)
}

/// Installs the global subscriber (unless one is installed already) and starts the writer.
/// Also routes the `log` records of libraries through it.
pub fn init(format: LogFormat, level: LogLevel) -> LogGuard {
    let (writer, guard) = tracing_appender::non_blocking(std::io::stderr());
    let filter = filter(level, std::env::var("RUST_LOG").ok().as_deref());
    let registry = tracing_subscriber::registry().with(filter);
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(writer)
        .with_ansi(false);
    // Err only when a subscriber is installed already (an embedding program's): keep it.
    let _ = match format {
        LogFormat::Text => registry.with(layer).try_init(),
        LogFormat::Json => registry
            .with(
                layer
                    .json()
                    .flatten_event(true)
                    .with_current_span(false)
                    .with_span_list(false),
            )
            .try_init(),
    };
    LogGuard { _writer: guard }
}

/// One answered request, as its access line records it.
#[derive(Debug, Clone, Copy)]
pub struct Access<'a> {
    /// Request method.
    pub method: &'a str,
    /// Request path.
    pub path: &'a str,
    /// Query string (without `?`), already cut to a sensible length.
    pub query: &'a str,
    /// Response status.
    pub status: u16,
    /// Time to the response head, in microseconds.
    pub micros: u64,
    /// The route pattern that answered (the metrics label).
    pub route: &'a str,
}

/// Logs the access line of a request: an `info` event under [`ACCESS_TARGET`]. The method,
/// path and route are written bare (HTTP allows no space or control byte in them), the query
/// quoted, as it may be empty.
pub fn access(entry: &Access<'_>) {
    tracing::info!(
        target: ACCESS_TARGET,
        method = %entry.method,
        path = %entry.path,
        query = entry.query,
        status = entry.status,
        micros = entry.micros,
        route = %entry.route,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};
    use tracing_subscriber::fmt::MakeWriter;

    /// A writer into a shared buffer, for reading what the fmt layer writes.
    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'a> MakeWriter<'a> for Buffer {
        type Writer = Buffer;
        fn make_writer(&'a self) -> Buffer {
            self.clone()
        }
    }

    /// What `events` write at `level` with `rust_log`, as text without timestamps.
    fn written(level: LogLevel, rust_log: Option<&str>, events: impl FnOnce()) -> Vec<String> {
        let buffer = Buffer::default();
        let subscriber = tracing_subscriber::registry()
            .with(filter(level, rust_log))
            .with(
                tracing_subscriber::fmt::layer()
                    .with_writer(buffer.clone())
                    .with_ansi(false)
                    .without_time(),
            );
        tracing::subscriber::with_default(subscriber, events);
        let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        text.lines().map(str::to_string).collect()
    }

    fn some_events() {
        tracing::info!(target: "epigraph::server", "listening");
        tracing::info!(target: "actix_server::builder", "starting 1 workers");
        tracing::error!(target: "actix_http::h1::dispatcher", "stream error: bad header");
        tracing::warn!(target: "actix_web::app", "a library warning");
        tracing::debug!(target: "epigraph::server", "details");
    }

    #[test]
    fn levels_keep_library_chatter_and_client_errors_out_below_debug() {
        assert_eq!(
            written(LogLevel::Info, None, some_events),
            [
                " INFO epigraph::server: listening",
                " WARN actix_web::app: a library warning"
            ]
        );
        assert_eq!(
            written(LogLevel::Warn, None, some_events),
            [" WARN actix_web::app: a library warning"]
        );
        assert!(written(LogLevel::Off, None, some_events).is_empty());
        assert_eq!(written(LogLevel::Debug, None, some_events).len(), 4);
        let asked = written(LogLevel::Warn, Some("actix_http::h1=debug"), some_events);
        assert_eq!(
            asked,
            [
                "ERROR actix_http::h1::dispatcher: stream error: bad header",
                " WARN actix_web::app: a library warning"
            ]
        );
    }

    #[test]
    fn rust_log_adds_to_the_level_and_wins_for_the_targets_it_names() {
        assert_eq!(
            written(LogLevel::Warn, Some("actix_server=info"), some_events),
            [
                " INFO actix_server::builder: starting 1 workers",
                " WARN actix_web::app: a library warning"
            ]
        );
        assert_eq!(
            written(LogLevel::Info, Some("epigraph=debug"), some_events).len(),
            3
        );
        assert_eq!(
            written(LogLevel::Info, Some("epigraph=off"), some_events),
            [" WARN actix_web::app: a library warning"]
        );
        // A blank RUST_LOG is no directive at all.
        assert_eq!(written(LogLevel::Warn, Some("  "), some_events).len(), 1);
    }

    #[test]
    fn the_access_line_names_each_field() {
        let entry = Access {
            method: "GET",
            path: "/random",
            query: "tag=a b",
            status: 200,
            micros: 41,
            route: "/random",
        };
        assert_eq!(
            written(LogLevel::Info, None, || access(&entry)),
            [
                " INFO epigraph::access: method=GET path=/random query=\"tag=a b\" status=200 \
              micros=41 route=/random"
            ]
        );
        let quiet = written(LogLevel::Info, Some("epigraph::access=off"), || {
            access(&entry)
        });
        assert!(quiet.is_empty());
    }
}
