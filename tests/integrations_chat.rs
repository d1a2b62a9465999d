//! The chat endpoints against requests shaped exactly like Slack's, Mattermost's and
//! Discord's: real HMAC signatures, real Ed25519 signatures, the platforms' body formats.

#[path = "common/server.rs"]
mod common;

use common::{Response, request_with_body};
use ed25519_dalek::{Signer, SigningKey};
use epigraph::integrations::discord::PublicKey;
use epigraph::integrations::mattermost::Token;
use epigraph::integrations::routes::{ChatSettings, configure};
use epigraph::integrations::slack::SigningSecret;
use epigraph::server::{AppState, ServerOptions, build_with};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use std::net::{SocketAddr, TcpListener};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const SLACK_SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
const MM_TOKEN: &str = "xr3j5x3p4pfjpfmm7ebk5ah1ir";
const SEED: [u8; 32] = [42; 32];
const NASTY: &str = "Hey <!channel> and <@U024BE7LH>, @everyone: *bold* _it_ <https://e.org|x>\n";

struct Server {
    addr: SocketAddr,
    handle: actix_web::dev::ServerHandle,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}

fn start(settings: ChatSettings) -> Server {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("nasty.fortune"), format!("{NASTY}%\n")).unwrap();
    let (state, _) = AppState::load(vec![dir.path().to_path_buf()]).expect("corpus");
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let options = ServerOptions {
                workers: 1,
                shutdown_timeout: Duration::from_secs(1),
                handle_signals: false,
                access_log: true,
            };
            let extra =
                move |cfg: &mut actix_web::web::ServiceConfig| configure(cfg, settings.clone());
            let server = build_with(vec![listener], state, &options, extra).unwrap();
            tx.send(server.handle()).unwrap();
            server.await.unwrap();
        })
    });
    let handle = rx.recv_timeout(Duration::from_secs(10)).unwrap();
    Server {
        addr,
        handle,
        _dir: dir,
    }
}

fn all_on() -> Server {
    let key = SigningKey::from_bytes(&SEED).verifying_key();
    start(ChatSettings {
        slack: Some(SigningSecret(SLACK_SECRET.as_bytes().to_vec())),
        mattermost: Some(Token(MM_TOKEN.into())),
        discord: Some(PublicKey::from_hex(&hex::encode(key.as_bytes())).unwrap()),
    })
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn form(text: &str) -> String {
    serde_urlencoded::to_string([
        ("token", "gIkuvaNzQIHg97ATvDxqgjtO"),
        ("team_id", "T0001"),
        ("team_domain", "example"),
        ("channel_id", "C2147483705"),
        ("channel_name", "test"),
        ("user_id", "U2147483697"),
        ("user_name", "Steve"),
        ("command", "/quote"),
        ("text", text),
        ("response_url", "https://hooks.slack.com/commands/1234/5678"),
        ("trigger_id", "13345224609.738474920.8088930838d88f008e0"),
        ("api_app_id", "A123456"),
    ])
    .unwrap()
}

fn slack_signature(ts: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(SLACK_SECRET.as_bytes()).unwrap();
    mac.update(format!("v0:{ts}:{body}").as_bytes());
    format!("v0={}", hex::encode(mac.finalize().into_bytes()))
}

fn post(addr: SocketAddr, path: &str, headers: &[(&str, &str)], body: &str) -> Response {
    request_with_body(addr, "POST", path, headers, body.as_bytes())
}

fn slack_raw(s: &Server, ts: i64, signature: &str, body: &str) -> Response {
    let ts = ts.to_string();
    let headers = [
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("X-Slack-Request-Timestamp", ts.as_str()),
        ("X-Slack-Signature", signature),
    ];
    post(s.addr, "/integrations/slack", &headers, body)
}

fn slack(s: &Server, text: &str) -> Value {
    let body = form(text);
    let ts = now();
    let r = slack_raw(s, ts, &slack_signature(ts, &body), &body);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/json"));
    r.json()
}

fn mattermost(s: &Server, headers: &[(&str, &str)], body: &str) -> Response {
    let mut all = vec![("Content-Type", "application/x-www-form-urlencoded")];
    all.extend_from_slice(headers);
    post(s.addr, "/integrations/mattermost", &all, body)
}

fn discord_raw(s: &Server, key: &SigningKey, ts: &str, body: &str) -> Response {
    let signature = hex::encode(key.sign(format!("{ts}{body}").as_bytes()).to_bytes());
    let headers = [
        ("Content-Type", "application/json"),
        (
            "User-Agent",
            "Discord-Interactions/1.0 (+https://discord.com)",
        ),
        ("X-Signature-Ed25519", signature.as_str()),
        ("X-Signature-Timestamp", ts),
    ];
    post(s.addr, "/integrations/discord", &headers, body)
}

fn discord_command(text: &str) -> String {
    json!({
        "type": 2, "id": "786008729715212338", "application_id": "775799577604522054",
        "token": "A_UNIQUE_TOKEN", "version": 1, "channel_id": "772908445358620702",
        "data": { "id": "866818195033292850", "name": "quote", "type": 1,
                  "options": [{ "name": "text", "type": 3, "value": text }] }
    })
    .to_string()
}

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
    let r = post(s.addr, "/integrations/slack", &[], &body);
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
        ("X-Signature-Ed25519", signature.as_str()),
        ("X-Signature-Timestamp", ts.as_str()),
    ];
    let r = post(s.addr, "/integrations/discord", &headers, r#"{"type":2}"#);
    assert_eq!(r.status, 401);
    let r = post(s.addr, "/integrations/discord", &headers[1..], ping);
    assert_eq!(r.status, 401);
    let r = post(
        s.addr,
        "/integrations/discord",
        &[headers[0], ("X-Signature-Timestamp", "1")],
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
        post(only_slack.addr, "/integrations/slack", &[], "").status,
        401
    );
    assert_eq!(
        post(only_slack.addr, "/integrations/discord", &[], "").status,
        404
    );
}
