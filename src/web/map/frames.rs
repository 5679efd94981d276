//! Tile drawing spread over animation frames: a tile that arrives from the worker is queued,
//! and each frame draws queued tiles until a budget of the page's time is spent (at least one
//! tile a frame), so a pan that brings in a row of tiles of every layer at once does not draw
//! them all in one frame (three vsyncs at the whole-city view before this queue). A tile whose
//! canvas left the page before its turn (Leaflet unloaded it) is not drawn at all.
//!
//! Cost: O(1) per tile queued; the drawing is the tile's own (`tiles`, `tile_points`).

use std::cell::RefCell;
use std::collections::VecDeque;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// Milliseconds of drawing per frame (of the ≈ 16.7 ms between two 60 Hz vsyncs: the rest is
/// Leaflet's, the browser's style, layout and compositing).
const BUDGET_MS: f64 = 6.0;

/// A queued drawing.
type Job = Box<dyn FnOnce()>;

#[derive(Default)]
struct Queue {
    jobs: VecDeque<Job>,
    /// A frame is asked for.
    asked: bool,
    /// The frame callback (made once, lives as long as the page).
    tick: Option<Closure<dyn FnMut(f64)>>,
}

thread_local! {
    static QUEUE: RefCell<Queue> = RefCell::new(Queue::default());
}

/// Draws `job` in a coming animation frame, after the jobs queued before it (at once in a
/// hidden page, which gets no frames).
pub(super) fn draw_later(job: Job) {
    if super::leaflet::document().is_none_or(|d| d.hidden()) {
        job();
        return;
    }
    QUEUE.with(|q| {
        let mut q = q.borrow_mut();
        q.jobs.push_back(job);
        if !q.asked {
            q.asked = ask_frame(&mut q);
        }
    });
}

/// Asks the browser for a frame; false when it refused (no window).
fn ask_frame(q: &mut Queue) -> bool {
    let Some(w) = web_sys::window() else {
        return false;
    };
    let tick = q
        .tick
        .get_or_insert_with(|| Closure::<dyn FnMut(f64)>::new(|_t: f64| frame()));
    w.request_animation_frame(tick.as_ref().unchecked_ref())
        .is_ok()
}

/// One frame: queued jobs until the budget is spent, then another frame if any are left.
fn frame() {
    let t0 = now();
    loop {
        let job = QUEUE.with(|q| q.borrow_mut().jobs.pop_front());
        let Some(job) = job else { break };
        // A job may queue another (never while the queue is borrowed).
        job();
        if now() - t0 >= BUDGET_MS {
            break;
        }
    }
    QUEUE.with(|q| {
        let mut q = q.borrow_mut();
        q.asked = !q.jobs.is_empty() && ask_frame(&mut q);
    });
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}
