//! The threads that make answers: a fixed number, whatever the number of connections,
//! each taking the next request from one queue and handing the answer back to the
//! connection thread (its bytes, and the file whose part follows them).

use std::sync::Mutex;
use std::sync::mpsc::{Receiver, Sender};

use mio::{Token, Waker};

use crate::serve::State;
use crate::serve::http::{self, Outgoing, Response};
use crate::serve::request::Request;

pub struct Job {
    pub token: Token,
    pub request: Request,
    /// The connection ends after this answer.
    pub close: bool,
}

pub struct Done {
    pub token: Token,
    pub outgoing: Outgoing,
    pub close: bool,
}

pub fn work(jobs: &Mutex<Receiver<Job>>, done: &Sender<Done>, waker: &Waker, state: &State) {
    loop {
        let job = jobs.lock().unwrap_or_else(|e| e.into_inner()).recv();
        let Ok(job) = job else { return };
        let snapshot = state.snapshot();
        // A bug in answering must cost one request a 500, not the server its worker and
        // the client its connection.
        let response = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            http::answer(&job.request, &snapshot)
        }))
        .unwrap_or_else(|_| Response::text(500, "internal error"));
        let outgoing = response.into_outgoing(job.request.is_head(), job.close);
        if done
            .send(Done {
                token: job.token,
                outgoing,
                close: job.close,
            })
            .is_err()
        {
            return;
        }
        let _ = waker.wake();
    }
}
