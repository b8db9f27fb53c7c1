//! The search index, made off the rebuild loop: a save shows in the browser at once, and
//! the next save is never kept waiting by an index (two seconds at 1,000 weeks). The index
//! of the newest pages follows on this thread; a job still waiting when newer pages come
//! is replaced, and an index made of pages no longer served is dropped.
//!
//! Pages are counted in generations, one per change to them: an index is laid over what
//! is served only while its generation is the newest. Served files other than the index
//! (a static file saved meanwhile) are kept.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use super::State;
use crate::output::Output;
use crate::search::{self, LanguagePages};

struct Job {
    generation: u64,
    pages: Arc<Output>,
    languages: Vec<LanguagePages>,
}

#[derive(Default)]
struct Shared {
    waiting: Mutex<Option<Job>>,
    wake: Condvar,
    /// The generation of the pages served now.
    newest: AtomicU64,
}

pub struct Indexer {
    shared: Arc<Shared>,
}

impl Indexer {
    /// Starts the indexing thread; `done` hears how long each index laid over the served
    /// site took.
    pub fn start(state: Arc<State>, done: impl Fn(Duration) + Send + 'static) -> Indexer {
        let shared = Arc::new(Shared::default());
        let worker = Arc::clone(&shared);
        std::thread::spawn(move || {
            while let Some(job) = worker.next_job() {
                let started = Instant::now();
                match search::index(&job.pages, &job.languages) {
                    Ok(files) => {
                        if worker.lay_over(&state, job.generation, files) {
                            done(started.elapsed());
                        }
                    }
                    // Not the reader's fault: the pages stay served with the last index.
                    Err(e) => eprintln!("{}: {e}", search::DIR),
                }
                drop(job);
                // Indexing takes hundreds of megabytes at 1,000 weeks, all freed.
                super::release_freed_memory();
            }
        });
        Indexer { shared }
    }

    /// Asks for the index of `pages`, the newest: a job not started yet is replaced.
    pub fn submit(&self, pages: Arc<Output>, languages: Vec<LanguagePages>) {
        let generation = self.shared.newest.fetch_add(1, Ordering::SeqCst) + 1;
        let mut waiting = self
            .shared
            .waiting
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        *waiting = Some(Job {
            generation,
            pages,
            languages,
        });
        self.shared.wake.notify_one();
    }

    /// Drops the job waiting and any index being made: the pages served have none now.
    /// Called while the served site is being replaced, so no index lands in between.
    pub fn forget(&self) {
        let mut waiting = self
            .shared
            .waiting
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        *waiting = None;
        self.shared.newest.fetch_add(1, Ordering::SeqCst);
    }
}

impl Shared {
    fn next_job(&self) -> Option<Job> {
        let mut waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(job) = waiting.take() {
                return Some(job);
            }
            waiting = self.wake.wait(waiting).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Lays `files` over the served site when they index its pages; whether they did.
    fn lay_over(&self, state: &State, generation: u64, files: search::Files) -> bool {
        state.update(|snapshot| {
            if self.newest.load(Ordering::SeqCst) != generation {
                return false;
            }
            let Some(served) = &snapshot.output else {
                return false;
            };
            let mut output = Output::clone(served);
            search::replace_index(&mut output, files);
            snapshot.output = Some(Arc::new(output));
            true
        })
    }
}
