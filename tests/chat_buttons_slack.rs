//! Slack's "Another" button against the real binary: the slash command's blocks, signed
//! `block_actions` clicks on `/integrations/slack/actions`, and the replacement arriving at a
//! mock `response_url` server, only when the URL is inside `--slack-response-url-prefix`.

#[path = "common/buttons.rs"]
mod buttons;
#[path = "common/chat.rs"]
mod chat;
#[path = "common/server.rs"]
mod common;

use buttons::{Mock, Served, TINY, serve};
use chat::{form, now, post, slack_signature};
use common::Response;
use epigraph::corpus::deck::Deck;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::time::{Duration, Instant};

const FORM: &str = "application/x-www-form-urlencoded";

fn signed(s: &Served, path: &str, body: &str) -> Response {
    let ts = now();
    let ts_text = ts.to_string();
    let signature = slack_signature(ts, body);
    let headers = [
        ("Content-Type", FORM),
        ("X-Slack-Request-Timestamp", ts_text.as_str()),
        ("X-Slack-Signature", signature.as_str()),
    ];
    post(s.server.addr, path, &headers, body)
}

/// A `block_actions` payload as Slack sends it for a click on `value`'s button.
fn click_body(action_id: &str, value: &str, response_url: &str) -> String {
    let payload = json!({
        "type": "block_actions",
        "user": { "id": "U2147483697", "username": "steve", "team_id": "T0001" },
        "api_app_id": "A123456", "token": "gIkuvaNzQIHg97ATvDxqgjtO",
        "container": { "type": "message", "message_ts": "1548261231.000200",
                       "channel_id": "C2147483705", "is_ephemeral": false },
        "trigger_id": "12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3",
        "team": { "id": "T0001", "domain": "example" },
        "channel": { "id": "C2147483705", "name": "test" },
        "response_url": response_url,
        "actions": [{ "action_id": action_id, "block_id": "another", "value": value,
                      "type": "button", "action_ts": "1548426417.840180" }]
    });
    serde_urlencoded::to_string([("payload", payload.to_string())]).unwrap()
}

/// The button value in a message's actions block.
fn value_of(message: &Value) -> String {
    message["blocks"][1]["elements"][0]["value"]
        .as_str()
        .unwrap_or_else(|| panic!("no button in {message}"))
        .to_string()
}

fn assert_value_shape(value: &str) {
    let (token, text) = value.split_once(':').expect("TOKEN:TEXT");
    assert_eq!(text, "tiny");
    assert!(Deck::parse(token).is_ok(), "{token}");
}

/// The exact reply of `/quote tiny`: the text, and the blocks a channel shows.
fn expected(text: &str, value: &str) -> Value {
    json!({
        "response_type": "in_channel",
        "text": text,
        "blocks": [
            { "type": "section", "text": { "type": "mrkdwn", "text": text } },
            { "type": "actions", "elements": [{
                "type": "button",
                "text": { "type": "plain_text", "text": "Another" },
                "action_id": "another",
                "value": value
            }] }
        ]
    })
}

#[test]
fn following_another_visits_every_quote_once_through_the_response_url() {
    let mock = Mock::start();
    let prefix = format!("{}/slack/", mock.base());
    let s = serve(&["--slack-response-url-prefix", &prefix]);
    let r = signed(&s, "/integrations/slack", &form("tiny"));
    assert_eq!(r.status, 200, "{}", r.text());
    let reply = r.json();
    let first = reply["text"].as_str().unwrap().to_string();
    let mut value = value_of(&reply);
    assert_value_shape(&value);
    assert_eq!(reply, expected(&first, &value));
    let mut seen = vec![first];
    let response_url = format!("{prefix}actions/T0001/1/abc");
    for _ in 0..TINY.len() {
        let started = Instant::now();
        let r = signed(
            &s,
            "/integrations/slack/actions",
            &click_body("another", &value, &response_url),
        );
        assert_eq!(r.status, 200, "{}", r.text());
        assert!(r.body.is_empty(), "the ack has no body: {}", r.text());
        assert!(started.elapsed() < Duration::from_secs(3));
        let (line, body) = mock.next(Duration::from_secs(10)).expect("one POST");
        assert_eq!(line, "POST /slack/actions/T0001/1/abc HTTP/1.1");
        let posted: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(posted["replace_original"], true, "{posted}");
        let text = posted["text"].as_str().unwrap().to_string();
        value = value_of(&posted);
        assert_value_shape(&value);
        let mut shown = expected(&text, &value);
        shown.as_object_mut().unwrap().remove("response_type");
        shown["replace_original"] = json!(true);
        assert_eq!(posted, shown);
        seen.push(text);
    }
    assert!(
        mock.next(Duration::from_millis(300)).is_none(),
        "one POST per click"
    );
    // One pass: the four quotes once each; the fifth step begins the next pass.
    let pass: HashSet<&str> = seen[..4].iter().map(String::as_str).collect();
    assert_eq!(pass, TINY.into_iter().collect::<HashSet<_>>(), "{seen:?}");
    assert!(TINY.contains(&seen[4].as_str()));
}

#[test]
fn bad_signatures_foreign_urls_and_junk_post_nothing() {
    let mock = Mock::start();
    let prefix = format!("{}/slack/", mock.base());
    let mut s = serve(&["--slack-response-url-prefix", &prefix]);
    let reply = signed(&s, "/integrations/slack", &form("tiny")).json();
    let value = value_of(&reply);
    let good_url = format!("{prefix}actions/1");

    // A bad signature: 401, nothing posted.
    let body = click_body("another", &value, &good_url);
    let ts = now();
    let signed_click = |ts: i64, signature: &str| {
        let ts_text = ts.to_string();
        let headers = [
            ("Content-Type", FORM),
            ("X-Slack-Request-Timestamp", ts_text.as_str()),
            ("X-Slack-Signature", signature),
        ];
        post(
            s.server.addr,
            "/integrations/slack/actions",
            &headers,
            &body,
        )
    };
    let forged = slack_signature(ts, &body.replace("steve", "mallory"));
    let r = signed_click(ts, &forged);
    assert_eq!(r.status, 401, "{}", r.text());
    // Stale: signed properly, but outside the 300 s window.
    let stale = ts - 301;
    let r = signed_click(stale, &slack_signature(stale, &body));
    assert_eq!(r.status, 401, "{}", r.text());

    // A response_url outside the prefix (here the mock itself, on another path): acknowledged,
    // not posted.
    let outside = format!("{}/elsewhere/1", mock.base());
    let r = signed(
        &s,
        "/integrations/slack/actions",
        &click_body("another", &value, &outside),
    );
    assert_eq!(r.status, 200, "{}", r.text());

    // Junk: 400 with a reason, never 500.
    let cases = [
        (click_body("vote", &value, &good_url), "unknown action_id"),
        (
            click_body("another", "zz:tiny", &good_url),
            "not an epigraph deck",
        ),
        ("payload=%7Bnot+json".to_string(), "not JSON"),
        ("text=hello".to_string(), "no payload"),
    ];
    for (body, reason) in cases {
        let r = signed(&s, "/integrations/slack/actions", &body);
        assert_eq!(r.status, 400, "{body}: {}", r.text());
        assert!(r.text().contains(reason), "{}", r.text());
    }
    assert!(
        mock.next(Duration::from_secs(1)).is_none(),
        "nothing may reach the mock"
    );

    // A token from another set of quotes starts over, with no error: a quote is posted.
    let stale_deck = format!("{}:tiny", Deck::new(1, 2).token());
    let r = signed(
        &s,
        "/integrations/slack/actions",
        &click_body("another", &stale_deck, &good_url),
    );
    assert_eq!(r.status, 200);
    let (_, body) = mock.next(Duration::from_secs(10)).expect("a replacement");
    let posted: Value = serde_json::from_str(&body).unwrap();
    assert!(TINY.contains(&posted["text"].as_str().unwrap()), "{posted}");

    s.server.signal("TERM");
    assert_eq!(s.server.wait(Duration::from_secs(10)), Some(0));
    let log = s.server.stderr();
    assert!(
        log.contains("response_url refused") && log.contains("--slack-response-url-prefix"),
        "{log}"
    );
    assert!(
        !log.contains("/elsewhere/1"),
        "the log names the host only: {log}"
    );
}

#[test]
fn the_default_prefix_refuses_loopback_urls() {
    let mock = Mock::start();
    let s = serve(&[]);
    let reply = signed(&s, "/integrations/slack", &form("tiny")).json();
    let body = click_body("another", &value_of(&reply), &format!("{}/x", mock.base()));
    assert_eq!(signed(&s, "/integrations/slack/actions", &body).status, 200);
    assert!(mock.next(Duration::from_secs(1)).is_none());
}

#[test]
fn help_today_and_search_replies_have_no_button() {
    let s = serve(&[]);
    for text in ["help", "today tiny", "search alpha", "nosuchthing"] {
        let reply = signed(&s, "/integrations/slack", &form(text)).json();
        let blocks = reply["blocks"].as_array().map_or(0, |b| b.len());
        assert!(blocks <= 1, "{text}: {reply}");
    }
    let help = signed(&s, "/integrations/slack", &form("help")).json();
    assert_eq!(help["response_type"], "ephemeral");
    assert!(help.get("blocks").is_none(), "{help}");
}
