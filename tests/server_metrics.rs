//! `/metrics` of the real binary, scraped over 127.0.0.1 and parsed line by line as a
//! Prometheus scraper would: every sample belongs to a declared family, values are numbers,
//! histograms are cumulative, and the names the docs promise are there with their types.

#[path = "common/server.rs"]
mod common;

use std::collections::HashMap;

/// One sample line: metric name, labels in order, value.
#[derive(Debug)]
struct Sample {
    name: String,
    labels: Vec<(String, String)>,
    value: f64,
}

fn parse_sample(line: &str) -> Sample {
    let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("{line:?}"));
    let value = value
        .parse::<f64>()
        .unwrap_or_else(|e| panic!("{e}: {line:?}"));
    let (name, labels) = match series.split_once('{') {
        None => (series, Vec::new()),
        Some((name, rest)) => {
            let body = rest.strip_suffix('}').unwrap_or_else(|| panic!("{line:?}"));
            let labels = body
                .split(',')
                .map(|pair| {
                    let (k, v) = pair.split_once('=').unwrap_or_else(|| panic!("{line:?}"));
                    let v = v.strip_prefix('"').and_then(|v| v.strip_suffix('"'));
                    (
                        k.to_string(),
                        v.unwrap_or_else(|| panic!("{line:?}")).to_string(),
                    )
                })
                .collect();
            (name, labels)
        }
    };
    Sample {
        name: name.to_string(),
        labels,
        value,
    }
}

/// The family a sample belongs to, given the declared families.
fn family_of<'a>(name: &str, types: &'a HashMap<String, String>) -> Option<&'a str> {
    ["_total", "_bucket", "_sum", "_count", ""]
        .iter()
        .filter_map(|suffix| name.strip_suffix(suffix))
        .find_map(|base| types.get_key_value(base).map(|(k, _)| k.as_str()))
}

#[test]
fn the_binary_s_metrics_parse_and_name_what_the_docs_promise() {
    let server = common::Binary::start(&[]);
    for target in ["/random", "/random", "/quotes/zzz", "/nope", "/healthz"] {
        server.get(target);
    }
    let r = server.get("/metrics");
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("content-type"),
        Some("application/openmetrics-text; version=1.0.0; charset=utf-8")
    );
    let text = r.text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.last(), Some(&"# EOF"), "{text}");
    let mut types: HashMap<String, String> = HashMap::new();
    let mut helps = 0;
    let mut samples = Vec::new();
    for line in &lines[..lines.len() - 1] {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').unwrap();
            assert!(types.insert(name.into(), kind.into()).is_none(), "{line}");
        } else if let Some(rest) = line.strip_prefix("# HELP ") {
            assert!(
                rest.split_once(' ').is_some_and(|(_, h)| !h.is_empty()),
                "{line}"
            );
            helps += 1;
        } else {
            assert!(!line.starts_with('#'), "{line}");
            samples.push(parse_sample(line));
        }
    }
    assert_eq!(helps, types.len(), "a HELP for every family");
    for sample in &samples {
        assert!(family_of(&sample.name, &types).is_some(), "{sample:?}");
        assert!(sample.value >= 0.0, "{sample:?}");
    }
    for (family, kind) in [
        ("epigraph_http_requests", "counter"),
        ("epigraph_http_request_duration_seconds", "histogram"),
        ("epigraph_quotes_served", "counter"),
        ("epigraph_corpus_quotes", "gauge"),
        ("epigraph_corpus_collections", "gauge"),
        ("epigraph_corpus_loaded_timestamp_seconds", "gauge"),
        ("epigraph_reloads", "counter"),
    ] {
        assert_eq!(
            types.get(family).map(String::as_str),
            Some(kind),
            "{family}"
        );
    }
    let value = |name: &str, labels: &[(&str, &str)]| -> Option<f64> {
        samples
            .iter()
            .find(|s| {
                s.name == name
                    && s.labels.len() == labels.len()
                    && labels
                        .iter()
                        .all(|(k, v)| s.labels.iter().any(|(sk, sv)| sk == k && sv == v))
            })
            .map(|s| s.value)
    };
    let requests = "epigraph_http_requests_total";
    assert_eq!(
        value(requests, &[("route", "/random"), ("status", "200")]),
        Some(2.0)
    );
    assert_eq!(
        value(requests, &[("route", "/quotes/{id}"), ("status", "400")]),
        Some(1.0)
    );
    assert_eq!(
        value(requests, &[("route", "other"), ("status", "404")]),
        Some(1.0)
    );
    assert_eq!(value("epigraph_quotes_served_total", &[]), Some(2.0));
    assert_eq!(
        value("epigraph_reloads_total", &[("result", "error")]),
        Some(0.0)
    );
    let quotes = epigraph::corpus::Corpus::embedded().0.quotes().len() as f64;
    assert_eq!(value("epigraph_corpus_quotes", &[]), Some(quotes));
    // Each route's histogram is cumulative and ends at its count.
    let histogram = "epigraph_http_request_duration_seconds";
    for route in ["/random", "other", "/healthz"] {
        let buckets: Vec<(f64, f64)> = samples
            .iter()
            .filter(|s| s.name == format!("{histogram}_bucket"))
            .filter(|s| s.labels.iter().any(|(k, v)| k == "route" && v == route))
            .map(|s| {
                let le = &s.labels.iter().find(|(k, _)| k == "le").unwrap().1;
                let bound = if le == "+Inf" {
                    f64::INFINITY
                } else {
                    le.parse().unwrap()
                };
                (bound, s.value)
            })
            .collect();
        assert_eq!(buckets.len(), 13, "{route}");
        assert!(
            buckets
                .windows(2)
                .all(|w| w[0].0 < w[1].0 && w[0].1 <= w[1].1)
        );
        let count = value(&format!("{histogram}_count"), &[("route", route)]);
        assert_eq!(Some(buckets.last().unwrap().1), count, "{route}");
        assert!(count.unwrap() >= 1.0);
    }
}
