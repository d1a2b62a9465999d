//! Prometheus metrics kept in plain atomics: requests by route and status, a latency histogram
//! per route, quotes served, reloads; rendered in the text exposition format.
//!
//! Counters are sharded by worker thread (each shard on its own cache lines), so workers never
//! contend on a counter; rendering sums the shards. Routes are the patterns in [`ROUTES`]
//! (anything else, unmatched paths included, is `other`); add new resources there.

use std::cell::Cell;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::time::Duration;

/// The routes counted separately; the last, `other`, takes everything else.
pub const ROUTES: &[&str] = &[
    "/",
    "/random",
    "/quotes",
    "/quotes/{id}",
    "/search",
    "/today",
    "/tags",
    "/collections",
    "/authors",
    "/healthz",
    "/readyz",
    "/metrics",
    "/openapi.json",
    "/quotes/{id}.svg",
    "/random.svg",
    "/today.svg",
    "other",
];

/// Index of `other` in [`ROUTES`].
const OTHER: usize = ROUTES.len() - 1;

/// Status codes counted individually; others are counted by class (`2xx`, ...).
const STATUSES: [u16; 16] = [
    200, 204, 301, 302, 304, 400, 401, 403, 404, 405, 406, 413, 414, 429, 500, 503,
];
const STATUS_SLOTS: usize = STATUSES.len() + 5;

/// Upper bounds of the latency buckets, in microseconds.
const BUCKETS_MICROS: [u64; 12] = [
    100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 1_000_000,
];
const BUCKET_SLOTS: usize = BUCKETS_MICROS.len() + 1;

/// Number of shards; worker threads are spread over them round-robin.
const SHARDS: usize = 8;

#[derive(Default)]
struct RouteCounters {
    statuses: [AtomicU64; STATUS_SLOTS],
    /// Each slot counts its own bucket (the last: slower than every bound); cumulated on render.
    buckets: [AtomicU64; BUCKET_SLOTS],
    sum_micros: AtomicU64,
}

#[repr(align(128))]
struct Shard {
    routes: [RouteCounters; ROUTES.len()],
    quotes_served: AtomicU64,
}

impl Default for Shard {
    fn default() -> Self {
        Shard {
            routes: std::array::from_fn(|_| RouteCounters::default()),
            quotes_served: AtomicU64::new(0),
        }
    }
}

/// All counters of one server.
pub struct Metrics {
    shards: Box<[Shard]>,
    reloads_ok: AtomicU64,
    reloads_failed: AtomicU64,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            shards: (0..SHARDS).map(|_| Shard::default()).collect(),
            reloads_ok: AtomicU64::new(0),
            reloads_failed: AtomicU64::new(0),
        }
    }
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

/// Corpus figures shown as gauges.
#[derive(Debug, Clone, Copy)]
pub struct CorpusGauges {
    /// Quotes loaded.
    pub quotes: usize,
    /// Collections loaded.
    pub collections: usize,
    /// Unix time of the last (re)load.
    pub loaded_at: u64,
}

/// This thread's shard.
fn shard_index() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    thread_local! {
        static SHARD: Cell<usize> = const { Cell::new(usize::MAX) };
    }
    SHARD.with(|shard| {
        if shard.get() == usize::MAX {
            shard.set(NEXT.fetch_add(1, Relaxed) % SHARDS);
        }
        shard.get()
    })
}

fn status_slot(status: u16) -> usize {
    match STATUSES.iter().position(|&s| s == status) {
        Some(i) => i,
        None => STATUSES.len() + usize::from(status / 100).clamp(1, 5) - 1,
    }
}

fn status_label(slot: usize) -> String {
    match STATUSES.get(slot) {
        Some(status) => status.to_string(),
        None => format!("{}xx", slot - STATUSES.len() + 1),
    }
}

/// The index in [`ROUTES`] of a route name (a resource pattern); `other` when unknown.
pub fn route_index(name: Option<&str>) -> usize {
    name.and_then(|n| ROUTES.iter().position(|&r| r == n))
        .unwrap_or(OTHER)
}

/// The route of a request path when it is one of the fixed paths, without asking the router.
pub fn static_route(path: &str) -> Option<usize> {
    Some(match path {
        "/" => 0,
        "/random" => 1,
        "/quotes" => 2,
        "/search" => 4,
        "/today" => 5,
        "/tags" => 6,
        "/collections" => 7,
        "/authors" => 8,
        "/healthz" => 9,
        "/readyz" => 10,
        "/metrics" => 11,
        "/openapi.json" => 12,
        "/random.svg" => 14,
        "/today.svg" => 15,
        _ => return None,
    })
}

impl Metrics {
    fn shard(&self) -> &Shard {
        &self.shards[shard_index() % self.shards.len()]
    }

    /// Counts one finished request on route `route` (an index from [`route_index`]).
    pub fn record(&self, route: usize, status: u16, elapsed: Duration) {
        let route = &self.shard().routes[route.min(OTHER)];
        route.statuses[status_slot(status)].fetch_add(1, Relaxed);
        let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
        let bucket = BUCKETS_MICROS.partition_point(|&bound| bound < micros);
        route.buckets[bucket].fetch_add(1, Relaxed);
        route.sum_micros.fetch_add(micros, Relaxed);
    }

    /// Counts quotes sent to clients.
    pub fn count_quotes(&self, n: usize) {
        if n > 0 {
            self.shard().quotes_served.fetch_add(n as u64, Relaxed);
        }
    }

    /// Counts a reload attempt.
    pub fn count_reload(&self, ok: bool) {
        let counter = if ok {
            &self.reloads_ok
        } else {
            &self.reloads_failed
        };
        counter.fetch_add(1, Relaxed);
    }

    fn sum(&self, get: impl Fn(&Shard) -> &AtomicU64) -> u64 {
        self.shards.iter().map(|s| get(s).load(Relaxed)).sum()
    }

    /// The Prometheus text exposition (format 0.0.4).
    pub fn render(&self, corpus: CorpusGauges) -> String {
        let mut out = String::with_capacity(8192);
        out.push_str(
            "# HELP epigraph_http_requests_total HTTP requests answered, by route and status.\n\
             # TYPE epigraph_http_requests_total counter\n",
        );
        for (r, name) in ROUTES.iter().enumerate() {
            for slot in 0..STATUS_SLOTS {
                let n = self.sum(|s| &s.routes[r].statuses[slot]);
                if n > 0 {
                    let status = status_label(slot);
                    let _ = writeln!(
                        out,
                        "epigraph_http_requests_total{{route=\"{name}\",status=\"{status}\"}} {n}"
                    );
                }
            }
        }
        out.push_str(
            "# HELP epigraph_http_request_duration_seconds Time from request to response head.\n\
             # TYPE epigraph_http_request_duration_seconds histogram\n",
        );
        for (r, name) in ROUTES.iter().enumerate() {
            let counts: Vec<u64> = (0..BUCKET_SLOTS)
                .map(|b| self.sum(|s| &s.routes[r].buckets[b]))
                .collect();
            let total: u64 = counts.iter().sum();
            if total == 0 {
                continue;
            }
            let mut cumulative = 0;
            for (bound, count) in BUCKETS_MICROS.iter().zip(&counts) {
                cumulative += count;
                let le = *bound as f64 / 1e6;
                let _ = writeln!(
                    out,
                    "epigraph_http_request_duration_seconds_bucket{{route=\"{name}\",le=\"{le}\"}} {cumulative}"
                );
            }
            let sum = self.sum(|s| &s.routes[r].sum_micros) as f64 / 1e6;
            let _ = writeln!(
                out,
                "epigraph_http_request_duration_seconds_bucket{{route=\"{name}\",le=\"+Inf\"}} {total}\n\
                 epigraph_http_request_duration_seconds_sum{{route=\"{name}\"}} {sum}\n\
                 epigraph_http_request_duration_seconds_count{{route=\"{name}\"}} {total}"
            );
        }
        let _ = write!(
            out,
            "# HELP epigraph_quotes_served_total Quotes sent in responses.\n\
             # TYPE epigraph_quotes_served_total counter\n\
             epigraph_quotes_served_total {}\n\
             # HELP epigraph_corpus_quotes Quotes loaded.\n\
             # TYPE epigraph_corpus_quotes gauge\n\
             epigraph_corpus_quotes {}\n\
             # HELP epigraph_corpus_collections Collections loaded.\n\
             # TYPE epigraph_corpus_collections gauge\n\
             epigraph_corpus_collections {}\n\
             # HELP epigraph_corpus_loaded_timestamp_seconds When the quotes were last loaded.\n\
             # TYPE epigraph_corpus_loaded_timestamp_seconds gauge\n\
             epigraph_corpus_loaded_timestamp_seconds {}\n\
             # HELP epigraph_reloads_total Reloads on SIGHUP, by result.\n\
             # TYPE epigraph_reloads_total counter\n\
             epigraph_reloads_total{{result=\"ok\"}} {}\n\
             epigraph_reloads_total{{result=\"error\"}} {}\n",
            self.sum(|s| &s.quotes_served),
            corpus.quotes,
            corpus.collections,
            corpus.loaded_at,
            self.reloads_ok.load(Relaxed),
            self.reloads_failed.load(Relaxed),
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_and_renders() {
        let metrics = Metrics::default();
        let random = route_index(Some("/random"));
        assert_eq!(static_route("/random"), Some(random));
        assert_eq!(static_route("/quotes/abc"), None);
        metrics.record(random, 200, Duration::from_micros(300));
        std::thread::scope(|s| {
            s.spawn(|| metrics.record(random, 200, Duration::from_secs(5)));
        });
        metrics.record(route_index(None), 404, Duration::from_micros(10));
        metrics.record(route_index(Some("/nope")), 418, Duration::ZERO);
        metrics.count_quotes(3);
        let text = metrics.render(CorpusGauges {
            quotes: 7,
            collections: 2,
            loaded_at: 1,
        });
        assert!(text.contains("epigraph_http_requests_total{route=\"/random\",status=\"200\"} 2"));
        assert!(text.contains("epigraph_http_requests_total{route=\"other\",status=\"404\"} 1"));
        assert!(text.contains("epigraph_http_requests_total{route=\"other\",status=\"4xx\"} 1"));
        assert!(
            text.contains("route=\"/random\",le=\"0.00025\"} 0"),
            "{text}"
        );
        assert!(
            text.contains("route=\"/random\",le=\"0.0005\"} 1"),
            "{text}"
        );
        assert!(text.contains("route=\"/random\",le=\"+Inf\"} 2"), "{text}");
        assert!(text.contains("epigraph_quotes_served_total 3"));
        assert!(text.contains("epigraph_corpus_quotes 7"));
    }

    #[test]
    fn every_static_route_is_named_as_in_routes() {
        for (i, name) in ROUTES.iter().enumerate() {
            if let Some(index) = static_route(name) {
                assert_eq!(index, i, "{name}");
            }
        }
    }
}
