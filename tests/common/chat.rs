//! Shared fixture for the chat tests: the app with the chat endpoints on 127.0.0.1:0, and
//! requests shaped exactly like Slack's, Mattermost's and Discord's (real HMAC and Ed25519
//! signatures, the platforms' body formats). Include after `common/server.rs` as `mod common`.
#![allow(dead_code)]

use super::common::{Response, request_with_body};
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
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub const SLACK_SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
pub const MM_TOKEN: &str = "xr3j5x3p4pfjpfmm7ebk5ah1ir";
pub const SEED: [u8; 32] = [42; 32];
pub const NASTY: &str =
    "Hey <!channel> and <@U024BE7LH>, @everyone: *bold* _it_ <https://e.org|x>\n";

pub struct Server {
    pub addr: SocketAddr,
    handle: actix_web::dev::ServerHandle,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}

pub fn start(settings: ChatSettings) -> Server {
    start_with(settings, ServerOptions::default())
}

/// Like [`start`], with these options (one worker, no signal handling, access log on).
pub fn start_with(settings: ChatSettings, options: ServerOptions) -> Server {
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
                ..options
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

pub fn all_on() -> Server {
    start(all_settings())
}

/// Every chat endpoint on, with the fixture's secrets.
pub fn all_settings() -> ChatSettings {
    let key = SigningKey::from_bytes(&SEED).verifying_key();
    ChatSettings {
        slack: Some(SigningSecret(SLACK_SECRET.as_bytes().to_vec())),
        mattermost: Some(Token(MM_TOKEN.into())),
        discord: Some(PublicKey::from_hex(&hex::encode(key.as_bytes())).unwrap()),
        ..ChatSettings::default()
    }
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

pub fn form(text: &str) -> String {
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

pub fn slack_signature(ts: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(SLACK_SECRET.as_bytes()).unwrap();
    mac.update(format!("v0:{ts}:{body}").as_bytes());
    format!("v0={}", hex::encode(mac.finalize().into_bytes()))
}

pub fn post(addr: SocketAddr, path: &str, headers: &[(&str, &str)], body: &str) -> Response {
    request_with_body(addr, "POST", path, headers, body.as_bytes())
}

pub fn slack_raw(s: &Server, ts: i64, signature: &str, body: &str) -> Response {
    let ts = ts.to_string();
    let headers = [
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("X-Slack-Request-Timestamp", ts.as_str()),
        ("X-Slack-Signature", signature),
    ];
    post(s.addr, "/integrations/slack", &headers, body)
}

pub fn slack(s: &Server, text: &str) -> Value {
    let body = form(text);
    let ts = now();
    let r = slack_raw(s, ts, &slack_signature(ts, &body), &body);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/json"));
    r.json()
}

pub fn mattermost(s: &Server, headers: &[(&str, &str)], body: &str) -> Response {
    let mut all = vec![("Content-Type", "application/x-www-form-urlencoded")];
    all.extend_from_slice(headers);
    post(s.addr, "/integrations/mattermost", &all, body)
}

pub fn discord_raw(s: &Server, key: &SigningKey, ts: &str, body: &str) -> Response {
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

pub fn discord_command(text: &str) -> String {
    json!({
        "type": 2, "id": "786008729715212338", "application_id": "775799577604522054",
        "token": "A_UNIQUE_TOKEN", "version": 1, "channel_id": "772908445358620702",
        "data": { "id": "866818195033292850", "name": "quote", "type": 1,
                  "options": [{ "name": "text", "type": 3, "value": text }] }
    })
    .to_string()
}
