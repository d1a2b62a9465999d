//! SIGHUP: reload the `--quotes` paths and swap the corpus in at once; a reload with errors
//! keeps serving the old quotes and logs each problem as `file:line`. (SIGTERM and SIGINT are
//! handled by the HTTP server itself: graceful drain, then exit.) A reload runs on its own
//! thread and is given up on after `--reload-timeout` (30 s), so it can neither jam later
//! reloads nor keep the process from stopping; what a given-up reload reads late is dropped,
//! never swapped in behind the log's back.

use super::state::{AppState, LoadFailure, Reloaded};
use crate::diagnostic::Diagnostic;
use actix_web::rt::signal::unix::{SignalKind, signal};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How often the signal task looks whether the reload thread has finished.
const POLL: Duration = Duration::from_millis(50);

/// Starts listening for SIGHUP on the current runtime; a reload that takes longer than
/// `deadline` is given up on (the old corpus keeps serving). Call before the server announces
/// itself, so an early SIGHUP is never fatal.
pub fn reload_on_hangup(state: AppState, deadline: Duration) -> std::io::Result<()> {
    let mut hangups = signal(SignalKind::hangup())?;
    let running = Arc::new(AtomicBool::new(false));
    actix_web::rt::spawn(async move {
        while hangups.recv().await.is_some() {
            if running.load(Ordering::Acquire) {
                tracing::warn!(
                    "SIGHUP ignored: an earlier reload is still stuck reading the collections"
                );
                continue;
            }
            tracing::info!("SIGHUP: reloading collections");
            match reload_within(&state, &running, deadline).await {
                Some(loaded) => log_reload(&state, state.install(loaded)),
                None => {
                    state.metrics().count_reload(false);
                    tracing::error!(
                        "reload gave no result within {} s; still serving the previous {} quotes",
                        deadline.as_secs_f64(),
                        state.loaded().corpus.quotes().len()
                    )
                }
            }
        }
    });
    Ok(())
}

/// Reads the collections on a thread of its own and waits for them at most `deadline`;
/// `None` if it took longer (the thread's late result then goes nowhere). The thread is detached rather than a runtime blocking task, so a read that
/// hangs can never hold up the runtime's shutdown: SIGTERM still stops the process. `running`
/// stays set until the thread ends, so a stuck reload is not piled on by the next SIGHUP.
async fn reload_within(
    state: &AppState,
    running: &Arc<AtomicBool>,
    deadline: Duration,
) -> Option<Result<Reloaded, LoadFailure>> {
    let (done, outcome) = mpsc::channel();
    let worker = state.clone();
    let flag = Arc::clone(running);
    flag.store(true, Ordering::Release);
    let spawned = std::thread::Builder::new()
        .name("epigraph-reload".into())
        .spawn(move || {
            let _ = done.send(worker.load_again());
            flag.store(false, Ordering::Release);
        });
    if let Err(err) = spawned {
        running.store(false, Ordering::Release);
        tracing::error!("reload failed to run: {err}");
        return None;
    }
    let until = Instant::now() + deadline;
    while Instant::now() < until {
        match outcome.try_recv() {
            Ok(result) => return Some(result),
            Err(mpsc::TryRecvError::Disconnected) => return None,
            Err(mpsc::TryRecvError::Empty) => actix_web::rt::time::sleep(POLL).await,
        }
    }
    None
}

/// Logs the outcome of a reload.
pub fn log_reload(state: &AppState, result: Result<Vec<Diagnostic>, LoadFailure>) {
    match result {
        Ok(warnings) => {
            for warning in &warnings {
                tracing::warn!("{warning}");
            }
            let snapshot = state.loaded();
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
                state.loaded().corpus.quotes().len()
            );
        }
    }
}
