//! The chat webhooks under hostile clients (issue 13): replayed and overflowing timestamps,
//! wrong content types, errors in the negotiated format, a body sent one byte at a time.
//! Everything on 127.0.0.1, each wait bounded.

#[path = "common/chat.rs"]
mod chat;
#[path = "common/server.rs"]
mod common;

use chat::*;
use common::{parse, request_with_body};
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
