//! Hostile clients (issue 13): replayed and overflowing timestamps, wrong content types, chat
//! errors in the negotiated format, a body sent one byte at a time, and requests framed twice.
//! Everything on 127.0.0.1, each wait bounded.

#[path = "common/chat.rs"]
mod chat;
#[path = "common/server.rs"]
mod common;

use chat::*;
use common::{TestServer, parse, request_with_body};
use ed25519_dalek::SigningKey;
use epigraph::server::ServerOptions;
use epigraph::server::config::RequestTimeout;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

const FORM: &str = "application/x-www-form-urlencoded";
const JSON: &str = "application/json";

fn signed_slack(s: &Server, ts: &str, body: &str) -> common::Response {
    let mut mac = Hmac::<Sha256>::new_from_slice(SLACK_SECRET.as_bytes()).unwrap();
    mac.update(format!("v0:{ts}:{body}").as_bytes());
    let signature = format!("v0={}", hex::encode(mac.finalize().into_bytes()));
    let headers = [
        ("Content-Type", FORM),
        ("Accept", JSON),
        ("X-Slack-Request-Timestamp", ts),
        ("X-Slack-Signature", signature.as_str()),
    ];
    post(s.addr, "/integrations/slack", &headers, body)
}

fn error_message(r: &common::Response) -> String {
    assert_eq!(r.header("content-type"), Some(JSON), "{}", r.text());
    r.json()["error"]["message"].as_str().unwrap().to_string()
}

#[test]
fn discord_refuses_validly_signed_replays() {
    let s = all_on();
    let key = SigningKey::from_bytes(&SEED);
    let ping = r#"{"type":1}"#;
    let now = now();
    // Margins of a minute either side, so a clock tick during the test changes nothing.
    for fresh in [now, now - 240, now + 240] {
        let r = discord_raw(&s, &key, &fresh.to_string(), ping);
        assert_eq!(r.status, 200, "{fresh}: {}", r.text());
    }
    let year_ago = (now - 365 * 86_400).to_string();
    let stale = [
        year_ago.as_str(),
        &(now - 360).to_string(),
        &(now + 360).to_string(),
        "yesterday",
        &i64::MIN.to_string(),
    ]
    .map(str::to_string);
    for ts in &stale {
        let r = discord_raw(&s, &key, ts, ping);
        assert_eq!(r.status, 401, "{ts:?}");
        assert_eq!(
            r.text(),
            "error: stale or invalid X-Signature-Timestamp\n",
            "{ts:?}"
        );
    }
}

#[test]
fn slack_timestamps_at_the_extremes_are_stale() {
    let s = all_on();
    let body = form("");
    let now = now();
    assert_eq!(signed_slack(&s, &now.to_string(), &body).status, 200);
    // now - 2^63 wrapped to a small difference with `(now - ts).abs()`.
    let wrapping = now.wrapping_sub(i64::MIN).to_string();
    for ts in [
        i64::MIN.to_string(),
        i64::MAX.to_string(),
        wrapping,
        "9223372036854775808".to_string(),
        "abc".to_string(),
        format!("{now}.0"),
    ] {
        let r = signed_slack(&s, &ts, &body);
        assert_eq!(r.status, 401, "{ts}");
        assert_eq!(
            error_message(&r),
            "stale or invalid X-Slack-Request-Timestamp"
        );
    }
}

#[test]
fn webhooks_require_their_platforms_content_type() {
    let s = all_on();
    let body = form("");
    let ts = now().to_string();
    let wrong = [
        ("/integrations/slack", JSON),
        ("/integrations/slack", "text/plain"),
        ("/integrations/slack", "multipart/form-data; boundary=x"),
        ("/integrations/mattermost", JSON),
        ("/integrations/discord", FORM),
        ("/integrations/discord", "text/json"),
    ];
    for (path, content_type) in wrong {
        let headers = [
            ("Content-Type", content_type),
            ("Accept", JSON),
            ("X-Slack-Request-Timestamp", ts.as_str()),
        ];
        let r = post(s.addr, path, &headers, &body);
        assert_eq!(r.status, 415, "{path} {content_type}");
        let want = if path.ends_with("discord") {
            JSON
        } else {
            FORM
        };
        let essence = content_type.split(';').next().unwrap();
        assert_eq!(
            error_message(&r),
            format!("the body must be {want}, got {essence:?}")
        );
    }
    // No Content-Type at all.
    let r = post(
        s.addr,
        "/integrations/mattermost",
        &[("Accept", JSON)],
        &body,
    );
    assert_eq!(r.status, 415);
    // Parameters and case do not matter.
    let r = request_with_body(
        s.addr,
        "POST",
        "/integrations/mattermost",
        &[
            (
                "Content-Type",
                "Application/X-WWW-Form-Urlencoded; charset=utf-8",
            ),
            ("Authorization", &format!("Token {MM_TOKEN}")),
        ],
        body.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
}

#[test]
fn chat_errors_are_negotiated_like_the_api() {
    let s = all_on();
    for path in ["/integrations/slack", "/integrations/discord"] {
        let r = common::request(s.addr, "GET", path, &[("Accept", JSON)]);
        assert_eq!(r.status, 405, "{path}");
        assert_eq!(r.header("allow"), Some("POST"));
        assert_eq!(error_message(&r), "GET is not allowed here; use POST");
        let r = common::request(s.addr, "GET", path, &[]);
        assert_eq!(r.text(), "error: GET is not allowed here; use POST\n");
    }
    let huge = "text=".to_string() + &"a".repeat(20_000);
    let r = post(
        s.addr,
        "/integrations/slack",
        &[("Content-Type", FORM), ("Accept", JSON)],
        &huge,
    );
    assert_eq!(r.status, 413);
    assert_eq!(
        error_message(&r),
        "request bodies are limited to 16384 bytes"
    );
    let r = post(s.addr, "/integrations/slack", &[("Accept", JSON)], "");
    assert_eq!(r.status, 415);
    let key = SigningKey::from_bytes(&SEED);
    let r = discord_raw(&s, &key, &now().to_string(), "not json");
    assert_eq!(r.status, 400);
    assert_eq!(r.text(), "error: the body is not JSON\n");
    let r = discord_raw(&s, &key, &now().to_string(), r#"{"type":99}"#);
    assert_eq!(r.status, 400);
    assert_eq!(r.text(), "error: unsupported interaction type\n");
}

#[test]
fn a_body_that_trickles_is_cut_off_with_408() {
    let options = ServerOptions {
        request_timeout: RequestTimeout(Duration::from_secs(1)),
        ..ServerOptions::default()
    };
    let s = start_with(all_settings(), options);
    let mut stream = TcpStream::connect(s.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let head = format!(
        "POST /integrations/slack HTTP/1.1\r\nHost: x\r\nContent-Type: {FORM}\r\n\
         Accept: application/json\r\nContent-Length: 16000\r\n\r\nt"
    );
    let started = Instant::now();
    stream.write_all(head.as_bytes()).unwrap();
    let mut raw = Vec::new();
    // The server answers and closes; read_to_end returns at the close (or the 10 s guard).
    let _ = stream.read_to_end(&mut raw);
    let elapsed = started.elapsed();
    let r = parse(&raw, false);
    assert_eq!(r.status, 408);
    assert_eq!(r.header("connection"), Some("close"));
    assert_eq!(
        error_message(&r),
        "the request body did not arrive within 1 s"
    );
    assert!(
        elapsed >= Duration::from_millis(900) && elapsed < Duration::from_secs(5),
        "{elapsed:?}"
    );
}

#[test]
fn content_length_and_transfer_encoding_together_are_refused() {
    let server = TestServer::start();
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    // Behind a proxy that frames by Content-Length, the second request would be smuggled.
    let smuggle = "GET /random HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\
                   Content-Length: 44\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n\
                   GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    stream.write_all(smuggle.as_bytes()).unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).to_string();
    // actix may already have parsed the smuggled request by the chunked framing; it is
    // answered with a 400 too, never served.
    let answers: Vec<&str> = text.split("HTTP/1.1 ").skip(1).collect();
    assert!(!answers.is_empty() && answers.len() <= 2, "{text}");
    assert!(answers.iter().all(|a| a.starts_with("400 ")), "{text}");
    assert!(!text.contains("\r\n\r\nok\n"), "{text}");
    let first = format!("HTTP/1.1 {}", answers[0]);
    let r = parse(first.as_bytes(), false);
    assert_eq!(r.header("connection"), Some("close"));
    let body = String::from_utf8_lossy(&r.body);
    let length: usize = r.header("content-length").unwrap().parse().unwrap();
    let envelope: serde_json::Value = serde_json::from_str(&body[..length]).unwrap();
    assert_eq!(
        envelope["error"]["message"],
        "a request may have Content-Length or Transfer-Encoding, not both"
    );
    if let Some(second) = answers.get(1) {
        assert!(
            second.contains("an earlier request on this connection"),
            "{second}"
        );
    }
}

#[test]
fn malformed_requests_do_not_write_error_lines() {
    let mut server = common::Binary::start(&["--log-level", "info"]);
    for _ in 0..50 {
        let mut stream = TcpStream::connect(server.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-A : b\r\n\r\n")
            .unwrap();
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        assert!(raw.starts_with(b"HTTP/1.1 400 "));
    }
    server.signal("TERM");
    assert_eq!(server.wait(Duration::from_secs(20)), Some(0));
    let log = server.stderr();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 2, "{log}");
    assert!(
        lines[0].contains(" INFO epigraph::server: listening on "),
        "{log}"
    );
    assert!(
        lines[1].ends_with(" INFO epigraph::server: stopped"),
        "{log}"
    );
    // At debug they are there, as debug lines.
    let mut server = common::Binary::start(&["--log-level", "debug"]);
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-A : b\r\n\r\n")
        .unwrap();
    let _ = stream.read_to_end(&mut Vec::new());
    server.signal("TERM");
    assert_eq!(server.wait(Duration::from_secs(20)), Some(0));
    let log = server.stderr();
    assert!(
        log.contains("DEBUG actix_http::h1::dispatcher: stream error"),
        "{log}"
    );
    assert!(!log.contains("ERROR"), "{log}");
}

/// Sends raw bytes; the status line and whether the answer had a body or a Content-Type.
fn raw_exchange(addr: std::net::SocketAddr, raw: &[u8]) -> (u16, bool, bool) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    // The server may answer and close before the whole request is written.
    let _ = stream.write_all(raw);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let r = parse(&answer, false);
    (
        r.status,
        !r.body.is_empty(),
        r.header("content-type").is_some(),
    )
}

#[test]
fn the_requests_the_parser_refuses_are_the_documented_ones() {
    // docs/http.md, "Requests the HTTP parser refuses": keep the two in step.
    let server = TestServer::start();
    let head = |line: &[u8], extra: &[u8]| -> Vec<u8> {
        [
            line,
            b"\r\nHost: x\r\nAccept: application/json\r\n",
            extra,
            b"\r\n",
        ]
        .concat()
    };
    let long_target = [b"GET /random?q=".as_slice(), &[b'a'; 65_535], b" HTTP/1.1"].concat();
    let huge_header = [b"X-A: ".as_slice(), &vec![b'a'; 129 * 1024], b"\r\n"].concat();
    let many_headers: Vec<u8> = (0..100)
        .flat_map(|i| format!("X-{i}: a\r\n").into_bytes())
        .collect();
    let get = b"GET /random HTTP/1.1".as_slice();
    let post = b"POST /random HTTP/1.1".as_slice();
    let cases: Vec<(&str, Vec<u8>, u16)> = vec![
        (
            "0xFF in target",
            head(b"GET /random?\xff HTTP/1.1", b""),
            400,
        ),
        ("NUL in target", head(b"GET /random\x00 HTTP/1.1", b""), 400),
        ("DEL in target", head(b"GET /random\x7f HTTP/1.1", b""), 400),
        ("< in target", head(b"GET /<x> HTTP/1.1", b""), 400),
        ("control in value", head(get, b"X-A: a\x01b\r\n"), 400),
        ("CL abc", head(post, b"Content-Length: abc\r\n"), 400),
        ("CL +5", head(post, b"Content-Length: +5\r\n"), 400),
        (
            "two CL",
            head(post, b"Content-Length: 1\r\nContent-Length: 1\r\n"),
            400,
        ),
        ("TE gzip", head(post, b"Transfer-Encoding: gzip\r\n"), 400),
        (
            "two TE",
            head(
                post,
                b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
            ),
            400,
        ),
        ("space before colon", head(get, b"X-A : b\r\n"), 400),
        ("no colon", head(get, b"X-A\r\n"), 400),
        ("obs-fold", head(get, b"X-A: b\r\n c\r\n"), 400),
        ("HTTP/2.0", head(b"GET /random HTTP/2.0", b""), 400),
        ("bad method", head(b"G@T /random HTTP/1.1", b""), 400),
        ("64 KiB target", head(&long_target, b""), 400),
        ("huge head", head(get, &huge_header), 431),
        ("100 headers", head(get, &many_headers), 431),
    ];
    for (name, raw, status) in cases {
        let (got, body, content_type) = raw_exchange(server.addr, &raw);
        assert_eq!(got, status, "{name}");
        assert!(
            !body && !content_type,
            "{name}: no longer empty; update docs/http.md"
        );
    }
    // Just under the URI type's limit, our own 414 answers, with the error body.
    let target = format!("/random?q={}", "a".repeat(60_000));
    let r = common::request(server.addr, "GET", &target, &[("Accept", JSON)]);
    assert_eq!(r.status, 414);
    assert_eq!(
        error_message(&r),
        "the path and query string are limited to 2048 bytes"
    );
}

#[test]
fn slow_headers_time_out_and_connections_per_worker_are_capped() {
    let server = common::Binary::start(&["--max-connections", "2", "--request-timeout", "2"]);
    // Two clients that start a request and never finish its headers take both places.
    let started = Instant::now();
    let mut slow: Vec<TcpStream> = (0..2)
        .map(|_| {
            let mut s = TcpStream::connect(server.addr).unwrap();
            s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                .unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    // A third waits in the backlog until the server drops the slow ones, then is served.
    let mut third = TcpStream::connect(server.addr).unwrap();
    third
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    third
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut raw = Vec::new();
    let _ = third.read_to_end(&mut raw);
    let waited = started.elapsed();
    assert_eq!(parse(&raw, false).status, 200);
    assert!(
        waited >= Duration::from_millis(1500) && waited < Duration::from_secs(8),
        "served after {waited:?}: the cap or the header timeout is not in force"
    );
    for s in &mut slow {
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        assert!(
            raw.starts_with(b"HTTP/1.1 408 "),
            "{:?}",
            String::from_utf8_lossy(&raw)
        );
    }
}

#[test]
fn a_client_that_never_reads_is_dropped_after_the_send_timeout() {
    // Linux only: the bound is the kernel's TCP_USER_TIMEOUT.
    if !cfg!(target_os = "linux") {
        return;
    }
    // A long keep-alive, so that an idle close cannot end the connection before the send
    // timeout does (actix counts a connection whose answers all sit in kernel buffers as idle).
    let server = common::Binary::start(&["--send-timeout", "1", "--keep-alive", "60"]);
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    // A small receive window fills at once.
    socket.set_recv_buffer_size(4096).unwrap();
    socket.connect(&server.addr.into()).unwrap();
    let mut stream: TcpStream = socket.into();
    let requests = 64;
    let one = "GET /quotes?limit=100&format=json HTTP/1.1\r\nHost: x\r\n\r\n";
    stream.write_all(one.repeat(requests).as_bytes()).unwrap();
    // Never read, for long enough that the zero window outlasts the timeout and a probe or
    // two (the kernel checks at its probe times: about 0.2, 0.6, 1.4, 3.0 s).
    std::thread::sleep(Duration::from_secs(5));
    // The server end is gone: what we send now is answered with a reset, and reading ends
    // early instead of delivering every answer.
    let _ = stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    stream
        .set_read_timeout(Some(Duration::from_secs(3)))
        .unwrap();
    let mut received = Vec::new();
    let mut buf = [0u8; 65536];
    let ended = loop {
        match stream.read(&mut buf) {
            Ok(0) => break "eof",
            Ok(n) => received.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break "reset",
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break "timeout",
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => break "timeout",
            Err(e) => panic!("{e}"),
        }
        if received.len() > 64 << 20 {
            break "too much";
        }
    };
    let answers = String::from_utf8_lossy(&received)
        .matches("HTTP/1.1 200 OK")
        .count();
    assert!(
        ended == "reset" || ended == "eof",
        "connection still open ({ended}) after {answers} answers"
    );
    assert!(answers < requests + 1, "{answers}");
}
