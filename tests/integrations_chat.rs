//! The chat endpoints against requests shaped exactly like Slack's, Mattermost's and
//! Discord's: real HMAC signatures, real Ed25519 signatures, the platforms' body formats.

#[path = "common/chat.rs"]
mod chat;
#[path = "common/server.rs"]
mod common;

use chat::*;
use ed25519_dalek::{Signer, SigningKey};
use epigraph::integrations::routes::ChatSettings;
use epigraph::integrations::slack::SigningSecret;
use serde_json::json;
use std::time::{Duration, Instant};

#[test]
fn slack_answers_every_query_form() {
    let s = all_on();
    let start = Instant::now();
    let r = slack(&s, "");
    assert_eq!(r["response_type"], "in_channel");
    assert!(!r["text"].as_str().unwrap().is_empty());
    assert_eq!(slack(&s, "death")["response_type"], "in_channel");
    assert_eq!(slack(&s, "pratchett")["response_type"], "in_channel");
    let today = slack(&s, "today");
    assert!(
        today["text"]
            .as_str()
            .unwrap()
            .starts_with("Quote of the day")
    );
    assert_eq!(today, slack(&s, "today"));
    let found = slack(&s, "search wizard");
    assert_eq!(found["response_type"], "in_channel");
    assert!(
        found["text"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("wizard")
    );
    let help = slack(&s, "help");
    assert_eq!(help["response_type"], "ephemeral");
    assert!(
        help["text"]
            .as_str()
            .unwrap()
            .contains("/quote search WORDS")
    );
    let unknown = slack(&s, "deathh");
    assert_eq!(unknown["response_type"], "ephemeral");
    assert!(
        unknown["text"].as_str().unwrap().contains("death"),
        "{unknown}"
    );
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn slack_refuses_bad_stale_and_missing_signatures() {
    let s = all_on();
    let body = form("");
    let ts = now();
    let good = slack_signature(ts, &body);
    assert_eq!(slack_raw(&s, ts, &good, &body).status, 200);
    let tampered = body.replace("Steve", "Mallory");
    assert_eq!(slack_raw(&s, ts, &good, &tampered).status, 401);
    let bad = format!("v0={}", "0".repeat(64));
    assert_eq!(slack_raw(&s, ts, &bad, &body).status, 401);
    let stale = ts - 301;
    let r = slack_raw(&s, stale, &slack_signature(stale, &body), &body);
    assert_eq!(r.status, 401);
    let future = ts + 400;
    let r = slack_raw(&s, future, &slack_signature(future, &body), &body);
    assert_eq!(r.status, 401);
    let form_type = ("Content-Type", "application/x-www-form-urlencoded");
    let r = post(s.addr, "/integrations/slack", &[form_type], &body);
    assert_eq!(r.status, 401);
    let huge = "text=".to_string() + &"a".repeat(40_000);
    let r = slack_raw(&s, ts, &slack_signature(ts, &huge), &huge);
    assert_eq!(r.status, 413);
}

#[test]
fn mattermost_accepts_the_token_in_the_header_or_the_field() {
    let s = all_on();
    let body = form("death").replace("gIkuvaNzQIHg97ATvDxqgjtO", MM_TOKEN);
    let header = format!("Token {MM_TOKEN}");
    let r = mattermost(&s, &[("Authorization", &header)], &body);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.json()["response_type"], "in_channel");
    let r = mattermost(&s, &[], &body);
    assert_eq!(r.status, 200);
    let r = mattermost(
        &s,
        &[],
        &form("help").replace("gIkuvaNzQIHg97ATvDxqgjtO", MM_TOKEN),
    );
    assert_eq!(r.json()["response_type"], "ephemeral");
    // Wrong token in the header, in the field, or none at all.
    assert_eq!(
        mattermost(&s, &[("Authorization", "Token nope")], &body).status,
        401
    );
    assert_eq!(mattermost(&s, &[], &form("")).status, 401);
    let none = body.replace(&format!("token={MM_TOKEN}&"), "");
    assert_eq!(mattermost(&s, &[], &none).status, 401);
}

#[test]
fn discord_pings_commands_and_signatures() {
    let s = all_on();
    let key = SigningKey::from_bytes(&SEED);
    let ts = now().to_string();
    let ping = r#"{"type":1}"#;
    let r = discord_raw(&s, &key, &ts, ping);
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), json!({"type": 1}));
    let r = discord_raw(&s, &key, &ts, &discord_command("pratchett"));
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["type"], 4);
    assert_eq!(v["data"]["allowed_mentions"], json!({"parse": []}));
    assert!(v["data"].get("flags").is_none());
    let content = v["data"]["content"].as_str().unwrap();
    assert!(!content.is_empty() && content.chars().count() <= 2000);
    let help = discord_raw(&s, &key, &ts, &discord_command("help")).json();
    assert_eq!(help["data"]["flags"], 64);
    assert!(
        help["data"]["content"]
            .as_str()
            .unwrap()
            .contains("/quote today")
    );
    // Discord's probes: a signature by another key, a tampered body, none at all.
    let other = SigningKey::from_bytes(&[1; 32]);
    assert_eq!(discord_raw(&s, &other, &ts, ping).status, 401);
    let signature = hex::encode(key.sign(format!("{ts}{ping}").as_bytes()).to_bytes());
    let headers = [
        ("Content-Type", "application/json"),
        ("X-Signature-Ed25519", signature.as_str()),
        ("X-Signature-Timestamp", ts.as_str()),
    ];
    let r = post(s.addr, "/integrations/discord", &headers, r#"{"type":2}"#);
    assert_eq!(r.status, 401);
    let r = post(
        s.addr,
        "/integrations/discord",
        &[headers[0], headers[2]],
        ping,
    );
    assert_eq!(r.status, 401);
    let r = post(
        s.addr,
        "/integrations/discord",
        &[headers[0], headers[1], ("X-Signature-Timestamp", "1")],
        ping,
    );
    assert_eq!(r.status, 401);
}

#[test]
fn quotes_are_escaped_for_each_platform() {
    let s = all_on();
    let text = slack(&s, "nasty")["text"].as_str().unwrap().to_string();
    assert!(!text.contains('<') && !text.contains('>'), "{text}");
    assert!(text.contains("&lt;!channel&gt;") && text.contains("&lt;@U024BE7LH&gt;"));
    assert!(!text.contains("*bold*"), "{text}");
    let body = form("nasty").replace("gIkuvaNzQIHg97ATvDxqgjtO", MM_TOKEN);
    let text = mattermost(&s, &[], &body).json()["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        !text.contains("@everyone") && text.contains("\\*bold\\*"),
        "{text}"
    );
    let key = SigningKey::from_bytes(&SEED);
    let ts = now().to_string();
    let v = discord_raw(&s, &key, &ts, &discord_command("nasty")).json();
    let content = v["data"]["content"].as_str().unwrap();
    assert!(
        !content.contains("@everyone") && content.contains("\\*bold\\*"),
        "{content}"
    );
    assert!(
        content.contains("\\<@") && !content.contains("<@U"),
        "{content}"
    );
    assert_eq!(v["data"]["allowed_mentions"]["parse"], json!([]));
}

#[test]
fn endpoints_are_absent_unless_configured() {
    let s = start(ChatSettings::default());
    for path in [
        "/integrations/slack",
        "/integrations/mattermost",
        "/integrations/discord",
    ] {
        assert_eq!(post(s.addr, path, &[], "text=").status, 404, "{path}");
    }
    let only_slack = start(ChatSettings {
        slack: Some(SigningSecret(b"x".to_vec())),
        ..ChatSettings::default()
    });
    assert_eq!(
        post(
            only_slack.addr,
            "/integrations/slack",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            ""
        )
        .status,
        401
    );
    assert_eq!(
        post(only_slack.addr, "/integrations/discord", &[], "").status,
        404
    );
}
