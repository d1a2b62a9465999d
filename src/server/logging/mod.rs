//! Logging with `tracing`: one text or JSON line per event on stderr.
//!
//! Request lines are on the hot path, so the subscriber here is built for it: each event is
//! formatted straight into a thread-local string (the date part of the timestamp is formatted
//! once a second) and handed to the `sink` module, which writes every thread's lines out in the
//! background. Lines of different workers may interleave out of time order within a flush
//! window; each carries its own timestamp.
//!
//! The access line of every request ([`access`]) skips even the `tracing` dispatch when this
//! subscriber is the one installed: it is formatted directly, into the same line the
//! equivalent `tracing` event would give.

mod format;
mod sink;

use super::config::{LogFormat, LogLevel};
use format::{
    JsonFields, TextFields, civil_time, json_string, push_key, push_member, push_time, push_u64,
    text_value,
};
use sink::Sink;
use std::cell::RefCell;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::{Arc, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};
use tracing::level_filters::LevelFilter;
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::util::SubscriberInitExt;

/// The target of access lines, as filters and log readers see it.
pub const ACCESS_TARGET: &str = "epigraph::access";

/// Keeps the log writer running; dropping it writes out what is pending.
pub struct LogGuard {
    sink: Arc<Sink>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for LogGuard {
    fn drop(&mut self) {
        self.sink.closed.store(true, Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl std::fmt::Debug for LogGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogGuard").finish_non_exhaustive()
    }
}

/// Where [`access`] writes directly: set when our subscriber was installed with `info` on.
static DIRECT: OnceLock<Direct> = OnceLock::new();

struct Direct {
    sink: Arc<Sink>,
    json: bool,
}

/// Installs the global subscriber (unless one is installed already) and starts the writer.
pub fn init(format: LogFormat, level: LogLevel) -> LogGuard {
    let sink = Arc::new(Sink::default());
    let writer = Arc::clone(&sink);
    let thread = std::thread::Builder::new()
        .name("epigraph-log".into())
        .spawn(move || writer.run())
        .ok();
    let level = match level {
        LogLevel::Off => LevelFilter::OFF,
        LogLevel::Error => LevelFilter::ERROR,
        LogLevel::Warn => LevelFilter::WARN,
        LogLevel::Info => LevelFilter::INFO,
        LogLevel::Debug => LevelFilter::DEBUG,
    };
    let json = format == LogFormat::Json;
    let subscriber = LineSubscriber {
        sink: Arc::clone(&sink),
        json,
        level,
    };
    // Also routes the `log` records of actix-web through it.
    if subscriber.try_init().is_ok() && level >= LevelFilter::INFO {
        let _ = DIRECT.set(Direct {
            sink: Arc::clone(&sink),
            json,
        });
    }
    LogGuard { sink, thread }
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

/// Logs the access line of a request at `info`, under [`ACCESS_TARGET`].
pub fn access(entry: &Access<'_>) {
    let Some(direct) = DIRECT.get() else {
        // Another subscriber (tests, an embedding program), or `info` is off: the ordinary way.
        tracing::info!(
            target: ACCESS_TARGET,
            method = entry.method,
            path = entry.path,
            query = entry.query,
            status = entry.status,
            micros = entry.micros,
            route = entry.route,
        );
        return;
    };
    write_line(
        &direct.sink,
        direct.json,
        Level::INFO,
        ACCESS_TARGET,
        |line| {
            push_access_fields(line, direct.json, entry);
        },
    );
}

/// The fields of an access line, formatted as [`TextFields`] or [`JsonFields`] would format
/// the same `tracing` event (the tests hold the two to the same bytes).
fn push_access_fields(line: &mut String, json: bool, entry: &Access<'_>) {
    let key = |line: &mut String, name: &str| {
        if json {
            push_member(line, name);
        } else {
            push_key(line, name);
        }
    };
    let text = |line: &mut String, value: &str| {
        if json {
            json_string(line, value);
        } else {
            text_value(line, value);
        }
    };
    key(line, "method");
    text(line, entry.method);
    key(line, "path");
    text(line, entry.path);
    key(line, "query");
    text(line, entry.query);
    key(line, "status");
    push_u64(line, u64::from(entry.status));
    key(line, "micros");
    push_u64(line, entry.micros);
    key(line, "route");
    text(line, entry.route);
}

thread_local! {
    /// The line being formatted, and the cached `YYYY-MM-DDTHH:MM:SS` of the current second.
    static SCRATCH: RefCell<(String, u64, String)> = RefCell::new((String::with_capacity(256), u64::MAX, String::new()));
}

/// Formats one line (timestamp, level, target, then `fields`) and hands it to `sink`.
fn write_line(
    sink: &Arc<Sink>,
    json: bool,
    level: Level,
    target: &str,
    fields: impl FnOnce(&mut String),
) {
    SCRATCH.with(|scratch| {
        let Ok(mut scratch) = scratch.try_borrow_mut() else {
            return;
        };
        let (line, second, date) = &mut *scratch;
        line.clear();
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        if now.as_secs() != *second {
            *second = now.as_secs();
            *date = civil_time(now.as_secs());
        }
        let level = match level {
            Level::ERROR => "ERROR",
            Level::WARN => " WARN",
            Level::INFO => " INFO",
            Level::DEBUG => "DEBUG",
            Level::TRACE => "TRACE",
        };
        if json {
            line.push_str("{\"timestamp\":\"");
            push_time(line, date, now.subsec_micros());
            line.push_str("\",\"level\":\"");
            line.push_str(level.trim_start());
            line.push_str("\",\"target\":");
            json_string(line, target);
            fields(line);
            line.push_str("}\n");
        } else {
            push_time(line, date, now.subsec_micros());
            line.push(' ');
            line.push_str(level);
            line.push(' ');
            line.push_str(target);
            line.push(':');
            fields(line);
            line.push('\n');
        }
        sink.push(line.as_bytes());
        if line.capacity() > 64 * 1024 {
            *line = String::with_capacity(256);
        }
    });
}

/// The level an event is written at. Two kinds are moved down to `debug`, so the default log
/// says what epigraph does and what goes wrong with it, and a client cannot fill it:
/// - a library's progress notes ("starting 2 workers", "accept thread stopped"): `info` from
///   outside epigraph;
/// - actix-http's reports of a client's malformed HTTP ("stream error: ..."), which it writes
///   as `error` once per bad request (5,000 bad requests made 5,000 ERROR lines).
///
/// Other libraries' warnings and errors keep their level.
fn effective_level(metadata: &Metadata<'_>) -> Level {
    let level = *metadata.level();
    let target = metadata.target();
    let client_protocol = target.starts_with("actix_http::h1") && level <= Level::WARN;
    let chatter = level == Level::INFO && !target.starts_with("epigraph");
    if client_protocol || chatter {
        Level::DEBUG
    } else {
        level
    }
}

/// A subscriber that writes events as lines. Spans are not tracked (the server opens none),
/// which keeps an event down to a level check and the formatting.
struct LineSubscriber {
    sink: Arc<Sink>,
    json: bool,
    level: LevelFilter,
}

impl Subscriber for LineSubscriber {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        effective_level(metadata) <= self.level
    }

    fn max_level_hint(&self) -> Option<LevelFilter> {
        Some(self.level)
    }

    fn new_span(&self, _span: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _span: &Id, _values: &Record<'_>) {}

    fn record_follows_from(&self, _span: &Id, _follows: &Id) {}

    fn enter(&self, _span: &Id) {}

    fn exit(&self, _span: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let meta = event.metadata();
        write_line(
            &self.sink,
            self.json,
            effective_level(meta),
            meta.target(),
            |line| {
                if self.json {
                    event.record(&mut JsonFields(line));
                } else {
                    event.record(&mut TextFields(line));
                }
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Formats the fields of every event it sees, the way [`LineSubscriber`] does.
    struct Capture {
        json: bool,
        fields: Mutex<String>,
    }

    impl Subscriber for Capture {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, _: &Attributes<'_>) -> Id {
            Id::from_u64(1)
        }
        fn record(&self, _: &Id, _: &Record<'_>) {}
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            let mut fields = self.fields.lock().unwrap();
            if self.json {
                event.record(&mut JsonFields(&mut fields));
            } else {
                event.record(&mut TextFields(&mut fields));
            }
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }

    #[test]
    fn direct_access_lines_match_the_tracing_event() {
        let entries = [
            ("GET", "/random", "", 200, 41, "/random"),
            (
                "HEAD",
                "/quotes/abc",
                "tag=a%20b&x=1",
                404,
                0,
                "/quotes/{id}",
            ),
            (
                "POST",
                "/x",
                "q=\"quoted\" back\\slash",
                405,
                1234567,
                "other",
            ),
            ("GET", "/search", "q=tab\there\u{7f}", 400, 9, "/search"),
            ("GET", "/é", "q=ü", 200, u64::MAX, "other"),
        ];
        for json in [false, true] {
            for (method, path, query, status, micros, route) in entries {
                let entry = Access {
                    method,
                    path,
                    query,
                    status,
                    micros,
                    route,
                };
                let capture = std::sync::Arc::new(Capture {
                    json,
                    fields: Mutex::new(String::new()),
                });
                // No global subscriber in unit tests, so `access` takes the `tracing` way.
                assert!(DIRECT.get().is_none());
                tracing::subscriber::with_default(capture.clone(), || access(&entry));
                let mut direct = String::new();
                push_access_fields(&mut direct, json, &entry);
                assert_eq!(*capture.fields.lock().unwrap(), direct, "{entry:?}");
            }
        }
    }
}
