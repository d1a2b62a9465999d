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
            let text = render(quote.text());
            if text.len() <= MAX_MESSAGE {
                return text;
            }
        }
    }
    let fitting: Vec<String> = quotes
        .iter()
        .filter(|q| q.text().len() <= 4 * MAX_MESSAGE)
        .map(|q| render(q.text()))
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

/// Replies allowed per source address per window, in O(1) per datagram.
///
/// Windows are fixed and shared by all sources: the counts of the current window live in one
/// map, which is cleared when the window ends (each entry was inserted once in that window, so
/// the clearing is paid for by the insertions). A source may thus get up to twice
/// `per_window` replies across a window boundary. At most [`RateLimit::MAX_SOURCES`]
/// sources are counted per window; datagrams from further new sources get no reply until the
/// window ends, so a flood of spoofed addresses can neither grow memory nor be amplified.
#[derive(Debug)]
pub struct RateLimit {
    per_window: u32,
    window: Duration,
    started: Option<Instant>,
    counts: HashMap<IpAddr, u32>,
}

impl RateLimit {
    /// Most sources counted in one window.
    pub const MAX_SOURCES: usize = 65_536;

    /// At most `per_window` replies per source in each `window`.
    pub fn new(per_window: u32, window: Duration) -> Self {
        RateLimit {
            per_window,
            window,
            started: None,
            counts: HashMap::new(),
        }
    }

    /// Whether `source` may get a reply now (and counts it).
    pub fn allow(&mut self, source: IpAddr, now: Instant) -> bool {
        match self.started {
            Some(start) if now.saturating_duration_since(start) < self.window => {}
            _ => {
                self.started = Some(now);
                self.counts.clear();
            }
        }
        let full = self.counts.len() >= Self::MAX_SOURCES;
        match self.counts.get_mut(&source) {
            Some(count) => {
                *count = count.saturating_add(1);
                *count <= self.per_window
            }
            None if full => false,
            None => {
                self.counts.insert(source, 1);
                self.per_window >= 1
            }
        }
    }

    /// How many sources the current window counts.
    pub fn tracked(&self) -> usize {
        self.counts.len()
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

    fn nth_source(i: u32) -> IpAddr {
        IpAddr::V4(std::net::Ipv4Addr::from(0x0a00_0000 + i))
    }

    #[test]
    fn many_sources_cost_constant_time_and_bounded_memory() {
        // The old map ran `retain` over every entry on each datagram past 10,000 sources:
        // 200,000 new sources were some 2 * 10^9 steps. Now they are 200,000 inserts.
        let mut limit = RateLimit::new(5, Duration::from_secs(10));
        let t0 = Instant::now();
        let started = Instant::now();
        let mut allowed = 0;
        for i in 0..200_000 {
            allowed += usize::from(limit.allow(nth_source(i), t0));
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(limit.tracked(), RateLimit::MAX_SOURCES);
        assert_eq!(
            allowed,
            RateLimit::MAX_SOURCES,
            "sources past the cap get nothing"
        );
        // A counted source keeps its own limit; the next window starts empty.
        let first = nth_source(0);
        for _ in 1..5 {
            assert!(limit.allow(first, t0));
        }
        assert!(!limit.allow(first, t0));
        assert!(limit.allow(nth_source(199_999), t0 + Duration::from_secs(10)));
        assert_eq!(limit.tracked(), 1);
    }
}
