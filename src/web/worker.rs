//! The analysis web worker. The page sends requests; the worker runs the pure core and answers,
//! so the page never blocks on a computation.

use serde::{Deserialize, Serialize};
use yew_agent::prelude::*;
use yew_agent::worker::{HandlerId, Worker};

/// A request from the page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Request {
    /// Liveness check: answered with [`Response::Pong`] carrying the same number.
    Ping(u32),
}

/// An answer to the page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Response {
    /// Answer to [`Request::Ping`].
    Pong(u32),
}

/// The engine worker.
pub struct Engine;

impl Worker for Engine {
    type Message = ();
    type Input = Request;
    type Output = Response;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        Self
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, msg: Self::Input, id: HandlerId) {
        match msg {
            Request::Ping(n) => scope.respond(id, Response::Pong(n)),
        }
    }
}

/// Entry point of the `worker` binary.
pub fn register() {
    Engine::registrar().register();
}
