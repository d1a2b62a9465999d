//! systemd socket activation (`sd_listen_fds`): sockets that systemd bound for us, so the QOTD
//! port 17 needs no privilege in the daemon. The protocol: `LISTEN_PID` names this process,
//! `LISTEN_FDS` counts descriptors starting at 3, `LISTEN_FDNAMES` names them (colon-separated).

use socket2::{Socket, Type};
use std::net::{TcpListener, UdpSocket};
use std::os::fd::{FromRawFd, RawFd};

/// First inherited descriptor (`SD_LISTEN_FDS_START`).
const FIRST_FD: RawFd = 3;

/// Inherited sockets with a given name, by kind.
#[derive(Debug, Default)]
pub struct Inherited {
    /// Stream sockets.
    pub tcp: Vec<TcpListener>,
    /// Datagram sockets.
    pub udp: Vec<UdpSocket>,
}

/// Takes the inherited sockets named `name` (all of them when systemd gave no names). Reads the
/// environment once and clears it, so children do not inherit the claim.
pub fn take(name: &str) -> Inherited {
    let env = |key| std::env::var(key).ok();
    let (pid, fds, names) = (env("LISTEN_PID"), env("LISTEN_FDS"), env("LISTEN_FDNAMES"));
    let mut found = Inherited::default();
    let ours = pid.and_then(|p| p.parse::<u32>().ok()) == Some(std::process::id());
    let Some(count) = fds.and_then(|n| n.parse::<RawFd>().ok()).filter(|_| ours) else {
        return found;
    };
    // SAFETY (for the edition's unsafe env functions): called once at start-up, before the
    // server spawns threads.
    unsafe {
        std::env::remove_var("LISTEN_PID");
        std::env::remove_var("LISTEN_FDS");
        std::env::remove_var("LISTEN_FDNAMES");
    }
    let names: Vec<String> = names
        .map(|n| n.split(':').map(str::to_string).collect())
        .unwrap_or_default();
    for (i, fd) in (FIRST_FD..FIRST_FD + count).enumerate() {
        if names.get(i).is_some_and(|n| n != name) {
            continue;
        }
        // SAFETY: systemd passed this descriptor to this process (LISTEN_PID checked) and
        // nothing else in the process owns it.
        let socket = unsafe { Socket::from_raw_fd(fd) };
        match socket.r#type() {
            Ok(Type::STREAM) => found.tcp.push(socket.into()),
            Ok(Type::DGRAM) => found.udp.push(socket.into()),
            _ => drop(socket),
        }
    }
    found
}
