//! The systemd units in `contrib/systemd`, checked statically and, where `systemd-analyze` is
//! installed, by `systemd-analyze verify`: the service is hardened and runs `epigraph serve`
//! from where the Dockerfile installs it, the QOTD socket hands port 17 to the service, and the
//! QOTD drop-in grants only CAP_NET_BIND_SERVICE.

#[path = "common/deploy.rs"]
mod common;

use common::dockerfile::final_entrypoint;
use common::{QOTD_DROPIN, QOTD_PORT, QOTD_SOCKET, QUOTES_DIR, SERVICE, Unit, root};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

#[test]
fn systemd_service_is_hardened() {
    let unit = Unit::load(SERVICE);
    let yes = [
        "DynamicUser",
        "NoNewPrivileges",
        "PrivateTmp",
        "PrivateDevices",
        "PrivateMounts",
        "ProtectHome",
        "ProtectKernelTunables",
        "ProtectKernelModules",
        "ProtectKernelLogs",
        "ProtectControlGroups",
        "ProtectClock",
        "ProtectHostname",
        "RestrictNamespaces",
        "RestrictRealtime",
        "RestrictSUIDSGID",
        "LockPersonality",
        "MemoryDenyWriteExecute",
    ];
    for key in yes {
        unit.expect("Service", key, "yes");
    }
    unit.expect("Service", "ProtectSystem", "strict");
    unit.expect("Service", "SystemCallArchitectures", "native");
    assert!(
        unit.get("Service", "User").is_none(),
        "{SERVICE}: no User= (DynamicUser allocates one)"
    );
    // No capabilities at all: the bounding set is assigned and empty.
    assert!(
        unit.assigned("Service", "CapabilityBoundingSet")
            && unit.tokens("Service", "CapabilityBoundingSet").is_empty(),
        "{SERVICE}: CapabilityBoundingSet= must be set and empty (the HTTP daemon needs none); got {:?}",
        unit.tokens("Service", "CapabilityBoundingSet")
    );
    assert!(
        unit.tokens("Service", "AmbientCapabilities").is_empty(),
        "{SERVICE}: no ambient capabilities"
    );
    let families: BTreeSet<String> = unit
        .tokens("Service", "RestrictAddressFamilies")
        .into_iter()
        .collect();
    assert!(
        families.contains("AF_INET") && families.contains("AF_INET6"),
        "{SERVICE}: RestrictAddressFamilies must allow AF_INET and AF_INET6, got {families:?}"
    );
    let allowed: BTreeSet<String> = ["AF_INET", "AF_INET6", "AF_UNIX"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert!(
        families.is_subset(&allowed),
        "{SERVICE}: RestrictAddressFamilies should allow only IP and unix sockets, got {families:?}"
    );
    let filter = unit.tokens("Service", "SystemCallFilter");
    assert!(
        filter.iter().any(|t| t == "@system-service"),
        "{SERVICE}: SystemCallFilter=@system-service is missing, got {filter:?}"
    );

    let argv = unit.exec_start();
    assert!(
        argv[0].ends_with("/epigraph") && argv[1] == "serve",
        "{SERVICE}: ExecStart must run `epigraph serve`: {argv:?}"
    );
    assert_eq!(
        argv[0],
        final_entrypoint()[0],
        "{SERVICE} and the Dockerfile should agree on where the binary is installed"
    );
    assert!(
        argv.iter().any(|a| a == "--listen"),
        "{SERVICE}: ExecStart should say --listen explicitly"
    );
    let quotes = argv
        .iter()
        .position(|a| a == "--quotes")
        .map(|i| argv[i + 1].clone());
    assert_eq!(
        quotes.as_deref(),
        Some(QUOTES_DIR),
        "{SERVICE}: extra collections from {QUOTES_DIR}"
    );
    assert!(
        unit.tokens("Service", "ConfigurationDirectory")
            .iter()
            .any(|d| format!("/etc/{d}") == QUOTES_DIR),
        "{SERVICE}: ConfigurationDirectory= should create {QUOTES_DIR}, or the daemon fails on a fresh host"
    );
    let reload = unit.get("Service", "ExecReload").unwrap_or_default();
    assert!(
        reload.contains("-HUP") && reload.contains("$MAINPID"),
        "{SERVICE}: ExecReload should send SIGHUP (reload collections)"
    );
    unit.expect("Install", "WantedBy", "multi-user.target");
}

#[test]
fn systemd_qotd_socket_hands_port_17_to_the_service() {
    let socket = Unit::load(QOTD_SOCKET);
    let port = |v: &str| v.rsplit(':').next().and_then(|p| p.parse::<u16>().ok());
    let streams = socket.list("Socket", "ListenStream");
    let datagrams = socket.list("Socket", "ListenDatagram");
    assert!(
        streams.iter().any(|s| port(s) == Some(QOTD_PORT)),
        "{QOTD_SOCKET}: ListenStream={QOTD_PORT} missing ({streams:?})"
    );
    assert!(
        datagrams.iter().any(|s| port(s) == Some(QOTD_PORT)),
        "{QOTD_SOCKET}: ListenDatagram={QOTD_PORT} missing ({datagrams:?})"
    );
    let service = socket
        .get("Socket", "Service")
        .expect("Service= names the daemon that gets the sockets");
    assert!(
        root().join("contrib/systemd").join(&service).exists(),
        "{QOTD_SOCKET}: Service={service} is not shipped in contrib/systemd"
    );
    assert_ne!(
        socket.get("Socket", "Accept").as_deref(),
        Some("yes"),
        "one daemon, not one per connection"
    );
    socket.expect("Socket", "FileDescriptorName", "qotd");
    socket.expect("Install", "WantedBy", "sockets.target");
}

#[test]
fn systemd_qotd_capability_dropin_grants_only_net_bind_service() {
    let base = Unit::load(SERVICE);
    let dropin = Unit::load(QOTD_DROPIN);
    let starts: Vec<&(String, String)> = dropin.sections["Service"]
        .iter()
        .filter(|(k, _)| k == "ExecStart")
        .collect();
    assert!(
        starts.len() == 2 && starts[0].1.is_empty(),
        "{QOTD_DROPIN}: a drop-in must reset ExecStart= (empty) before setting it"
    );
    let argv = dropin.exec_start();
    let base_argv = base.exec_start();
    assert_eq!(
        argv[..base_argv.len()],
        base_argv[..],
        "{QOTD_DROPIN}: ExecStart should be the service's ExecStart plus the QOTD flags"
    );
    for flag in ["--qotd", "--qotd-udp"] {
        let value = argv
            .iter()
            .position(|a| a == flag)
            .map(|i| argv[i + 1].clone());
        assert!(
            value
                .as_deref()
                .is_some_and(|v| v.ends_with(&format!(":{QOTD_PORT}"))),
            "{QOTD_DROPIN}: {flag} ADDR:{QOTD_PORT} missing ({argv:?})"
        );
    }
    assert_eq!(
        dropin.tokens("Service", "AmbientCapabilities"),
        ["CAP_NET_BIND_SERVICE"]
    );
    assert_eq!(
        dropin.tokens("Service", "CapabilityBoundingSet"),
        ["CAP_NET_BIND_SERVICE"]
    );
    dropin.expect("Service", "PrivateUsers", "no");
}

/// `systemd-analyze verify` on the units, in a scratch root with a stand-in binary. Skipped,
/// saying so, where systemd-analyze is not installed.
#[test]
fn systemd_units_pass_systemd_analyze_verify() {
    if Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("systemd-analyze not installed: skipping `systemd-analyze verify`");
        return;
    }
    let scratch = tempfile::tempdir().unwrap();
    let r = scratch.path();
    let units = r.join("etc/systemd/system");
    std::fs::create_dir_all(units.join("epigraph.service.d")).unwrap();
    std::fs::create_dir_all(r.join("usr/local/bin")).unwrap();
    std::fs::create_dir_all(r.join("bin")).unwrap();
    std::fs::create_dir_all(r.join("lib/systemd")).unwrap();
    // A stand-in: verify only checks that ExecStart's program exists and is executable.
    let stand_in = r.join("usr/local/bin/epigraph");
    std::fs::write(&stand_in, "#!/bin/sh\n").unwrap();
    std::fs::set_permissions(
        &stand_in,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    for tool in ["/bin/kill", "/usr/bin/kill"] {
        if Path::new(tool).exists() {
            std::fs::copy(tool, r.join("bin/kill")).unwrap();
            break;
        }
    }
    copy_tree(
        Path::new("/lib/systemd/system"),
        &r.join("lib/systemd/system"),
    );
    std::fs::copy(root().join(SERVICE), units.join("epigraph.service")).unwrap();
    std::fs::copy(root().join(QOTD_SOCKET), units.join("epigraph-qotd.socket")).unwrap();
    let verify = |what: &[&str]| {
        let out = Command::new("systemd-analyze")
            .args(["verify", "--man=no"])
            .arg(format!("--root={}", r.display()))
            .args(what)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            out.status.success() && stderr.trim().is_empty(),
            "systemd-analyze verify {what:?}:\n{stderr}"
        );
    };
    verify(&["epigraph.service", "epigraph-qotd.socket"]);
    std::fs::copy(
        root().join(QOTD_DROPIN),
        units.join("epigraph.service.d/qotd.conf"),
    )
    .unwrap();
    verify(&["epigraph.service"]);
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    let Ok(entries) = std::fs::read_dir(from) else {
        return;
    };
    for entry in entries.flatten() {
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        let Ok(meta) = std::fs::symlink_metadata(&src) else {
            continue;
        };
        if meta.file_type().is_symlink() {
            if let Ok(target) = std::fs::read_link(&src) {
                let _ = std::os::unix::fs::symlink(target, &dst);
            }
        } else if meta.is_dir() {
            copy_tree(&src, &dst);
        } else {
            let _ = std::fs::copy(&src, &dst);
        }
    }
}
