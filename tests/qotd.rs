//! `epigraph serve --qotd/--qotd-udp` answers RFC 865 clients: std sockets always, and the real
//! `nc` where it is installed (`.ci/run` installs netcat-openbsd).

use std::io::Read;
use std::net::{TcpListener, TcpStream, UdpSocket};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn read_quote(port: u16) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut text = String::new();
    stream.read_to_string(&mut text).ok()?;
    Some(text)
}

#[test]
fn qotd_over_tcp_and_udp() {
    let (http, tcp) = (free_port(), free_port());
    let udp = UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _server = Server(
        Command::new(env!("CARGO_BIN_EXE_epigraph"))
            .args(["serve", "--listen", &format!("127.0.0.1:{http}")])
            .args([
                "--qotd",
                &format!("127.0.0.1:{tcp}"),
                "--qotd-udp",
                &format!("127.0.0.1:{udp}"),
            ])
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    let text = loop {
        if let Some(text) = read_quote(tcp) {
            break text;
        }
        assert!(Instant::now() < deadline, "QOTD did not answer on TCP");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        !text.is_empty() && text.len() < 512 && text.is_ascii() && text.ends_with("\r\n"),
        "{text:?}"
    );

    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    client
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    client.send_to(b"\n", ("127.0.0.1", udp)).unwrap();
    let mut buf = [0u8; 1024];
    let (n, _) = client.recv_from(&mut buf).expect("no UDP reply");
    assert!(n > 0 && n < 512 && buf[..n].ends_with(b"\r\n"));

    match Command::new("nc")
        .args(["-w", "3", "127.0.0.1", &tcp.to_string()])
        .output()
    {
        Ok(out) => {
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(
                text.ends_with("\r\n") && text.len() < 512,
                "nc got {text:?}"
            );
        }
        Err(_) if std::env::var_os("CI").is_some() => {
            panic!("nc is required in CI (apt-get install -y netcat-openbsd)")
        }
        Err(_) => {
            eprintln!("SKIPPED nc check: nc not installed (apt-get install -y netcat-openbsd)")
        }
    }
}

/// The systemd socket unit's way: systemd (here `systemd-socket-activate`) binds the port and
/// passes it as a `qotd`-named descriptor; the server needs no `--qotd` flag and no privilege.
#[test]
fn qotd_by_socket_activation() {
    let tool = "/usr/bin/systemd-socket-activate";
    if !std::path::Path::new(tool).exists() {
        if std::env::var_os("CI").is_some() {
            panic!("{tool} is required in CI (package systemd)");
        }
        eprintln!("SKIPPED qotd_by_socket_activation: {tool} not installed");
        return;
    }
    let (http, tcp) = (free_port(), free_port());
    let _server = Server(
        Command::new(tool)
            .args(["--listen", &format!("127.0.0.1:{tcp}"), "--fdname=qotd"])
            .arg(env!("CARGO_BIN_EXE_epigraph"))
            .args(["serve", "--listen", &format!("127.0.0.1:{http}")])
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(text) = read_quote(tcp).filter(|t| !t.is_empty()) {
            assert!(text.ends_with("\r\n") && text.len() < 512, "{text:?}");
            break;
        }
        assert!(Instant::now() < deadline, "no QOTD on the activated socket");
        std::thread::sleep(Duration::from_millis(100));
    }
}
