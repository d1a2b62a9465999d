//! Where lines go: each thread appends to its own buffer, and a background thread writes all
//! buffers to stderr every [`FLUSH_EVERY`]. A request never waits for stderr nor for another
//! worker; if the reader stalls and [`MAX_PENDING`] bytes pile up in a worker, its new lines are
//! dropped and counted rather than blocking the server. (Flushing more often under load was
//! measured: the extra wake-ups cost more than the smaller buffers save.)

use std::cell::RefCell;
use std::io::Write as _;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Most bytes a worker holds before its lines are dropped.
const MAX_PENDING: usize = 2 << 20;
/// How often pending lines are written.
const FLUSH_EVERY: Duration = Duration::from_millis(50);

/// One thread's pending lines; only that thread and the writer ever lock it.
type Buffer = Arc<Mutex<Vec<u8>>>;

#[derive(Default)]
pub(super) struct Sink {
    buffers: Mutex<Vec<Buffer>>,
    pub(super) closed: AtomicBool,
    dropped: AtomicU64,
}

thread_local! {
    /// This thread's buffer, with the address of the sink it belongs to.
    static LOCAL: RefCell<Option<(usize, Buffer)>> = const { RefCell::new(None) };
}

impl Sink {
    pub(super) fn push(self: &Arc<Self>, line: &[u8]) {
        let id = Arc::as_ptr(self) as usize;
        LOCAL.with(|local| {
            let Ok(mut local) = local.try_borrow_mut() else {
                return;
            };
            if local.as_ref().is_none_or(|(owner, _)| *owner != id) {
                let buffer = Buffer::default();
                if let Ok(mut buffers) = self.buffers.lock() {
                    buffers.push(Arc::clone(&buffer));
                }
                *local = Some((id, buffer));
            }
            let Some((_, buffer)) = local.as_ref() else {
                return;
            };
            let Ok(mut pending) = buffer.lock() else {
                return;
            };
            if pending.len() + line.len() > MAX_PENDING {
                self.dropped.fetch_add(1, Relaxed);
            } else {
                pending.extend_from_slice(line);
            }
        });
    }

    /// Writes out every thread's pending lines; `spares` keeps an empty buffer per thread.
    fn flush(&self, spares: &mut Vec<Vec<u8>>) {
        let buffers: Vec<Buffer> = match self.buffers.lock() {
            Ok(buffers) => buffers.clone(),
            Err(_) => return,
        };
        spares.resize_with(buffers.len(), Vec::new);
        let mut stderr = std::io::stderr().lock();
        for (buffer, spare) in buffers.iter().zip(spares.iter_mut()) {
            if let Ok(mut pending) = buffer.lock() {
                if pending.is_empty() {
                    continue;
                }
                std::mem::swap(&mut *pending, spare);
            }
            let _ = stderr.write_all(spare);
            spare.clear();
        }
        let dropped = self.dropped.swap(0, Relaxed);
        if dropped > 0 {
            let _ = writeln!(
                stderr,
                "epigraph: {dropped} log lines dropped (stderr too slow)"
            );
        }
    }

    /// The writer thread: flushes every [`FLUSH_EVERY`] until closed, then once more.
    pub(super) fn run(&self) {
        let mut spares = Vec::new();
        while !self.closed.load(Relaxed) {
            std::thread::sleep(FLUSH_EVERY);
            self.flush(&mut spares);
        }
        self.flush(&mut spares);
    }
}
