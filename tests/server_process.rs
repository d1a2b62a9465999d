//! The real `epigraph serve` binary: graceful SIGTERM, SIGHUP reloads that succeed and fail,
//! JSON logs, startup errors, and separately started replicas that agree.

#[path = "common/server.rs"]
mod common;

use common::{Binary, eventually, request, total};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

#[test]
fn sigterm_drains_in_flight_requests_and_exits_zero() {
    let mut server = Binary::start(&[]);
    let addr = server.addr;
    let stop = Arc::new(AtomicBool::new(false));
    // Clients keep requests in flight while SIGTERM arrives. Every answer that starts must be
    // whole: a 200 with a complete JSON body. Connections the closing server no longer takes
    // are fine; a response cut short is not.
    let clients: Vec<_> = (0..4)
        .map(|_| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let (mut whole, mut cut) = (0, Vec::new());
                let started = Instant::now();
                for _ in 0..5_000 {
                    if stop.load(Ordering::Relaxed) || started.elapsed() > Duration::from_secs(20) {
                        break;
                    }
                    let Ok(mut stream) = TcpStream::connect(addr) else {
                        continue;
                    };
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                    let request =
                        b"GET /random?format=json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
                    if stream.write_all(request).is_err() {
                        continue;
                    }
                    let mut raw = Vec::new();
                    let _ = stream.read_to_end(&mut raw);
                    if raw.is_empty() {
                        continue;
                    }
                    let text = String::from_utf8_lossy(&raw).into_owned();
                    let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
                    let complete = text.starts_with("HTTP/1.1 200")
                        && serde_json::from_str::<serde_json::Value>(body)
                            .is_ok_and(|v| v["id"].is_string());
                    if complete { whole += 1 } else { cut.push(text) }
                }
                (whole, cut)
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(400));
    server.signal("TERM");
    assert_eq!(server.wait(Duration::from_secs(15)), Some(0));
    stop.store(true, Ordering::Relaxed);
    let mut served = 0;
    for client in clients {
        let (whole, cut) = client.join().unwrap();
        assert!(cut.is_empty(), "responses cut short by shutdown: {cut:?}");
        served += whole;
    }
    assert!(served > 0, "no request was served before SIGTERM");
    // Nothing listens any more.
    assert!(TcpStream::connect_timeout(&addr, Duration::from_millis(500)).is_err());
}

#[test]
fn sighup_reloads_and_a_failed_reload_keeps_the_old_quotes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("house.fortune");
    std::fs::write(&file, "The first house quote.\n%\n").unwrap();
    let mut server = Binary::start(&["--quotes", file.to_str().unwrap()]);
    assert_eq!(total(&server, "house"), 1);

    std::fs::write(
        &file,
        "The first house quote.\n%\nA second house quote.\n%\n",
    )
    .unwrap();
    server.signal("HUP");
    assert!(eventually(Duration::from_secs(10), || total(
        &server, "house"
    ) == 2));
    let (_, found) = (
        0,
        request(server.addr, "GET", "/search?q=second+house", &[]),
    );
    assert!(found.text().contains("A second house quote."));

    std::fs::write(&file, b"\x00\x00 not a collection").unwrap();
    server.signal("HUP");
    assert!(eventually(Duration::from_secs(10), || {
        server
            .get("/metrics")
            .text()
            .contains("epigraph_reloads_total{result=\"error\"} 1")
    }));
    assert_eq!(total(&server, "house"), 2);
    assert_eq!(server.get("/readyz").status, 200);

    server.signal("TERM");
    assert_eq!(server.wait(Duration::from_secs(15)), Some(0));
    let log = server.stderr();
    assert!(log.contains("house.fortune:1:"), "{log}");
    assert!(log.contains("still serving the previous"), "{log}");
}

#[test]
fn json_logs_have_one_object_per_line_with_request_fields() {
    let mut server = Binary::start(&[
        "--log-format",
        "json",
        "--log-level",
        "info",
        "--access-log",
    ]);
    assert_eq!(server.get("/random?tag=death").status, 200);
    server.signal("TERM");
    assert_eq!(server.wait(Duration::from_secs(15)), Some(0));
    let log = server.stderr();
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let access = lines
        .iter()
        .find(|l| l["path"] == "/random")
        .unwrap_or_else(|| panic!("{log}"));
    assert_eq!(access["status"], 200);
    assert_eq!(access["method"], "GET");
    assert_eq!(access["query"], "tag=death");
    assert!(access["micros"].is_u64());
    assert_eq!(access["level"], "INFO");
}

#[test]
fn request_lines_are_written_only_when_asked_for() {
    let log_of = |args: &[&str], env: &[(&str, &str)]| {
        let mut server = Binary::start_with_env(args, env);
        assert_eq!(server.get("/random?tag=death").status, 200);
        server.signal("TERM");
        assert_eq!(server.wait(Duration::from_secs(15)), Some(0));
        server.stderr()
    };
    let info = ["--log-level", "info"];
    let logged = ["--log-level", "info", "--access-log"];
    for (args, env, wanted) in [
        (&info[..], &[][..], false),
        (&info[..], &[("EPIGRAPH_ACCESS_LOG", "0")][..], false),
        (&info[..], &[("EPIGRAPH_ACCESS_LOG", "off")][..], false),
        (&logged[..], &[][..], true),
        (&info[..], &[("EPIGRAPH_ACCESS_LOG", "true")][..], true),
        (&info[..], &[("EPIGRAPH_ACCESS_LOG", "1")][..], true),
    ] {
        let log = log_of(args, env);
        assert!(log.contains("listening on"), "{log}");
        let line = log
            .lines()
            .find(|l| l.contains("epigraph::access") && l.contains("path=/random"));
        let Some(line) = line else {
            assert!(!wanted, "no request line with {args:?} {env:?}: {log}");
            continue;
        };
        assert!(wanted, "a request line with {args:?} {env:?}: {log}");
        let expected =
            " INFO epigraph::access: method=GET path=/random query=\"tag=death\" status=200";
        assert!(line.contains(expected), "{line}");
        assert!(line.ends_with(" route=/random"), "{line}");
    }
}

#[test]
fn missing_collections_or_bad_addresses_stop_the_start_with_a_message() {
    for (args, expected) in [
        (
            vec!["--quotes", "/nonexistent/epigraph-quotes"],
            "/nonexistent/epigraph-quotes",
        ),
        (
            vec!["--listen", "256.0.0.1:80"],
            "cannot listen on 256.0.0.1:80",
        ),
        (vec!["--workers", "0"], "--workers"),
    ] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_epigraph"))
            .arg("serve")
            .args(&args)
            .env("EPIGRAPH_LISTEN", "127.0.0.1:0")
            .output()
            .unwrap();
        assert!(!output.status.success(), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

#[test]
fn environment_variables_configure_the_server() {
    let port = common::free_port();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_epigraph"))
        .arg("serve")
        .env("EPIGRAPH_LISTEN", format!("127.0.0.1:{port}"))
        .env("EPIGRAPH_WORKERS", "1")
        .env("EPIGRAPH_LOG_LEVEL", "off")
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let addr = format!("127.0.0.1:{port}").parse().unwrap();
    let up = eventually(Duration::from_secs(20), || {
        TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok()
    });
    let _ = child.kill();
    let _ = child.wait();
    assert!(up, "EPIGRAPH_LISTEN was not used");
}

#[test]
fn separately_started_replicas_agree() {
    let a = Binary::start(&[]);
    let b = Binary::start(&[]);
    for target in [
        "/today?format=json",
        "/today?format=json&tag=taxes",
        "/today?format=json&date=2031-07-14&collection=pratchett",
        "/quotes?format=json&limit=100&page=2",
        "/quotes?format=text&sort=length&limit=50",
        "/search?q=death&format=json",
        "/tags?format=json",
        "/collections?format=html",
    ] {
        let (ra, rb) = (a.get(target), b.get(target));
        assert_eq!(ra.status, 200, "{target}");
        assert_eq!(ra.body, rb.body, "{target}");
        assert_eq!(ra.header("etag"), rb.header("etag"), "{target}");
    }
    let list = a.get("/quotes?format=json&limit=100").json();
    for q in list["results"].as_array().unwrap().iter().take(20) {
        let path = q["permalink"].as_str().unwrap();
        let (ra, rb) = (a.get(path), b.get(path));
        assert_eq!(ra.status, 200);
        assert_eq!(ra.body, rb.body);
        assert_eq!(ra.header("etag"), rb.header("etag"));
    }
}

#[test]
fn a_broken_file_at_start_is_reported_and_the_rest_serves() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.fortune"), "A good extra quote.\n%\n").unwrap();
    std::fs::write(dir.path().join("broken.fortune"), b"\0\0 not text").unwrap();
    let mut server = Binary::start(&["--quotes", dir.path().to_str().unwrap()]);
    assert_eq!(total(&server, "good"), 1);
    server.signal("TERM");
    assert_eq!(server.wait(Duration::from_secs(15)), Some(0));
    let log = server.stderr();
    assert!(
        log.contains("broken.fortune:1: error: not a collection"),
        "{log}"
    );
}

#[test]
fn a_start_logs_one_line_of_its_own_and_no_framework_chatter() {
    // Timestamps vary; the rest of each line is exact.
    let strip = |log: &str| -> Vec<String> {
        log.lines()
            .map(|l| l.split_once(' ').map_or(l, |(_, rest)| rest).to_string())
            .collect()
    };
    let mut server = Binary::start(&["--log-level", "info"]);
    let addr = server.addr;
    server.signal("TERM");
    assert_eq!(server.wait(Duration::from_secs(20)), Some(0));
    let (corpus, _) = epigraph::corpus::Corpus::embedded();
    let (quotes, collections) = (corpus.quotes().len(), corpus.collections().len());
    assert_eq!(
        strip(&server.stderr()),
        [
            format!(
                " INFO epigraph::server: listening on http://{addr} quotes={quotes} \
                 collections={collections} workers=1"
            ),
            " INFO epigraph::server: stopped".to_string(),
        ]
    );
    // The verbosity flag still shows the framework's lines (at the level the framework gives
    // them), and so does RUST_LOG naming the framework.
    for (args, env) in [
        (&["--log-level", "debug"][..], &[][..]),
        (
            &["--log-level", "info"][..],
            &[("RUST_LOG", "actix_server=info")][..],
        ),
    ] {
        let mut server = Binary::start_with_env(args, env);
        server.signal("TERM");
        assert_eq!(server.wait(Duration::from_secs(20)), Some(0));
        let log = server.stderr();
        assert!(
            log.contains(" INFO actix_server::builder: starting 1 workers"),
            "{args:?} {env:?}: {log}"
        );
    }
}
