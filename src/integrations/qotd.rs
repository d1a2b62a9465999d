//! RFC 865 Quote of the Day over TCP and UDP.
//!
//! TCP: every connection gets one quote and is closed; anything the client sends is ignored.
//! UDP: every datagram gets one reply datagram, rate-limited per source address because a
//! spoofed source turns an open UDP QOTD port into an amplifier (US-CERT TA14-017A).
//! Messages are ASCII printing characters, spaces and CRLF line ends, under 512 characters.

use crate::corpus::{Chooser, Corpus};
use std::collections::HashMap;
use std::io::Write;
use std::net::{IpAddr, TcpListener, UdpSocket};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// RFC 865: "The quote may be just one or up to several lines, but it should be less than 512
/// characters."
pub const MAX_MESSAGE: usize = 511;

/// Produces one message from the current corpus (the server swaps the corpus on reload, so
/// the source looks it up on every call); usually a closure over [`message`].
pub type MessageSource = Arc<dyn Fn(&mut Chooser) -> String + Send + Sync>;

/// Columns a QOTD message is laid out to: terminals of the protocol's era were 80 wide.
pub const WIDTH: usize = 72;

/// Renders a quote as RFC 865 text: ASCII only (transliterated), laid out to [`WIDTH`]
/// columns with the project's wrapper, CRLF line ends.
pub fn render(text: &str) -> String {
    // deunicode drops control characters, so line ends and tabs are kept around it.
    let ascii: Vec<String> = text
        .lines()
        .map(|line| {
            let parts: Vec<String> = line.split('\t').map(deunicode::deunicode).collect();
            parts.join("\t")
        })
        .collect();
    let ascii = ascii.join("\n");
    let laid = crate::layout::entry(&ascii, WIDTH);
    let mut out = String::with_capacity(laid.len() + 8);
    for line in laid.lines() {
        out.extend(line.chars().filter(|c| (' '..='~').contains(c)));
        out.push_str("\r\n");
    }
    out
}

/// A random quote of the corpus that fits in a QOTD message, rendered.
pub fn message(corpus: &Corpus, chooser: &mut Chooser) -> String {
    let quotes = corpus.quotes();
    // Most quotes fit; try random ones first, then fall back to a scan for the rare corpus
    // of long entries.
    for _ in 0..32 {
        if let Some(quote) = chooser.choose(quotes) {
            let text = render(&quote.text);
            if text.len() <= MAX_MESSAGE {
                return text;
            }
        }
    }
    let fitting: Vec<String> = quotes
        .iter()
        .filter(|q| q.text.len() <= 4 * MAX_MESSAGE)
        .map(|q| render(&q.text))
        .filter(|t| t.len() <= MAX_MESSAGE)
        .collect();
    chooser
        .choose(&fitting)
        .cloned()
        .unwrap_or_else(|| "No quote short enough today.\r\n".to_string())
}

/// Serves TCP QOTD on `listener` in a background thread.
pub fn serve_tcp(listener: TcpListener, source: MessageSource) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let mut chooser = Chooser::random();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
            let text = source(&mut chooser);
            let _ = stream.write_all(text.as_bytes());
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
    })
}

/// Replies allowed per source address per window.
#[derive(Debug)]
pub struct RateLimit {
    per_window: u32,
    window: Duration,
    seen: HashMap<IpAddr, (Instant, u32)>,
}

impl RateLimit {
    /// At most `per_window` replies per source in each `window`.
    pub fn new(per_window: u32, window: Duration) -> Self {
        RateLimit {
            per_window,
            window,
            seen: HashMap::new(),
        }
    }

    /// Whether `source` may get a reply now (and counts it).
    pub fn allow(&mut self, source: IpAddr, now: Instant) -> bool {
        if self.seen.len() > 10_000 {
            let window = self.window;
            self.seen
                .retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        let entry = self.seen.entry(source).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= self.per_window
    }
}

/// Serves UDP QOTD on `socket` in a background thread: one reply per datagram, within `limit`.
pub fn serve_udp(socket: UdpSocket, source: MessageSource, mut limit: RateLimit) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let mut chooser = Chooser::random();
        let mut buf = [0u8; 512];
        loop {
            let Ok((_, from)) = socket.recv_from(&mut buf) else {
                continue;
            };
            if !limit.allow(from.ip(), Instant::now()) {
                continue;
            }
            let text = source(&mut chooser);
            let _ = socket.send_to(text.as_bytes(), from);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn source() -> MessageSource {
        let corpus = Corpus::embedded().0;
        Arc::new(move |chooser: &mut Chooser| message(&corpus, chooser))
    }

    #[test]
    fn render_is_ascii_with_crlf() {
        let text = render("\u{201c}Quoted\u{201d} \u{2014} caf\u{e9}\n\t-- Someone\n");
        assert_eq!(text, "\"Quoted\" -- cafe\r\n        -- Someone\r\n");
    }

    #[test]
    fn messages_fit_the_rfc_limit() {
        let corpus = Corpus::embedded().0;
        let mut chooser = Chooser::seeded(1);
        for _ in 0..200 {
            let text = message(&corpus, &mut chooser);
            assert!(text.len() <= MAX_MESSAGE && text.is_ascii() && text.ends_with("\r\n"));
            assert!(text.split("\r\n").all(|line| line.len() <= WIDTH), "{text}");
            assert!(!text.replace("\r\n", "").contains(['\r', '\n', '\t']));
        }
    }

    #[test]
    fn tcp_sends_one_quote_and_closes() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        serve_tcp(listener, source());
        for _ in 0..3 {
            let mut stream = std::net::TcpStream::connect(addr).unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let _ = stream.write_all(b"ignored input\r\n");
            let mut text = String::new();
            stream.read_to_string(&mut text).unwrap();
            assert!(!text.is_empty() && text.len() <= MAX_MESSAGE && text.ends_with("\r\n"));
        }
    }

    #[test]
    fn udp_replies_per_datagram_and_rate_limits() {
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        let addr = socket.local_addr().unwrap();
        serve_udp(socket, source(), RateLimit::new(2, Duration::from_secs(60)));
        let client = UdpSocket::bind("127.0.0.1:0").unwrap();
        client
            .set_read_timeout(Some(Duration::from_millis(500)))
            .unwrap();
        let mut buf = [0u8; 1024];
        let mut replies = 0;
        for _ in 0..4 {
            client.send_to(b"x", addr).unwrap();
            if let Ok((n, _)) = client.recv_from(&mut buf) {
                assert!(n <= MAX_MESSAGE && buf[..n].ends_with(b"\r\n"));
                replies += 1;
            }
        }
        assert_eq!(replies, 2, "two replies allowed per window");
    }

    #[test]
    fn rate_limit_window_resets() {
        let mut limit = RateLimit::new(1, Duration::from_secs(10));
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let t0 = Instant::now();
        assert!(limit.allow(ip, t0));
        assert!(!limit.allow(ip, t0 + Duration::from_secs(1)));
        assert!(limit.allow(ip, t0 + Duration::from_secs(11)));
        assert!(limit.allow("127.0.0.2".parse().unwrap(), t0));
    }
}
