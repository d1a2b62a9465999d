//! Logging with `tracing`: one text or JSON line per event on stderr.
//!
//! Request lines are on the hot path, so the subscriber here is built for it: each event is
//! formatted straight into a thread-local string (the date part of the timestamp is formatted
//! once a second) and appended to that thread's own buffer; a background thread writes all
//! buffers out every 50 ms. A request never waits for stderr nor for another worker; if the
//! reader stalls and 2 MiB pile up in a worker, its new lines are dropped and counted rather
//! than blocking the server. Lines of different workers may interleave out of time order within
//! a 50 ms window; each carries its own timestamp.

use super::config::{LogFormat, LogLevel};
use std::cell::RefCell;
use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tracing::field::{Field, Visit};
use tracing::level_filters::LevelFilter;
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::util::SubscriberInitExt;

/// Most bytes a worker holds before its lines are dropped.
const MAX_PENDING: usize = 2 << 20;
/// How often pending lines are written.
const FLUSH_EVERY: Duration = Duration::from_millis(50);

/// One thread's pending lines; only that thread and the writer ever lock it.
type Buffer = Arc<Mutex<Vec<u8>>>;

#[derive(Default)]
struct Sink {
    buffers: Mutex<Vec<Buffer>>,
    closed: AtomicBool,
    dropped: AtomicU64,
}

thread_local! {
    /// This thread's buffer, with the address of the sink it belongs to.
    static LOCAL: RefCell<Option<(usize, Buffer)>> = const { RefCell::new(None) };
}

impl Sink {
    fn push(self: &Arc<Self>, line: &[u8]) {
        let id = Arc::as_ptr(self) as usize;
        LOCAL.with(|local| {
            let Ok(mut local) = local.try_borrow_mut() else {
                return;
            };
            if local.as_ref().is_none_or(|(owner, _)| *owner != id) {
                let buffer = Buffer::default();
                if let Ok(mut buffers) = self.buffers.lock() {
                    buffers.push(Arc::clone(&buffer));
                }
                *local = Some((id, buffer));
            }
            let Some((_, buffer)) = local.as_ref() else {
                return;
            };
            let Ok(mut pending) = buffer.lock() else {
                return;
            };
            if pending.len() + line.len() > MAX_PENDING {
                self.dropped.fetch_add(1, Relaxed);
            } else {
                pending.extend_from_slice(line);
            }
        });
    }

    /// Writes out every thread's pending lines; `spares` keeps an empty buffer per thread.
    fn flush(&self, spares: &mut Vec<Vec<u8>>) {
        let buffers: Vec<Buffer> = match self.buffers.lock() {
            Ok(buffers) => buffers.clone(),
            Err(_) => return,
        };
        spares.resize_with(buffers.len(), Vec::new);
        let mut stderr = std::io::stderr().lock();
        for (buffer, spare) in buffers.iter().zip(spares.iter_mut()) {
            if let Ok(mut pending) = buffer.lock() {
                if pending.is_empty() {
                    continue;
                }
                std::mem::swap(&mut *pending, spare);
            }
            let _ = stderr.write_all(spare);
            spare.clear();
        }
        let dropped = self.dropped.swap(0, Relaxed);
        if dropped > 0 {
            let _ = writeln!(
                stderr,
                "epigraph: {dropped} log lines dropped (stderr too slow)"
            );
        }
    }

    /// The writer thread: flushes every [`FLUSH_EVERY`] until closed, then once more.
    fn run(&self) {
        let mut spares = Vec::new();
        while !self.closed.load(Relaxed) {
            std::thread::sleep(FLUSH_EVERY);
            self.flush(&mut spares);
        }
        self.flush(&mut spares);
    }
}

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
    let subscriber = LineSubscriber {
        sink: Arc::clone(&sink),
        json: format == LogFormat::Json,
        level,
    };
    // Also routes the `log` records of actix-web through it.
    let _ = subscriber.try_init();
    LogGuard { sink, thread }
}

/// A subscriber that writes events as lines. Spans are not tracked (the server opens none),
/// which keeps an event down to a level check and the formatting.
struct LineSubscriber {
    sink: Arc<Sink>,
    json: bool,
    level: LevelFilter,
}

thread_local! {
    /// The line being formatted, and the cached `YYYY-MM-DDTHH:MM:SS` of the current second.
    static SCRATCH: RefCell<(String, u64, String)> = RefCell::new((String::with_capacity(256), u64::MAX, String::new()));
}

impl Subscriber for LineSubscriber {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.level() <= &self.level
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
            let meta = event.metadata();
            let level = match *meta.level() {
                Level::ERROR => "ERROR",
                Level::WARN => " WARN",
                Level::INFO => " INFO",
                Level::DEBUG => "DEBUG",
                Level::TRACE => "TRACE",
            };
            if self.json {
                line.push_str("{\"timestamp\":\"");
                push_time(line, date, now.subsec_micros());
                line.push_str("\",\"level\":\"");
                line.push_str(level.trim_start());
                line.push_str("\",\"target\":");
                json_string(line, meta.target());
                event.record(&mut JsonFields(line));
                line.push_str("}\n");
            } else {
                push_time(line, date, now.subsec_micros());
                line.push(' ');
                line.push_str(level);
                line.push(' ');
                line.push_str(meta.target());
                line.push(':');
                event.record(&mut TextFields(line));
                line.push('\n');
            }
            self.sink.push(line.as_bytes());
            if line.capacity() > 64 * 1024 {
                *line = String::with_capacity(256);
            }
        });
    }
}

/// `YYYY-MM-DDTHH:MM:SS.uuuuuuZ` from the cached date part and the microseconds.
fn push_time(out: &mut String, date: &str, micros: u32) {
    out.push_str(date);
    out.push('.');
    let mut divisor = 100_000;
    while divisor > 0 {
        out.push(char::from(b'0' + (micros / divisor % 10) as u8));
        divisor /= 10;
    }
    out.push('Z');
}

/// Appends a number in decimal without going through `core::fmt`.
fn push_u64(out: &mut String, n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        out.push(char::from(d));
    }
}

/// `key=value` pairs; the message first, unlabelled.
struct TextFields<'a>(&'a mut String);

impl TextFields<'_> {
    fn key(&mut self, field: &Field) {
        self.0.push(' ');
        self.0.push_str(field.name());
        self.0.push('=');
    }
}

impl Visit for TextFields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.0.push(' ');
            self.0.push_str(value);
            return;
        }
        self.key(field);
        if value.is_empty() || value.contains([' ', '"', '=', '\\']) {
            json_string(self.0, value);
        } else if value.bytes().any(|b| b < 0x20) {
            let _ = write!(self.0, "{value:?}");
        } else {
            self.0.push_str(value);
        }
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.key(field);
        push_u64(self.0, value);
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.0, " {value:?}");
        } else {
            self.key(field);
            let _ = write!(self.0, "{value:?}");
        }
    }
}

/// `,"key":value` members.
struct JsonFields<'a>(&'a mut String);

impl JsonFields<'_> {
    fn key(&mut self, field: &Field) {
        self.0.push_str(",\"");
        self.0.push_str(field.name());
        self.0.push_str("\":");
    }
}

impl Visit for JsonFields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.key(field);
        json_string(self.0, value);
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.key(field);
        push_u64(self.0, value);
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.key(field);
        if value < 0 {
            self.0.push('-');
        }
        push_u64(self.0, value.unsigned_abs());
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.key(field);
        self.0.push_str(if value { "true" } else { "false" });
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.key(field);
        json_string(self.0, &format!("{value:?}"));
    }
}

fn json_string(out: &mut String, value: &str) {
    out.push('"');
    if !value.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        out.push_str(value);
        out.push('"');
        return;
    }
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `YYYY-MM-DDTHH:MM:SS` (UTC) of a Unix time, by Howard Hinnant's days-to-civil algorithm.
fn civil_time(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_time(0), "1970-01-01T00:00:00");
        assert_eq!(civil_time(951_782_400), "2000-02-29T00:00:00");
        assert_eq!(civil_time(1_798_761_599), "2026-12-31T23:59:59");
    }

    #[test]
    fn numbers_and_times() {
        let mut out = String::new();
        push_u64(&mut out, 0);
        out.push(' ');
        push_u64(&mut out, u64::MAX);
        assert_eq!(out, "0 18446744073709551615");
        out.clear();
        push_time(&mut out, "2026-01-02T03:04:05", 42);
        assert_eq!(out, "2026-01-02T03:04:05.000042Z");
    }

    #[test]
    fn json_escaping() {
        let mut out = String::new();
        json_string(&mut out, "a\"b\\c\nd\u{1}é");
        assert_eq!(out, "\"a\\\"b\\\\c\\nd\\u0001é\"");
        let parsed: String = serde_json::from_str(&out).unwrap();
        assert_eq!(parsed, "a\"b\\c\nd\u{1}é");
    }
}
