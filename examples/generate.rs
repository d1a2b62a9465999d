//! Writes a large synthetic collection for benchmarks (see `benches/synthetic`), plus its
//! strfile `.dat` index. Never commit its output.
//!
//! `cargo run --release --example generate -- 1000000 /tmp/big.fortune [SEED]`

#[path = "../benches/synthetic/mod.rs"]
mod synthetic;

use epigraph::corpus::strfile::write_fortune_file;

fn main() {
    let mut args = std::env::args().skip(1);
    let count: usize = args
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let out = args.next().unwrap_or_else(|| "/tmp/big.fortune".into());
    let seed = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let entries = synthetic::entries(count, seed);
    let (text, dat) = write_fortune_file(entries.iter().map(String::as_str));
    std::fs::write(&out, text).expect("write the collection");
    std::fs::write(format!("{out}.dat"), dat).expect("write the index");
    eprintln!("wrote {count} entries to {out} and {out}.dat");
}
