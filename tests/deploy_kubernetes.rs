//! The Kubernetes manifests in `deploy/kubernetes`: they parse, carry the app label and are all
//! in the kustomization; the Deployment runs three probed, resource-bounded, locked-down replicas
//! of the image's entrypoint as the image's user; the Service, HPA and PDB target it; and the
//! extra-collections ConfigMap example is mounted, passed and loads in the real binary.

#[path = "common/deploy.rs"]
mod common;

use common::dockerfile::{FLOATING_TAGS, dockerfile_user, final_entrypoint, image_ref};
use common::{
    C, CONFIGMAP, DEPLOYMENT, Doc, HPA, HTTP_PORT, K8S_DIR, K8S_SERVICE, KUSTOMIZATION, PDB,
    QUOTES_DIR, at, container_argv, deployment, epigraph, files_under, root, strings,
};
use serde_yaml_ng::Value;
use std::path::Path;

/// The container port a probe or Service `port`/`targetPort` refers to (by name or number).
fn resolve_port(d: &Doc, port: &Value) -> i64 {
    if let Some(n) = port.as_i64() {
        return n;
    }
    let name = port.as_str().expect("port is a number or a name");
    d.at(&format!("{C}.ports"))
        .as_sequence()
        .unwrap()
        .iter()
        .find(|p| p.get("name").and_then(Value::as_str) == Some(name))
        .and_then(|p| p.get("containerPort"))
        .and_then(Value::as_i64)
        .unwrap_or_else(|| panic!("{DEPLOYMENT}: no container port named `{name}`"))
}

/// Kubernetes quantities: `100m`, `1`, `0.5` CPU; `32Mi`, `1Gi`, `128M` bytes.
fn quantity(v: &Value) -> f64 {
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => panic!("not a quantity: {other:?}"),
    };
    let units = [
        ("Ki", 1024f64),
        ("Mi", 1024f64.powi(2)),
        ("Gi", 1024f64.powi(3)),
        ("m", 0.001),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
    ];
    for (suffix, factor) in units {
        if let Some(n) = s.strip_suffix(suffix) {
            return n
                .parse::<f64>()
                .unwrap_or_else(|_| panic!("bad quantity {s}"))
                * factor;
        }
    }
    s.parse().unwrap_or_else(|_| panic!("bad quantity {s}"))
}

#[test]
fn k8s_manifests_parse_and_are_labelled() {
    let mut files: Vec<String> = files_under(K8S_DIR);
    files.retain(|f| f.ends_with(".yaml") || f.ends_with(".yml"));
    assert!(
        files.len() >= 5,
        "deploy/kubernetes: expected at least 5 manifests, found {files:?}"
    );
    for file in &files {
        let d = Doc::load(file);
        d.str("apiVersion");
        let kind = d.str("kind");
        if kind != "Kustomization" {
            d.str("metadata.name");
            let labels = d.at("metadata.labels");
            assert_eq!(
                labels.get("app.kubernetes.io/name").and_then(Value::as_str),
                Some("epigraph"),
                "{file}: label app.kubernetes.io/name=epigraph"
            );
        }
    }
    let k = Doc::load(KUSTOMIZATION);
    let resources = strings(k.opt("resources"));
    for file in &files {
        let name = Path::new(file)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        // The opt-in ones: each needs something the user creates first (tests/deploy_cronjob.rs).
        if [
            "kustomization.yaml",
            "configmap-example.yaml",
            "cronjob-post-daily.yaml",
        ]
        .contains(&name.as_str())
        {
            continue;
        }
        assert!(
            resources.contains(&name),
            "{KUSTOMIZATION}: `{name}` is not in resources"
        );
    }
    for r in &resources {
        assert!(
            root().join(K8S_DIR).join(r).exists(),
            "{KUSTOMIZATION}: resource {r} does not exist"
        );
    }
}

#[test]
fn k8s_deployment_runs_three_probed_replicas() {
    let d = deployment();
    assert_eq!(d.int("spec.replicas"), 3, "{DEPLOYMENT}: 3 replicas");
    let selector = d.at("spec.selector.matchLabels").as_mapping().unwrap();
    let labels = d.at("spec.template.metadata.labels").as_mapping().unwrap();
    for (k, v) in selector {
        assert_eq!(
            labels.get(k),
            Some(v),
            "{DEPLOYMENT}: selector label {k:?} missing on the pod template"
        );
    }

    let ports = d.at(&format!("{C}.ports")).as_sequence().unwrap();
    let http = ports
        .iter()
        .find(|p| p.get("name").and_then(Value::as_str) == Some("http"))
        .expect("a container port named http");
    assert_eq!(
        http.get("containerPort").and_then(Value::as_i64),
        Some(i64::from(HTTP_PORT))
    );
    assert_eq!(
        http.get("protocol")
            .and_then(Value::as_str)
            .unwrap_or("TCP"),
        "TCP"
    );

    for (probe, path) in [("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")] {
        let p = format!("{C}.{probe}.httpGet");
        assert_eq!(
            d.str(&format!("{p}.path")),
            path,
            "{DEPLOYMENT}: {probe} must GET {path}"
        );
        assert_eq!(
            resolve_port(&d, d.at(&format!("{p}.port"))),
            i64::from(HTTP_PORT),
            "{DEPLOYMENT}: {probe} must hit the HTTP port"
        );
        let period = d
            .opt(&format!("{C}.{probe}.periodSeconds"))
            .and_then(Value::as_i64)
            .unwrap_or(10);
        let timeout = d
            .opt(&format!("{C}.{probe}.timeoutSeconds"))
            .and_then(Value::as_i64)
            .unwrap_or(1);
        assert!(
            timeout < period,
            "{DEPLOYMENT}: {probe} timeout must be shorter than its period"
        );
    }

    for resource in ["cpu", "memory"] {
        let req = quantity(d.at(&format!("{C}.resources.requests.{resource}")));
        let lim = quantity(d.at(&format!("{C}.resources.limits.{resource}")));
        assert!(
            req > 0.0 && req <= lim,
            "{DEPLOYMENT}: {resource} request must be > 0 and <= limit"
        );
    }
    // Issue 4's idle RSS target is 15 MB: the memory request must at least cover it.
    assert!(quantity(d.at(&format!("{C}.resources.requests.memory"))) >= 15e6);

    let image = d.str(&format!("{C}.image"));
    let (_, tag, digest) = image_ref(image);
    assert!(
        digest.is_some() || tag.as_deref().is_some_and(|t| !FLOATING_TAGS.contains(&t)),
        "{DEPLOYMENT}: image `{image}` must carry a version tag (or digest), not latest"
    );
}

#[test]
fn k8s_deployment_is_locked_down_and_matches_the_image_user() {
    let d = deployment();
    let sc = format!("{C}.securityContext");
    assert_eq!(
        d.bool(&format!("{sc}.allowPrivilegeEscalation")),
        Some(false),
        "allowPrivilegeEscalation: false"
    );
    assert_eq!(
        d.bool(&format!("{sc}.readOnlyRootFilesystem")),
        Some(true),
        "readOnlyRootFilesystem: true"
    );
    assert_ne!(
        d.bool(&format!("{sc}.privileged")),
        Some(true),
        "never privileged"
    );
    assert!(
        d.bool(&format!("{sc}.runAsNonRoot")) == Some(true)
            || d.bool("spec.template.spec.securityContext.runAsNonRoot") == Some(true),
        "runAsNonRoot: true"
    );
    assert_eq!(
        strings(d.opt(&format!("{sc}.capabilities.drop"))),
        ["ALL"],
        "capabilities.drop: [ALL]"
    );
    assert!(
        strings(d.opt(&format!("{sc}.capabilities.add"))).is_empty(),
        "no added capabilities"
    );
    assert_eq!(
        d.str("spec.template.spec.securityContext.seccompProfile.type"),
        "RuntimeDefault"
    );
    assert_eq!(
        d.bool("spec.template.spec.automountServiceAccountToken"),
        Some(false)
    );

    let (uid, gid) = dockerfile_user();
    let run_as = d
        .opt(&format!("{sc}.runAsUser"))
        .or_else(|| d.opt("spec.template.spec.securityContext.runAsUser"))
        .and_then(Value::as_i64)
        .expect("runAsUser");
    assert_eq!(
        run_as.to_string(),
        uid,
        "{DEPLOYMENT}: runAsUser should be the image's USER"
    );
    if let Some(gid) = gid {
        let run_as_group = d
            .opt(&format!("{sc}.runAsGroup"))
            .or_else(|| d.opt("spec.template.spec.securityContext.runAsGroup"))
            .and_then(Value::as_i64);
        assert_eq!(
            run_as_group.map(|g| g.to_string()),
            Some(gid),
            "runAsGroup should be the image's group"
        );
    }
}

#[test]
fn k8s_deployment_runs_the_image_entrypoint_on_the_container_port() {
    let d = deployment();
    let argv = container_argv(&d);
    let entry = final_entrypoint();
    assert_eq!(
        argv.first(),
        entry.first(),
        "{DEPLOYMENT}: command should be the image's binary"
    );
    assert_eq!(argv.get(1).map(String::as_str), Some("serve"));
    let listen = argv
        .iter()
        .position(|a| a == "--listen")
        .map(|i| argv[i + 1].clone());
    assert_eq!(
        listen,
        Some(format!("0.0.0.0:{HTTP_PORT}")),
        "{DEPLOYMENT}: --listen must be 0.0.0.0:<containerPort> (probes come from the node, not loopback)"
    );
}

#[test]
fn k8s_service_and_autoscaler_target_the_deployment() {
    let d = deployment();
    let labels = d.at("spec.template.metadata.labels").as_mapping().unwrap();

    let s = Doc::load(K8S_SERVICE);
    assert_eq!(s.str("kind"), "Service");
    for (k, v) in s.at("spec.selector").as_mapping().unwrap() {
        assert_eq!(
            labels.get(k),
            Some(v),
            "{K8S_SERVICE}: selector {k:?} does not match the pods"
        );
    }
    let port = s
        .at("spec.ports")
        .as_sequence()
        .unwrap()
        .first()
        .expect("a port");
    assert_eq!(
        resolve_port(&d, port.get("targetPort").expect("targetPort")),
        i64::from(HTTP_PORT)
    );
    assert_ne!(
        s.opt("spec.sessionAffinity").and_then(Value::as_str),
        Some("ClientIP"),
        "replicas need no affinity"
    );

    let h = Doc::load(HPA);
    assert_eq!(h.str("kind"), "HorizontalPodAutoscaler");
    assert_eq!(h.str("apiVersion"), "autoscaling/v2");
    assert_eq!(h.str("spec.scaleTargetRef.kind"), "Deployment");
    assert_eq!(h.str("spec.scaleTargetRef.apiVersion"), "apps/v1");
    assert_eq!(h.str("spec.scaleTargetRef.name"), d.str("metadata.name"));
    let (min, max) = (h.int("spec.minReplicas"), h.int("spec.maxReplicas"));
    assert_eq!(
        min,
        d.int("spec.replicas"),
        "{HPA}: minReplicas should equal the Deployment's replicas"
    );
    assert!(max > min, "{HPA}: maxReplicas must exceed minReplicas");
    let metrics = h.at("spec.metrics").as_sequence().unwrap();
    for m in metrics {
        if let Some(name) = at(m, "resource.name").and_then(Value::as_str) {
            assert!(
                d.opt(&format!("{C}.resources.requests.{name}")).is_some(),
                "{HPA}: scales on {name} utilisation, so the container needs a {name} request"
            );
        }
    }

    let p = Doc::load(PDB);
    assert_eq!(p.str("kind"), "PodDisruptionBudget");
    for (k, v) in p.at("spec.selector.matchLabels").as_mapping().unwrap() {
        assert_eq!(
            labels.get(k),
            Some(v),
            "{PDB}: selector {k:?} does not match the pods"
        );
    }
    assert!(
        p.int("spec.minAvailable") < min,
        "{PDB}: minAvailable must leave room to evict a pod"
    );
}

#[test]
fn k8s_configmap_example_is_mounted_passed_and_loads() {
    let d = deployment();
    let cm = Doc::load(CONFIGMAP);
    assert_eq!(cm.str("kind"), "ConfigMap");
    let cm_name = cm.str("metadata.name");

    let volumes = d.at("spec.template.spec.volumes").as_sequence().unwrap();
    let volume = volumes
        .iter()
        .find(|v| at(v, "configMap.name").and_then(Value::as_str) == Some(cm_name))
        .unwrap_or_else(|| panic!("{DEPLOYMENT}: no volume from ConfigMap {cm_name}"));
    assert_eq!(
        at(volume, "configMap.optional").and_then(Value::as_bool),
        Some(true),
        "{DEPLOYMENT}: the ConfigMap volume must be optional, so the Deployment runs without it"
    );
    let vname = volume.get("name").and_then(Value::as_str).unwrap();
    let mount = d
        .at(&format!("{C}.volumeMounts"))
        .as_sequence()
        .unwrap()
        .iter()
        .find(|m| m.get("name").and_then(Value::as_str) == Some(vname))
        .expect("the ConfigMap volume is mounted");
    assert_eq!(
        mount.get("mountPath").and_then(Value::as_str),
        Some(QUOTES_DIR)
    );
    assert_eq!(mount.get("readOnly").and_then(Value::as_bool), Some(true));
    let env = d.at(&format!("{C}.env")).as_sequence().unwrap();
    let quotes_env = env
        .iter()
        .find(|e| e.get("name").and_then(Value::as_str) == Some("EPIGRAPH_QUOTES"))
        .and_then(|e| e.get("value"))
        .and_then(Value::as_str);
    assert_eq!(
        quotes_env,
        Some(QUOTES_DIR),
        "{DEPLOYMENT}: EPIGRAPH_QUOTES={QUOTES_DIR}"
    );

    // The example's collections load in the real binary, as the pod would see the directory.
    let dir = tempfile::tempdir().unwrap();
    let data = cm.at("data").as_mapping().expect("data");
    assert!(!data.is_empty(), "{CONFIGMAP}: no collections in data");
    for (k, v) in data {
        let k = k.as_str().unwrap();
        assert!(!k.contains('/'), "ConfigMap keys are file names");
        std::fs::write(dir.path().join(k), v.as_str().expect("file text")).unwrap();
    }
    let out = epigraph()
        .args(["list", "--json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "epigraph list failed on {CONFIGMAP}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{CONFIGMAP}: warnings: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let extra: Vec<&serde_json::Value> = listed["collections"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["embedded"] == serde_json::Value::Bool(false))
        .collect();
    assert_eq!(
        extra.len(),
        data.len(),
        "{CONFIGMAP}: each key should be one collection: {extra:?}"
    );
    assert!(
        extra.iter().all(|c| c["count"].as_u64().unwrap_or(0) > 0),
        "{CONFIGMAP}: empty collection: {extra:?}"
    );
}
