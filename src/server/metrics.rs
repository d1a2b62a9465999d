//! Prometheus metrics with `prometheus-client`: requests by route and status, a latency
//! histogram per route, quotes served, reloads, and the corpus as gauges; `/metrics` writes
//! them in the OpenMetrics text format ([`CONTENT_TYPE`]).
//!
//! Labels stay few: routes are the patterns in [`ROUTES`] (anything else, unmatched paths
//! included, is `other`; add new resources there), and statuses outside a fixed list are
//! counted by class (`4xx`), so no client can grow the label sets.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use std::time::Duration;

/// The content type of the exposition `/metrics` answers with.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

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

/// Status codes counted individually, and their labels; others are counted by class.
const STATUSES: [u16; 16] = [
    200, 204, 301, 302, 304, 400, 401, 403, 404, 405, 406, 413, 414, 429, 500, 503,
];
const STATUS_LABELS: [&str; 16] = [
    "200", "204", "301", "302", "304", "400", "401", "403", "404", "405", "406", "413", "414",
    "429", "500", "503",
];
const CLASS_LABELS: [&str; 5] = ["1xx", "2xx", "3xx", "4xx", "5xx"];

/// Upper bounds of the latency buckets, in seconds (100 µs to 1 s).
const BUCKETS: [f64; 12] = [
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0,
];

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct RouteStatus {
    route: &'static str,
    status: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct Route {
    route: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct Outcome {
    result: &'static str,
}

type Durations = Family<Route, Histogram, fn() -> Histogram>;

fn latency_histogram() -> Histogram {
    Histogram::new(BUCKETS)
}

/// All metrics of one server, registered once.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RouteStatus, Counter>,
    durations: Durations,
    quotes_served: Counter,
    reloads: Family<Outcome, Counter>,
    corpus_quotes: Gauge,
    corpus_collections: Gauge,
    loaded_at: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::default();
        let requests = Family::<RouteStatus, Counter>::default();
        let durations = Durations::new_with_constructor(latency_histogram);
        let quotes_served = Counter::default();
        let reloads = Family::<Outcome, Counter>::default();
        // Both results are shown from the start, so a query for failures finds a zero.
        for result in ["ok", "error"] {
            let _ = reloads.get_or_create(&Outcome { result });
        }
        let (corpus_quotes, corpus_collections, loaded_at) =
            (Gauge::default(), Gauge::default(), Gauge::default());
        // Counter names go without `_total`, help texts without the final period: the
        // encoder adds both.
        registry.register(
            "epigraph_http_requests",
            "HTTP requests answered, by route and status",
            requests.clone(),
        );
        registry.register(
            "epigraph_http_request_duration_seconds",
            "Time from request to response head",
            durations.clone(),
        );
        registry.register(
            "epigraph_quotes_served",
            "Quotes sent in responses",
            quotes_served.clone(),
        );
        registry.register(
            "epigraph_corpus_quotes",
            "Quotes loaded",
            corpus_quotes.clone(),
        );
        registry.register(
            "epigraph_corpus_collections",
            "Collections loaded",
            corpus_collections.clone(),
        );
        registry.register(
            "epigraph_corpus_loaded_timestamp_seconds",
            "When the quotes were last loaded",
            loaded_at.clone(),
        );
        registry.register(
            "epigraph_reloads",
            "Reloads on SIGHUP, by result",
            reloads.clone(),
        );
        Metrics {
            registry,
            requests,
            durations,
            quotes_served,
            reloads,
            corpus_quotes,
            corpus_collections,
            loaded_at,
        }
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

fn status_label(status: u16) -> &'static str {
    match STATUSES.iter().position(|&code| code == status) {
        Some(i) => STATUS_LABELS[i],
        None => CLASS_LABELS[usize::from(status / 100).clamp(1, 5) - 1],
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

/// Clamps a count into a gauge's `i64`.
fn gauge_value(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Metrics {
    /// Counts one finished request on route `route` (an index from [`route_index`]).
    pub fn record(&self, route: usize, status: u16, elapsed: Duration) {
        let route = ROUTES[route.min(OTHER)];
        let status = status_label(status);
        self.requests
            .get_or_create(&RouteStatus { route, status })
            .inc();
        self.durations
            .get_or_create(&Route { route })
            .observe(elapsed.as_secs_f64());
    }

    /// Counts quotes sent to clients.
    pub fn count_quotes(&self, n: usize) {
        if n > 0 {
            self.quotes_served.inc_by(n as u64);
        }
    }

    /// Counts a reload attempt.
    pub fn count_reload(&self, ok: bool) {
        let result = if ok { "ok" } else { "error" };
        self.reloads.get_or_create(&Outcome { result }).inc();
    }

    /// The exposition in the OpenMetrics text format, with the corpus gauges as given.
    pub fn render(&self, corpus: CorpusGauges) -> String {
        self.corpus_quotes.set(gauge_value(corpus.quotes as u64));
        self.corpus_collections
            .set(gauge_value(corpus.collections as u64));
        self.loaded_at.set(gauge_value(corpus.loaded_at));
        let mut out = String::with_capacity(8192);
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
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
        metrics.count_reload(false);
        let text = metrics.render(CorpusGauges {
            quotes: 7,
            collections: 2,
            loaded_at: 1,
        });
        let has = |line: &str| text.lines().any(|l| l == line);
        for line in [
            "# HELP epigraph_http_requests HTTP requests answered, by route and status.",
            "# TYPE epigraph_http_requests counter",
            "epigraph_http_requests_total{route=\"/random\",status=\"200\"} 2",
            "epigraph_http_requests_total{route=\"other\",status=\"404\"} 1",
            "epigraph_http_requests_total{route=\"other\",status=\"4xx\"} 1",
            "# TYPE epigraph_http_request_duration_seconds histogram",
            "epigraph_http_request_duration_seconds_bucket{le=\"0.00025\",route=\"/random\"} 0",
            "epigraph_http_request_duration_seconds_bucket{le=\"0.0005\",route=\"/random\"} 1",
            "epigraph_http_request_duration_seconds_bucket{le=\"+Inf\",route=\"/random\"} 2",
            "epigraph_http_request_duration_seconds_count{route=\"/random\"} 2",
            "epigraph_quotes_served_total 3",
            "epigraph_corpus_quotes 7",
            "epigraph_corpus_collections 2",
            "epigraph_corpus_loaded_timestamp_seconds 1",
            "epigraph_reloads_total{result=\"ok\"} 0",
            "epigraph_reloads_total{result=\"error\"} 1",
            "# EOF",
        ] {
            assert!(has(line), "no line {line:?} in\n{text}");
        }
    }

    #[test]
    fn status_labels_name_their_codes() {
        for (code, label) in STATUSES.iter().zip(STATUS_LABELS) {
            assert_eq!(code.to_string(), label);
        }
        assert_eq!(status_label(418), "4xx");
        assert_eq!(status_label(99), "1xx");
        assert_eq!(status_label(999), "5xx");
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
