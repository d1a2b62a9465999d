//! Shared fixture for the server tests: the app on 127.0.0.1:0 in this process, the real
//! binary on a free port, and a tiny HTTP/1.1 client over `TcpStream` that sends exactly the
//! bytes a test asks for (raw percent-escapes, odd headers) and decodes chunked bodies.
#![allow(dead_code)]

use epigraph::server::{AppState, ServerOptions, build};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// An HTTP response.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// The first value of a header (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8 body")
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(&self.body)))
    }
}

/// Sends one request and reads the whole response (connection closed by the server).
pub fn request(addr: SocketAddr, method: &str, target: &str, headers: &[(&str, &str)]) -> Response {
    request_with_body(addr, method, target, headers, b"")
}

/// Like [`request`] with a body.
pub fn request_with_body(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Response {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream
        .set_write_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !body.is_empty() {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).expect("write head");
    // The server may answer (413) before reading the body and close; ignore write errors then.
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    parse(&raw, method == "HEAD")
}

/// Parses a raw HTTP/1.1 response.
pub fn parse(raw: &[u8], head_only: bool) -> Response {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(raw)));
    let head = std::str::from_utf8(&raw[..split]).expect("ASCII head");
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status: u16 = status_line.split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if head_only {
        body.clear();
    } else if chunked {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(line_end) = data.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size_text = std::str::from_utf8(&data[..line_end]).unwrap();
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        let start = line_end + 2;
        out.extend_from_slice(&data[start..start + size]);
        data = &data[start + size + 2..];
    }
}

/// The app in this process on 127.0.0.1:0; stopped on drop.
pub struct TestServer {
    pub addr: SocketAddr,
    pub state: AppState,
    handle: actix_web::dev::ServerHandle,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    /// The embedded collections.
    pub fn start() -> TestServer {
        TestServer::with_state(AppState::load(Vec::new()).expect("embedded corpus").0)
    }

    /// The embedded collections plus `paths`.
    pub fn with_paths(paths: &[&Path]) -> TestServer {
        let paths = paths.iter().map(|p| p.to_path_buf()).collect();
        TestServer::with_state(AppState::load(paths).expect("corpus").0)
    }

    /// Serves `state`.
    pub fn with_state(state: AppState) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let served = state.clone();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let options = ServerOptions {
                    workers: 1,
                    shutdown_timeout: Duration::from_secs(1),
                    handle_signals: false,
                    access_log: true,
                    ..ServerOptions::default()
                };
                let server = build(vec![listener], served, &options).expect("build");
                tx.send(server.handle()).unwrap();
                server.await.expect("server");
            })
        });
        let handle = rx
            .recv_timeout(Duration::from_secs(10))
            .expect("server start");
        TestServer {
            addr,
            state,
            handle,
            thread: Some(thread),
        }
    }

    /// GET with no extra headers.
    pub fn get(&self, target: &str) -> Response {
        request(self.addr, "GET", target, &[])
    }

    /// GET with headers.
    pub fn get_with(&self, target: &str, headers: &[(&str, &str)]) -> Response {
        request(self.addr, "GET", target, headers)
    }

    /// GET asking for JSON.
    pub fn json(&self, target: &str) -> (u16, serde_json::Value) {
        let r = self.get_with(target, &[("Accept", "application/json")]);
        (r.status, r.json())
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A port that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The real `epigraph serve` binary on a free loopback port; killed on drop.
pub struct Binary {
    pub addr: SocketAddr,
    pub child: Child,
}

impl Binary {
    /// Starts `epigraph serve --listen 127.0.0.1:PORT ARGS...` and waits until /healthz
    /// answers (at most 20 s; a few retries if the port was taken meanwhile).
    pub fn start(args: &[&str]) -> Binary {
        Binary::start_with_env(args, &[])
    }

    /// Like [`Binary::start`], with extra environment variables.
    pub fn start_with_env(args: &[&str], env: &[(&str, &str)]) -> Binary {
        for _attempt in 0..3 {
            let port = free_port();
            let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
            let mut child = Command::new(env!("CARGO_BIN_EXE_epigraph"))
                .arg("serve")
                .arg("--listen")
                .arg(addr.to_string())
                .args(if args.contains(&"--workers") {
                    &[][..]
                } else {
                    &["--workers", "1"][..]
                })
                .args(if args.contains(&"--log-level") {
                    &[][..]
                } else {
                    &["--log-level", "warn"][..]
                })
                .args(args)
                // Log lines are pinned: the runner's own RUST_LOG must not change them.
                .env_remove("RUST_LOG")
                .envs(env.iter().copied())
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn epigraph");
            let deadline = Instant::now() + Duration::from_secs(20);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                    let r = request(addr, "GET", "/healthz", &[]);
                    if r.status == 200 {
                        return Binary { addr, child };
                    }
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let output = child.wait_with_output().unwrap();
            eprintln!(
                "server did not come up: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        panic!("could not start epigraph serve");
    }

    /// Sends a signal with `kill -SIG pid`.
    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.child.id().to_string())
            .status()
            .expect("kill");
        assert!(status.success());
    }

    /// Waits (at most `limit`) for the process to exit; its exit code.
    pub fn wait(&mut self, limit: Duration) -> Option<i32> {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// GET.
    pub fn get(&self, target: &str) -> Response {
        request(self.addr, "GET", target, &[])
    }

    /// What a process that does not stop is doing, for a failure message: each thread's name
    /// and kernel wait channel, and the TCP sockets on the server's port with their state
    /// (01 established, 08 close-wait, ...), an idle connection holding the drain included.
    pub fn report(&self) -> String {
        let pid = self.child.id();
        let mut out = String::from("threads:");
        if let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) {
            for task in tasks.flatten() {
                let read = |name: &str| {
                    std::fs::read_to_string(task.path().join(name)).unwrap_or_default()
                };
                out.push_str(&format!(
                    " {}({})",
                    read("comm").trim(),
                    read("wchan").trim()
                ));
            }
        }
        let port = format!(":{:04X}", self.addr.port());
        out.push_str("\nsockets on the port (local remote state):");
        for line in std::fs::read_to_string("/proc/net/tcp")
            .unwrap_or_default()
            .lines()
        {
            let fields: Vec<&str> = line.split_whitespace().collect();
            if fields.len() > 3 && (fields[1].ends_with(&port) || fields[2].ends_with(&port)) {
                out.push_str(&format!("\n  {} {} {}", fields[1], fields[2], fields[3]));
            }
        }
        out
    }

    /// The stderr so far (after the process has exited).
    pub fn stderr(&mut self) -> String {
        let mut out = String::new();
        if let Some(mut err) = self.child.stderr.take() {
            let _ = err.read_to_string(&mut out);
        }
        out
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `check` every 50 ms for at most `limit`.
pub fn eventually(limit: Duration, mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// The `total` of `/quotes?collection=NAME` on a running binary.
pub fn total(server: &Binary, collection: &str) -> u64 {
    let r = request(
        server.addr,
        "GET",
        &format!("/quotes?collection={collection}"),
        &[("Accept", "application/json")],
    );
    r.json()["total"].as_u64().unwrap_or(0)
}
