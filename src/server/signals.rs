//! SIGHUP: reload the `--quotes` paths and swap the corpus in at once; a reload with errors
//! keeps serving the old quotes and logs each problem as `file:line`. (SIGTERM and SIGINT are
//! handled by the HTTP server itself: graceful drain, then exit.)

use super::state::AppState;
use actix_web::rt::signal::unix::{SignalKind, signal};
use actix_web::rt::task::spawn_blocking;

/// Starts listening for SIGHUP on the current runtime. Call before the server announces
/// itself, so an early SIGHUP is never fatal.
pub fn reload_on_hangup(state: AppState) -> std::io::Result<()> {
    let mut hangups = signal(SignalKind::hangup())?;
    actix_web::rt::spawn(async move {
        while hangups.recv().await.is_some() {
            tracing::info!("SIGHUP: reloading collections");
            let worker = state.clone();
            match spawn_blocking(move || worker.reload()).await {
                Ok(result) => log_reload(&state, result),
                Err(err) => tracing::error!("reload failed to run: {err}"),
            }
        }
    });
    Ok(())
}

/// Logs the outcome of a reload.
pub fn log_reload(
    state: &AppState,
    result: Result<Vec<crate::diagnostic::Diagnostic>, super::state::LoadFailure>,
) {
    match result {
        Ok(warnings) => {
            for warning in &warnings {
                tracing::warn!("{warning}");
            }
            let snapshot = state.snapshot();
            tracing::info!(
                quotes = snapshot.corpus.quotes().len(),
                collections = snapshot.corpus.collections().len(),
                "reloaded"
            );
        }
        Err(failure) => {
            for diagnostic in &failure.0 {
                tracing::error!("{diagnostic}");
            }
            tracing::error!(
                "reload failed ({failure}); still serving the previous {} quotes",
                state.snapshot().corpus.quotes().len()
            );
        }
    }
}
