//! Discord's and Mattermost's "Another" buttons against the real binary: the command replies
//! exactly as the channel gets them, clicks walking the channel's deck, and forged clicks
//! refused (a bad Ed25519 signature, a tampered Mattermost context).

#[path = "common/buttons.rs"]
mod buttons;
#[path = "common/chat.rs"]
mod chat;
#[path = "common/server.rs"]
mod common;

use buttons::{Served, TINY, serve};
use chat::{MM_TOKEN, SEED, post};
use common::Response;
use ed25519_dalek::{Signer, SigningKey};
use epigraph::corpus::deck::Deck;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use std::collections::HashSet;
use std::time::Duration;

const CHANNEL: &str = "772908445358620702";

fn discord(s: &Served, key: &SigningKey, body: &Value) -> Response {
    let body = body.to_string();
    let ts = chat::now().to_string();
    let signature = hex::encode(key.sign(format!("{ts}{body}").as_bytes()).to_bytes());
    let headers = [
        ("Content-Type", "application/json"),
        ("X-Signature-Ed25519", signature.as_str()),
        ("X-Signature-Timestamp", ts.as_str()),
    ];
    post(s.server.addr, "/integrations/discord", &headers, &body)
}

fn command(text: &str) -> Value {
    let mut body: Value = serde_json::from_str(&chat::discord_command(text)).unwrap();
    body["channel_id"] = json!(CHANNEL);
    body
}

/// A MESSAGE_COMPONENT interaction: a click on the button with `custom_id`.
fn click(custom_id: &str) -> Value {
    json!({
        "type": 3, "id": "786008729715212339", "application_id": "775799577604522054",
        "token": "A_UNIQUE_TOKEN", "version": 1, "channel_id": CHANNEL,
        "message": { "id": "786008729715212340", "content": "..." },
        "data": { "custom_id": custom_id, "component_type": 2 }
    })
}

fn custom_id(data: &Value) -> String {
    data["components"][0]["components"][0]["custom_id"]
        .as_str()
        .unwrap_or_else(|| panic!("no button in {data}"))
        .to_string()
}

/// The exact message data a channel shows for a quote of `tiny`.
fn discord_message(content: &str, custom_id: &str) -> Value {
    json!({
        "content": content,
        "allowed_mentions": { "parse": [] },
        "components": [{ "type": 1, "components": [{
            "type": 2, "style": 2, "label": "Another", "custom_id": custom_id
        }] }]
    })
}

#[test]
fn discord_clicks_update_the_message_with_each_quote_once() {
    let s = serve(&[]);
    let key = SigningKey::from_bytes(&SEED);
    let reply = discord(&s, &key, &command("tiny")).json();
    assert_eq!(reply["type"], 4);
    let first = reply["data"]["content"].as_str().unwrap().to_string();
    let mut id = custom_id(&reply["data"]);
    let token = id.strip_prefix("another:").unwrap().strip_suffix(":tiny");
    assert!(Deck::parse(token.unwrap()).is_ok(), "{id}");
    assert!(id.len() <= 100);
    assert_eq!(reply["data"], discord_message(&first, &id));
    let mut seen = vec![first];
    for _ in 1..TINY.len() {
        let r = discord(&s, &key, &click(&id));
        assert_eq!(r.status, 200, "{}", r.text());
        let update = r.json();
        assert_eq!(update["type"], 7, "UPDATE_MESSAGE: {update}");
        let content = update["data"]["content"].as_str().unwrap().to_string();
        id = custom_id(&update["data"]);
        assert_eq!(update["data"], discord_message(&content, &id));
        seen.push(content);
    }
    let all: HashSet<&str> = seen.iter().map(String::as_str).collect();
    assert_eq!(all, TINY.into_iter().collect::<HashSet<_>>(), "{seen:?}");

    // Forged clicks: signed with another key, or not at all.
    let other = SigningKey::from_bytes(&[7; 32]);
    assert_eq!(discord(&s, &other, &click(&id)).status, 401);
    let unsigned = post(
        s.server.addr,
        "/integrations/discord",
        &[("Content-Type", "application/json")],
        &click(&id).to_string(),
    );
    assert_eq!(unsigned.status, 401);
    // Buttons that are not ours, or values that are not decks: 400.
    for bad in ["vote:1", "another:zz", "another:"] {
        let r = discord(&s, &key, &click(bad));
        assert_eq!(r.status, 400, "{bad}: {}", r.text());
    }
    // Replies that are not a deck's quote carry no button.
    for text in ["help", "today", "search alpha"] {
        let r = discord(&s, &key, &command(text)).json();
        assert!(r["data"].get("components").is_none(), "{text}: {r}");
    }
}

#[test]
fn any_replica_continues_a_channels_deck() {
    // Two servers with the same quotes and no shared state: clicks alternate between them.
    let replicas = [serve(&[]), serve(&[])];
    let key = SigningKey::from_bytes(&SEED);
    let reply = discord(&replicas[0], &key, &command("tiny")).json();
    let mut seen = vec![reply["data"]["content"].as_str().unwrap().to_string()];
    let mut id = custom_id(&reply["data"]);
    for step in 1..TINY.len() {
        let update = discord(&replicas[step % 2], &key, &click(&id)).json();
        assert_eq!(update["type"], 7, "{update}");
        seen.push(update["data"]["content"].as_str().unwrap().to_string());
        id = custom_id(&update["data"]);
    }
    let all: HashSet<&str> = seen.iter().map(String::as_str).collect();
    assert_eq!(all, TINY.into_iter().collect::<HashSet<_>>(), "{seen:?}");
}

#[test]
fn a_button_from_before_a_reload_that_changed_the_set_starts_over_quietly() {
    let s = serve(&[]);
    let key = SigningKey::from_bytes(&SEED);
    let id = custom_id(&discord(&s, &key, &command("tiny")).json()["data"]);
    let mut body: String = TINY.iter().map(|q| format!("{q}\n%\n")).collect();
    body.push_str("Echo five.\n%\n");
    std::fs::write(s.dir.path().join("tiny.fortune"), body).unwrap();
    s.server.signal("HUP");
    assert!(common::eventually(Duration::from_secs(10), || {
        common::total(&s.server, "tiny") == 5
    }));
    let update = discord(&s, &key, &click(&id)).json();
    assert_eq!(update["type"], 7, "no error, a quote: {update}");
    let content = update["data"]["content"].as_str().unwrap();
    assert!(
        TINY.contains(&content) || content == "Echo five.",
        "{content}"
    );
    let next = custom_id(&update["data"]);
    assert_ne!(next, id);
}

#[test]
fn discord_drops_the_button_when_the_custom_id_would_not_fit() {
    // A collection whose name makes `another:TOKEN:NAME` longer than Discord's 100.
    let name = "a".repeat(55);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(format!("{name}.fortune")),
        "Echo five.\n%\n",
    )
    .unwrap();
    let s = serve(&["--quotes", dir.path().to_str().unwrap()]);
    let key = SigningKey::from_bytes(&SEED);
    let r = discord(&s, &key, &command(&name)).json();
    assert_eq!(
        r,
        json!({ "type": 4, "data": { "content": "Echo five.", "allowed_mentions": { "parse": [] } } })
    );
    // A short name keeps its button.
    let r = discord(&s, &key, &command("tiny")).json();
    assert!(r["data"].get("components").is_some(), "{r}");
}

fn mattermost(s: &Served, path: &str, content_type: &str, body: &str) -> Response {
    post(s.server.addr, path, &[("Content-Type", content_type)], body)
}

fn mac(value: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(MM_TOKEN.as_bytes()).unwrap();
    mac.update(format!("epigraph mattermost button\0{value}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

fn mm_command(s: &Served, text: &str) -> Value {
    let body = chat::form(text).replace("gIkuvaNzQIHg97ATvDxqgjtO", MM_TOKEN);
    let r = mattermost(
        s,
        "/integrations/mattermost",
        "application/x-www-form-urlencoded",
        &body,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

/// A click as Mattermost posts it to the button's `integration.url`.
fn mm_click(context: &Value) -> String {
    json!({
        "user_id": "rd49ehbqyjytddasoownkuqrxe", "user_name": "steve",
        "channel_id": "j6j53p28k6urx15fpcgsr20psq", "channel_name": "town-square",
        "team_id": "5xzvbxm5ptr4r1cpykedbf4fgm", "team_domain": "example",
        "post_id": "gqrnh3675jfxzftnjyjfe4udeh", "trigger_id": "", "type": "",
        "data_source": "", "context": context
    })
    .to_string()
}

fn mm_actions(value: &str, url: &str) -> Value {
    json!([{ "actions": [{
        "id": "another", "type": "button", "name": "Another",
        "integration": { "url": url, "context": { "deck": value, "mac": mac(value) } }
    }] }])
}

fn deck_of(attachments: &Value) -> String {
    attachments[0]["actions"][0]["integration"]["context"]["deck"]
        .as_str()
        .unwrap_or_else(|| panic!("no button in {attachments}"))
        .to_string()
}

#[test]
fn mattermost_clicks_with_our_context_update_and_tampered_ones_are_refused() {
    let s = serve(&[]);
    let url = format!("http://{}/integrations/mattermost/actions", s.server.addr);
    let reply = mm_command(&s, "tiny");
    let first = reply["text"].as_str().unwrap().to_string();
    let mut value = deck_of(&reply["attachments"]);
    assert_eq!(
        reply,
        json!({ "response_type": "in_channel", "text": first,
                "attachments": mm_actions(&value, &url) })
    );
    let path = "/integrations/mattermost/actions";
    let mut seen = vec![first];
    for _ in 1..TINY.len() {
        let context = json!({ "deck": value, "mac": mac(&value) });
        let r = mattermost(&s, path, "application/json", &mm_click(&context));
        assert_eq!(r.status, 200, "{}", r.text());
        let update = r.json();
        let message = update["update"]["message"].as_str().unwrap().to_string();
        value = deck_of(&update["update"]["props"]["attachments"]);
        assert_eq!(
            update,
            json!({ "update": { "message": message,
                                "props": { "attachments": mm_actions(&value, &url) } } })
        );
        seen.push(message);
    }
    let all: HashSet<&str> = seen.iter().map(String::as_str).collect();
    assert_eq!(all, TINY.into_iter().collect::<HashSet<_>>(), "{seen:?}");

    // Another deck with our mac, a mac of another key, no mac: 401.
    let other = format!("{}:tiny", Deck::new(1, 2).token());
    let tampered = [
        json!({ "deck": other, "mac": mac(&value) }),
        json!({ "deck": value, "mac": "00".repeat(32) }),
        json!({ "deck": value }),
        json!({}),
    ];
    for context in tampered {
        let r = mattermost(&s, path, "application/json", &mm_click(&context));
        assert_eq!(r.status, 401, "{context}: {}", r.text());
    }
    // Signed but not a deck: 400; not JSON: 400.
    let junk = json!({ "deck": "zz", "mac": mac("zz") });
    let r = mattermost(&s, path, "application/json", &mm_click(&junk));
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(mattermost(&s, path, "application/json", "{").status, 400);
    // Help has no button.
    assert!(mm_command(&s, "help").get("attachments").is_none());
}

#[test]
fn mattermost_buttons_point_at_the_public_url_when_set() {
    let s = serve(&["--public-url", "https://quotes.example.org/"]);
    let reply = mm_command(&s, "tiny");
    let url = &reply["attachments"][0]["actions"][0]["integration"]["url"];
    assert_eq!(
        url,
        "https://quotes.example.org/integrations/mattermost/actions"
    );
}
