//! Many replicas need no shared state: three separately started `epigraph serve` processes, on
//! different ports with the same collections, must agree byte for byte on `/today`, on lists, on
//! permalinks and on their ETags, and an ETag from one must validate on another.
//!
//! Also runs the Dockerfile's HEALTHCHECK command against a live server, so the health check the
//! image ships is known to work against the real /healthz.

use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The same Host header for every replica, as a load balancer would send: absolute links in
/// the responses must not differ because the replicas' own ports do.
const HOST: &str = "quotes.example";

/// An extra collection given to every replica with `--quotes`.
const EXTRA_NAME: &str = "replica-test";
const EXTRA: &str = "\
%% name: replica-test
%% description: Extra collection for the replica test
%% tags: replica-test
%
Any replica will do.
\t-- The Load Balancer, Round Robin
%% tags: scaling
%
Shared   nothing,
agree on everything.
\t-- A Stateless Server
%% tags: scaling, state
%
";
/// The bodies of EXTRA's quotes (text without attribution or comments).
const EXTRA_BODIES: &[&str] = &[
    "Any replica will do.",
    "Shared   nothing,\nagree on everything.",
];

// ---------------------------------------------------------------------------------------------
// Processes
// ---------------------------------------------------------------------------------------------

/// One `epigraph serve` child process; killed and reaped when dropped.
struct Server {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn get(&self, path: &str, headers: &[(&str, &str)]) -> Response {
        get(self.port, path, headers).unwrap_or_else(|e| {
            panic!(
                "GET {path} on port {}: {e}\n--- server log ---\n{}",
                self.port,
                self.log()
            )
        })
    }
}

/// A port that was free a moment ago (bind port 0, read it, let go).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn spawn(dir: &Path, index: usize, quotes: &Path) -> Server {
    let port = free_port();
    let log = dir.join(format!("replica-{index}.log"));
    let out = std::fs::File::create(&log).unwrap();
    let err = out.try_clone().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_epigraph"));
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("EPIGRAPH_") {
            cmd.env_remove(key);
        }
    }
    let child = cmd
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--workers",
            "1",
            "--quotes",
        ])
        .arg(quotes)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .expect("spawn epigraph serve");
    Server { child, port, log }
}

/// Waits (100 tries, 100 ms apart) until the server answers /healthz with 200; panics with the
/// server's log if it exits or never answers.
fn wait_healthy(server: &mut Server) {
    for _ in 0..100 {
        if let Some(status) = server.child.try_wait().unwrap() {
            panic!(
                "`epigraph serve --listen 127.0.0.1:{}` exited ({status}) before answering \
                 /healthz. Is the HTTP server built?\n--- server log ---\n{}",
                server.port,
                server.log()
            );
        }
        if let Ok(r) = get(server.port, "/healthz", &[]) {
            if r.status == 200 {
                return;
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!(
        "`epigraph serve` on port {} did not answer /healthz with 200 within 10 s\n--- server log \
         ---\n{}",
        server.port,
        server.log()
    );
}

/// Starts `n` servers with the extra collection, all at once, then waits for each.
fn start(n: usize) -> (tempfile::TempDir, Vec<Server>) {
    let dir = tempfile::tempdir().unwrap();
    let quotes = dir.path().join("quotes");
    std::fs::create_dir(&quotes).unwrap();
    std::fs::write(quotes.join(format!("{EXTRA_NAME}.fortune")), EXTRA).unwrap();
    let mut servers: Vec<Server> = (0..n).map(|i| spawn(dir.path(), i, &quotes)).collect();
    for s in &mut servers {
        wait_healthy(s);
    }
    (dir, servers)
}

// ---------------------------------------------------------------------------------------------
// A tiny HTTP/1.1 client
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self, what: &str) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{what}: body is not JSON ({e}):\n{}", self.text()))
    }
}

fn get(port: u16, path: &str, headers: &[(&str, &str)]) -> std::io::Result<Response> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: {HOST}\r\n");
    let has = |name: &str| headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(name));
    if !has("Accept") {
        request.push_str("Accept: application/json\r\n");
    }
    request.push_str("Accept-Encoding: identity\r\nConnection: close\r\n");
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    parse_response(&raw).map_err(|e| {
        std::io::Error::new(std::io::ErrorKind::InvalidData, format!("GET {path}: {e}"))
    })
}

fn parse_response(raw: &[u8]) -> Result<Response, String> {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("no end of headers in {} bytes", raw.len()))?;
    let head = std::str::from_utf8(&raw[..split]).map_err(|e| e.to_string())?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad status line {status_line:?}"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.to_ascii_lowercase())
    };
    if header("transfer-encoding").is_some_and(|te| te.contains("chunked")) {
        body = dechunk(&body)?;
    } else if let Some(len) = header("content-length") {
        let len: usize = len
            .parse()
            .map_err(|_| format!("bad Content-Length {len}"))?;
        if body.len() < len {
            return Err(format!("body cut short: {} of {len} bytes", body.len()));
        }
        body.truncate(len);
    }
    if let Some(enc) = header("content-encoding").filter(|e| e != "identity") {
        return Err(format!(
            "got Content-Encoding {enc} despite Accept-Encoding: identity"
        ));
    }
    Ok(Response {
        status,
        headers,
        body,
    })
}

fn dechunk(mut data: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let eol = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("chunk size line without CRLF")?;
        let size_line = std::str::from_utf8(&data[..eol]).map_err(|e| e.to_string())?;
        let size = usize::from_str_radix(size_line.split(';').next().unwrap().trim(), 16)
            .map_err(|_| format!("bad chunk size {size_line:?}"))?;
        data = &data[eol + 2..];
        if size == 0 {
            return Ok(out);
        }
        if data.len() < size + 2 {
            return Err("chunk cut short".into());
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

// ---------------------------------------------------------------------------------------------
// Agreement
// ---------------------------------------------------------------------------------------------

/// Days since the epoch, UTC: the quote of the day changes when this does.
fn utc_day() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        / 86_400
}

/// Fetches `path` from every replica and checks they agree: status 200, identical bodies,
/// identical `ETag` (present on all or absent on all) and the other named headers.
/// Returns replica 0's response.
fn agree(servers: &[Server], path: &str, accept: &str, same_headers: &[&str]) -> Response {
    check_agreement(
        servers,
        path,
        accept,
        same_headers,
        fetch_all(servers, path, accept),
    )
}

fn fetch_all(servers: &[Server], path: &str, accept: &str) -> Vec<Response> {
    servers
        .iter()
        .map(|s| s.get(path, &[("Accept", accept)]))
        .collect()
}

fn check_agreement(
    servers: &[Server],
    path: &str,
    accept: &str,
    same_headers: &[&str],
    responses: Vec<Response>,
) -> Response {
    let first = &responses[0];
    for (i, r) in responses.iter().enumerate() {
        assert_eq!(
            r.status,
            200,
            "replica {i} (port {}): GET {path} ({accept}) -> {}:\n{}",
            servers[i].port,
            r.status,
            r.text()
        );
    }
    for (i, r) in responses.iter().enumerate().skip(1) {
        assert!(
            r.body == first.body,
            "replicas 0 and {i} disagree on GET {path} ({accept}):\n--- replica 0 ---\n{}\n--- \
             replica {i} ---\n{}",
            first.text(),
            r.text()
        );
        for name in std::iter::once("ETag").chain(same_headers.iter().copied()) {
            assert_eq!(
                r.header(name),
                first.header(name),
                "replicas 0 and {i} disagree on the {name} header of GET {path} ({accept})"
            );
        }
    }
    responses.into_iter().next().unwrap()
}

/// An `ETag` that must be there, and strong.
fn strong_etag<'a>(r: &'a Response, what: &str) -> &'a str {
    let etag = r.header("ETag").unwrap_or_else(|| {
        panic!("{what}: no ETag header (issue 4: strong ETags on permalinks and lists)")
    });
    assert!(
        !etag.starts_with("W/"),
        "{what}: ETag {etag} should be strong"
    );
    etag
}

/// Checks that an ETag from replica 0 validates on every other replica (304).
fn etag_validates_everywhere(servers: &[Server], path: &str, etag: &str) {
    for (i, s) in servers.iter().enumerate().skip(1) {
        let r = s.get(path, &[("If-None-Match", etag)]);
        assert_eq!(
            r.status, 304,
            "replica {i}: GET {path} with If-None-Match {etag} (replica 0's ETag) should be 304, \
             got {}",
            r.status
        );
    }
}

/// Every `"id"` string of an object that also has `"text"`, anywhere in a JSON document.
fn quote_ids(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(map) => {
            if let (Some(serde_json::Value::String(id)), true) =
                (map.get("id"), map.contains_key("text"))
            {
                out.push(id.clone());
            }
            map.values().for_each(|v| quote_ids(v, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| quote_ids(v, out)),
        _ => {}
    }
}

/// The documented id rule, computed independently: the first 12 hex digits of SHA-256 over the
/// body with white space runs collapsed to one space and the ends trimmed.
fn expected_id(body: &str) -> String {
    let normalised = body.split_whitespace().collect::<Vec<_>>().join(" ");
    Sha256::digest(normalised.as_bytes())[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn three_replicas_agree_on_today_lists_permalinks_and_etags() {
    let (_dir, servers) = start(3);
    for (i, s) in servers.iter().enumerate() {
        let r = s.get("/readyz", &[]);
        assert_eq!(
            r.status,
            200,
            "replica {i}: /readyz -> {}: {}",
            r.status,
            r.text()
        );
    }

    // The quote of the day. Retried once if the test straddles UTC midnight.
    let mut today = None;
    for _ in 0..2 {
        let day = utc_day();
        let json = fetch_all(&servers, "/today", "application/json");
        let text = fetch_all(&servers, "/today", "text/plain");
        if utc_day() == day {
            let json = check_agreement(
                &servers,
                "/today",
                "application/json",
                &["Expires", "Content-Type"],
                json,
            );
            let text = check_agreement(&servers, "/today", "text/plain", &["Expires"], text);
            today = Some((json, text));
            break;
        }
    }
    let (today, today_text) = today.expect("the UTC date changed twice during the test?");
    assert!(
        today.header("Cache-Control").is_some() && today.header("Expires").is_some(),
        "/today must send Cache-Control and Expires (cacheable until the next UTC midnight); headers: \
         {:?}",
        today.headers
    );
    assert!(!today_text.body.is_empty(), "/today as text/plain is empty");
    let today_id = today.json("/today")["id"]
        .as_str()
        .expect("/today JSON has an `id`")
        .to_string();

    // Another day, and the quote of the day within the extra collection: pure functions.
    agree(
        &servers,
        "/today?date=2000-02-29",
        "application/json",
        &["Expires"],
    );
    let extra_today = agree(
        &servers,
        &format!("/today?date=2000-02-29&collection={EXTRA_NAME}"),
        "application/json",
        &[],
    );
    assert_eq!(
        extra_today.json("/today?collection")["collection"].as_str(),
        Some(EXTRA_NAME),
        "the quote of the day within {EXTRA_NAME} comes from another collection"
    );

    // Lists.
    let mut ids = Vec::new();
    for path in [
        "/quotes?limit=100",
        "/quotes?limit=100&page=2",
        &format!("/quotes?limit=100&collection={EXTRA_NAME}"),
    ] {
        let list = agree(&servers, path, "application/json", &["Content-Type"]);
        let etag = strong_etag(&list, path).to_string();
        etag_validates_everywhere(&servers, path, &etag);
        let mut found = Vec::new();
        quote_ids(&list.json(path), &mut found);
        assert!(
            !found.is_empty(),
            "GET {path}: no quotes (objects with id and text) in\n{}",
            list.text()
        );
        ids.extend(found);
    }
    // Ids are the documented content hash, the same on every replica.
    for body in EXTRA_BODIES {
        let id = expected_id(body);
        assert!(
            ids.contains(&id),
            "the extra quote {body:?} should have id {id} (SHA-256 rule); ids listed: {ids:?}"
        );
    }

    // Permalinks: today's, the first and last listed, and the extra collection's.
    let mut permalinks = vec![today_id, ids[0].clone(), ids[ids.len() - 1].clone()];
    permalinks.extend(EXTRA_BODIES.iter().map(|b| expected_id(b)));
    permalinks.dedup();
    for id in &permalinks {
        let path = format!("/quotes/{id}");
        let r = agree(&servers, &path, "application/json", &["Content-Type"]);
        assert_eq!(
            r.json(&path)["id"].as_str(),
            Some(id.as_str()),
            "GET {path} returned another quote"
        );
        let etag = strong_etag(&r, &path).to_string();
        etag_validates_everywhere(&servers, &path, &etag);
        agree(&servers, &path, "text/plain", &[]);
    }
}

/// The Dockerfile's HEALTHCHECK command, as an argv (exec form).
fn dockerfile_healthcheck() -> Vec<String> {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Dockerfile")).unwrap();
    let joined = text.replace("\\\n", " ");
    let line = joined
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("HEALTHCHECK"))
        .expect("the Dockerfile has no HEALTHCHECK");
    let (_, cmd) = line.split_once("CMD ").expect("HEALTHCHECK without CMD");
    serde_json::from_str(cmd.trim()).expect("HEALTHCHECK CMD in exec form (JSON array)")
}

#[test]
fn docker_healthcheck_command_passes_against_a_live_server() {
    let argv = dockerfile_healthcheck();
    if !Path::new(&argv[0]).exists() {
        panic!("the HEALTHCHECK runs {}, which this machine lacks", argv[0]);
    }
    let (_dir, mut servers) = start(1);
    let server = &servers[0];
    let run = |port: u16| {
        let argv: Vec<String> = argv
            .iter()
            .map(|a| a.replace("8080", &port.to_string()))
            .collect();
        Command::new(&argv[0])
            .args(&argv[1..])
            .stdin(Stdio::null())
            .output()
            .expect("run the HEALTHCHECK command")
    };
    let ok = run(server.port);
    assert!(
        ok.status.success(),
        "the Dockerfile's HEALTHCHECK fails against a healthy server on port {}: {}\n--- server log \
         ---\n{}",
        server.port,
        String::from_utf8_lossy(&ok.stderr),
        server.log()
    );
    // And it notices a server that is gone.
    let port = server.port;
    servers.clear();
    let gone = run(port);
    assert!(
        !gone.status.success(),
        "the HEALTHCHECK passes with no server on port {port}"
    );
}
