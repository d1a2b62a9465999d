//! Shared fixture for the "Another" button tests: the real `epigraph serve` binary with every
//! chat endpoint on and a four-quote collection `tiny`, and a mock Slack `response_url` server
//! (std TcpListener on 127.0.0.1:0) that records each POST body. Include after
//! `common/server.rs` (as `mod common`) and `common/chat.rs` (as `mod chat`).
#![allow(dead_code)]

use super::chat::{MM_TOKEN, SEED, SLACK_SECRET};
use super::common::Binary;
use ed25519_dalek::SigningKey;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// The quotes of the collection `tiny`, as each platform shows them (no markup to escape).
pub const TINY: [&str; 4] = ["Alpha one.", "Bravo two.", "Charlie three.", "Delta four."];

/// The binary with its quotes directory (removed on drop).
pub struct Served {
    pub server: Binary,
    /// The `--quotes` directory, holding `tiny.fortune`.
    pub dir: tempfile::TempDir,
}

/// `epigraph serve` with Slack, Mattermost and Discord on, `tiny` loaded, and `extra` flags.
pub fn serve(extra: &[&str]) -> Served {
    let dir = tempfile::tempdir().unwrap();
    let body: String = TINY.iter().map(|q| format!("{q}\n%\n")).collect();
    std::fs::write(dir.path().join("tiny.fortune"), body).unwrap();
    let key = hex::encode(SigningKey::from_bytes(&SEED).verifying_key().as_bytes());
    let quotes = dir.path().to_str().unwrap().to_string();
    let mut args = vec![
        "--quotes",
        quotes.as_str(),
        "--slack-signing-secret",
        SLACK_SECRET,
        "--mattermost-token",
        MM_TOKEN,
        "--discord-public-key",
        key.as_str(),
    ];
    args.extend_from_slice(extra);
    Served {
        server: Binary::start(&args),
        dir,
    }
}

/// A mock HTTP server recording request lines and bodies; answers each with 200 `ok`. Stops
/// accepting after `LIFETIME`.
pub struct Mock {
    pub addr: SocketAddr,
    received: Receiver<(String, String)>,
}

const LIFETIME: Duration = Duration::from_secs(60);

impl Mock {
    pub fn start() -> Mock {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        listener.set_nonblocking(true).unwrap();
        let (tx, received) = channel();
        std::thread::spawn(move || {
            let deadline = Instant::now() + LIFETIME;
            while Instant::now() < deadline {
                let Ok((stream, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(10));
                    continue;
                };
                stream.set_nonblocking(false).unwrap();
                stream
                    .set_read_timeout(Some(Duration::from_secs(5)))
                    .unwrap();
                let mut reader = BufReader::new(stream);
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    continue;
                }
                let mut length = 0;
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).is_err() || header.trim().is_empty() {
                        break;
                    }
                    if let Some((name, value)) = header.split_once(':') {
                        if name.eq_ignore_ascii_case("content-length") {
                            length = value.trim().parse().unwrap_or(0);
                        }
                    }
                }
                let mut body = vec![0; length];
                let _ = reader.read_exact(&mut body);
                let mut stream = reader.into_inner();
                let _ = stream.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
                );
                let body = String::from_utf8_lossy(&body).into_owned();
                if tx.send((line.trim().to_string(), body)).is_err() {
                    return;
                }
            }
        });
        Mock { addr, received }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The next request (line, body) within `wait`.
    pub fn next(&self, wait: Duration) -> Option<(String, String)> {
        self.received.recv_timeout(wait).ok()
    }
}
