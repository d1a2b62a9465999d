//! `epigraph serve` options (clap derive, every flag with an `EPIGRAPH_*` fallback) and the
//! validated configuration built from them.

use super::public_url::PublicUrl;
use crate::corpus::Policy;
use crate::integrations::daily_post::Target;
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::time::Duration;

/// `epigraph serve`: quotes over HTTP, for curl, programs and browsers.
#[derive(Debug, Clone, Args)]
#[command(after_help = "\
Endpoints: / /random /quotes /quotes/{id} /search /today /tags /collections /authors
/healthz /readyz /metrics /openapi.json (an OpenAPI 3 document of all of them), cards as
/quotes/{id}.svg|.png, /random.svg|.png, /today.svg|.png, and the feed /today.atom.

Signals: SIGTERM drains in-flight requests and exits 0; SIGHUP reloads the --quotes paths,
keeping the old quotes if any file has an error.")]
pub struct ServeArgs {
    /// Address to listen on, `HOST:PORT` (repeatable; the variable takes a comma-separated list).
    #[arg(
        long = "listen",
        value_name = "ADDR",
        env = "EPIGRAPH_LISTEN",
        value_delimiter = ',',
        default_value = "127.0.0.1:8080"
    )]
    pub listen: Vec<String>,

    /// Collection file or directory to serve besides the embedded collections (repeatable;
    /// the variable takes a colon-separated list). Reloaded on SIGHUP.
    #[arg(
        long = "quotes",
        value_name = "PATH",
        env = "EPIGRAPH_QUOTES",
        value_delimiter = ':'
    )]
    pub quotes: Vec<PathBuf>,

    /// Number of worker threads (default: one per CPU).
    #[arg(long, value_name = "N", env = "EPIGRAPH_WORKERS")]
    pub workers: Option<usize>,

    /// Log format on stderr: human-readable text or one JSON object per line.
    #[arg(
        long,
        value_enum,
        value_name = "FORMAT",
        env = "EPIGRAPH_LOG_FORMAT",
        default_value_t = LogFormat::Text
    )]
    pub log_format: LogFormat,

    /// Least severe log level written (request lines, with --access-log, are `info`).
    /// `RUST_LOG` directives, if set, apply on top and win for the targets they name.
    #[arg(
        long,
        value_enum,
        value_name = "LEVEL",
        env = "EPIGRAPH_LOG_LEVEL",
        default_value_t = LogLevel::Info
    )]
    pub log_level: LogLevel,

    /// Log one line per request (method, path, query, status, time, route) at `info`. Off by
    /// default: /metrics counts requests by route and status, and the line is the largest
    /// single cost of serving /random. (The variable takes 1/0, true/false, yes/no or on/off.)
    #[arg(
        long,
        env = "EPIGRAPH_ACCESS_LOG",
        action = clap::ArgAction::SetTrue,
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub access_log: bool,

    /// Refuse a SIGHUP reload that would lose a collection (its file gone, now a directory or
    /// a broken link) or load a file with no quotes; the old quotes keep serving. Off by
    /// default: such a reload is made, with a warning naming the path. (1/0, true/false, ...)
    #[arg(
        long,
        env = "EPIGRAPH_STRICT_RELOAD",
        action = clap::ArgAction::SetTrue,
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub strict_reload: bool,

    /// Seconds a SIGHUP reload may take; a slower one fails and the old quotes keep serving.
    #[arg(
        long,
        value_name = "SECS",
        env = "EPIGRAPH_RELOAD_TIMEOUT",
        default_value_t = 30
    )]
    pub reload_timeout: u64,

    /// Seconds to let in-flight requests finish after SIGTERM before closing them (an idle
    /// keep-alive connection closes when its --keep-alive ends, if that is sooner).
    #[arg(
        long,
        value_name = "SECS",
        env = "EPIGRAPH_SHUTDOWN_TIMEOUT",
        default_value_t = 30
    )]
    pub shutdown_timeout: u64,

    /// Seconds a client has to send a request's headers, and again its body (chat webhooks);
    /// a slower client gets 408 and is disconnected.
    #[arg(
        long,
        value_name = "SECS",
        env = "EPIGRAPH_REQUEST_TIMEOUT",
        default_value_t = 5
    )]
    pub request_timeout: u64,

    /// Seconds a connection may go without the client accepting any of the data sent to it (a
    /// client that never reads); then the kernel drops it (TCP_USER_TIMEOUT, Linux).
    #[arg(
        long,
        value_name = "SECS",
        env = "EPIGRAPH_SEND_TIMEOUT",
        default_value_t = 30
    )]
    pub send_timeout: u64,

    /// Bytes the kernel may hold of a connection's unsent answers (SO_SNDBUF), fixed rather
    /// than auto-tuned up to 4 MB, so a client that never reads cannot cost megabytes.
    #[arg(
        long,
        value_name = "BYTES",
        env = "EPIGRAPH_SEND_BUFFER",
        default_value_t = 256 * 1024
    )]
    pub send_buffer: usize,

    /// Seconds an idle keep-alive connection stays open between requests.
    #[arg(
        long,
        value_name = "SECS",
        env = "EPIGRAPH_KEEP_ALIVE",
        default_value_t = 5
    )]
    pub keep_alive: u64,

    /// Most connections open at once per worker; past it, new connections wait in the
    /// listen backlog. Keep workers × N below the descriptor limit (`ulimit -n`).
    #[arg(
        long,
        value_name = "N",
        env = "EPIGRAPH_MAX_CONNECTIONS",
        default_value_t = 1024
    )]
    pub max_connections: usize,

    /// Also serve RFC 865 Quote of the Day over TCP on this address (port 17 needs
    /// CAP_NET_BIND_SERVICE); off by default.
    #[arg(long, value_name = "ADDR", env = "EPIGRAPH_QOTD")]
    pub qotd: Option<String>,

    /// Also serve RFC 865 over UDP on this address, rate-limited per source address (UDP QOTD
    /// can be abused for amplification); off by default.
    #[arg(long = "qotd-udp", value_name = "ADDR", env = "EPIGRAPH_QOTD_UDP")]
    pub qotd_udp: Option<String>,

    /// The chat integrations' secrets.
    #[command(flatten)]
    pub chat: super::secrets::ChatArgs,

    /// The server's address as users reach it (e.g. `https://quotes.example.org`), for the
    /// absolute URLs of link previews (`og:image`) and the Atom feed; default: `http://` and
    /// the request's `Host` header.
    #[arg(long, value_name = "URL", env = "EPIGRAPH_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// What each face may not show.
    #[command(flatten)]
    pub deny: deny::DenyArgs,
    /// Post the quote of the day to a chat webhook each day: `PLATFORM=URL@HH:MM[:SS][ZONE]`,
    /// PLATFORM slack, mattermost or discord; ZONE nothing (UTC), a fixed offset such as
    /// `+01:00`, or an IANA name such as `[Europe/Berlin]` (daylight saving followed).
    /// Repeatable; the variable takes a comma-separated list. For a single server: replicas
    /// would each post (use a CronJob).
    #[arg(
        long = "post-daily",
        value_name = "SPEC",
        env = "EPIGRAPH_POST_DAILY",
        value_delimiter = ',',
        hide_env_values = true
    )]
    pub post_daily: Vec<String>,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One human-readable line per event.
    Text,
    /// One JSON object per event.
    Json,
}

/// Least severe level that is logged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogLevel {
    /// Nothing.
    Off,
    /// Failures only.
    Error,
    /// Failures and problems such as a failed reload.
    Warn,
    /// Start, stop, reloads and one line per request.
    Info,
    /// Everything useful for debugging.
    Debug,
}

/// Validated server settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// Addresses to bind.
    pub listen: Vec<String>,
    /// Extra collection files and directories.
    pub quotes: Vec<PathBuf>,
    /// Runtime options of the HTTP server.
    pub options: ServerOptions,
    /// Log format.
    pub log_format: LogFormat,
    /// Log level.
    pub log_level: LogLevel,
    /// Whether a reload that loses a collection is refused (`--strict-reload`).
    pub strict_reload: bool,
    /// How long a SIGHUP reload may take (`--reload-timeout`).
    pub reload_timeout: Duration,
    /// The tags and collections denied per face (`--deny-tag`, `--deny-collection`).
    pub policy: Policy,
    /// The daily posts (`--post-daily`).
    pub post_daily: Vec<Target>,
}

/// Options of the HTTP server itself, independent of where it listens.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// Worker threads.
    pub workers: usize,
    /// Grace period for in-flight requests on shutdown.
    pub shutdown_timeout: Duration,
    /// Whether SIGTERM/SIGINT stop the server (off for servers embedded in tests).
    pub handle_signals: bool,
    /// Whether each request is logged (`--access-log`).
    pub access_log: bool,
    /// Time allowed for a request's headers, and again for a chat webhook's body.
    pub request_timeout: RequestTimeout,
    /// Idle time allowed between requests on one connection.
    pub keep_alive: Duration,
    /// Time a connection may go without the client accepting sent data (`None`: the system's).
    pub send_timeout: Option<Duration>,
    /// Kernel send buffer of each connection (`None`: auto-tuned by the system).
    pub send_buffer: Option<usize>,
    /// Most open connections per worker.
    pub max_connections: usize,
    /// The base of absolute URLs (`--public-url`; `None`: from the `Host` header).
    pub public_url: Option<PublicUrl>,
}

/// How long a client may take to send a request's headers, and again its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestTimeout(pub Duration);

impl Default for RequestTimeout {
    fn default() -> Self {
        RequestTimeout(Duration::from_secs(5))
    }
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            workers: default_workers(),
            shutdown_timeout: Duration::from_secs(30),
            handle_signals: true,
            access_log: false,
            request_timeout: RequestTimeout::default(),
            keep_alive: Duration::from_secs(5),
            send_timeout: Some(Duration::from_secs(30)),
            send_buffer: Some(256 * 1024),
            max_connections: 1024,
            public_url: None,
        }
    }
}

/// Most workers accepted; more threads than this only cost memory.
const MAX_WORKERS: usize = 256;

fn default_workers() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

impl Config {
    /// Checks the arguments and fills in defaults.
    pub fn from_args(args: ServeArgs) -> anyhow::Result<Config> {
        let workers = match args.workers {
            None => default_workers(),
            Some(n) if (1..=MAX_WORKERS).contains(&n) => n,
            Some(n) => anyhow::bail!("--workers must be between 1 and {MAX_WORKERS}, got {n}"),
        };
        let listen: Vec<String> = args
            .listen
            .into_iter()
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect();
        if listen.is_empty() {
            anyhow::bail!("--listen needs an address such as 127.0.0.1:8080");
        }
        if args.request_timeout == 0 {
            anyhow::bail!("--request-timeout must be at least 1 second");
        }
        if args.send_timeout == 0 {
            anyhow::bail!("--send-timeout must be at least 1 second");
        }
        if args.send_buffer < 4096 || args.reload_timeout == 0 {
            anyhow::bail!("--send-buffer must be at least 4096 and --reload-timeout at least 1");
        }
        if args.max_connections == 0 {
            anyhow::bail!("--max-connections must be at least 1");
        }
        // Parsed here, not by clap, whose errors would repeat the URL (a secret) verbatim.
        let post_daily = (args.post_daily.iter().enumerate())
            .filter(|(_, spec)| !spec.trim().is_empty())
            .map(|(i, spec)| {
                Target::parse(spec).map_err(|e| anyhow::anyhow!("--post-daily #{}: {e}", i + 1))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Config {
            listen,
            quotes: args.quotes,
            options: ServerOptions {
                workers,
                shutdown_timeout: Duration::from_secs(args.shutdown_timeout),
                handle_signals: true,
                access_log: args.access_log,
                request_timeout: RequestTimeout(Duration::from_secs(args.request_timeout)),
                keep_alive: Duration::from_secs(args.keep_alive),
                send_timeout: Some(Duration::from_secs(args.send_timeout)),
                send_buffer: Some(args.send_buffer),
                max_connections: args.max_connections,
                public_url: args
                    .public_url
                    .as_deref()
                    .map(PublicUrl::parse)
                    .transpose()?,
            },
            log_format: args.log_format,
            log_level: args.log_level,
            strict_reload: args.strict_reload,
            reload_timeout: Duration::from_secs(args.reload_timeout),
            policy: args.deny.policy(),
            post_daily,
        })
    }
}

pub mod deny;

#[cfg(test)]
mod tests;
