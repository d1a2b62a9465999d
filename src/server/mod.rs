//! The HTTP face (placeholder until the server lands): `epigraph serve`.

use clap::Args;

/// `epigraph serve` options.
#[derive(Debug, Args)]
pub struct ServeArgs {}

/// Runs the server.
pub fn run(_args: ServeArgs) -> anyhow::Result<()> {
    anyhow::bail!("the HTTP server is not built yet")
}
