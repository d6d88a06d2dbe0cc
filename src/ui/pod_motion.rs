//! A pod's move from the pending queue to its node: the queue's chips note where they are
//! drawn; when the pod's chip first appears on a node, it starts at the queue's spot and slides
//! to its place (the FLIP technique). Under reduced motion nothing moves.

use std::cell::RefCell;
use std::collections::HashMap;

use web_sys::HtmlElement;

thread_local! {
    /// Whether the page has been drawn once: the chips of the first drawing are where they are,
    /// not arriving (a fresh cluster's pods are all "just scheduled", and sliding each of them
    /// in cost a forced layout per chip, ~60 ms of the page's load).
    static DRAWN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Where each pod's chip was last drawn in the queue (viewport x, y).
    static QUEUED_AT: RefCell<HashMap<String, (f64, f64)>> = RefCell::new(HashMap::new());
}

/// The queue's chip for `pod` is drawn at `el`.
pub fn note_queued(pod: &str, el: &HtmlElement) {
    let r = el.get_bounding_client_rect();
    QUEUED_AT.with(|q| {
        let mut q = q.borrow_mut();
        // Bounded: a queue draws at most a few dozen chips at a time.
        if q.len() > 500 {
            q.clear();
        }
        q.insert(pod.to_string(), (r.left(), r.top()));
    });
}

fn reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Where a pod that was never drawn waiting comes from: the queue if it is shown, else the
/// top of the cluster view, where the queue would be.
fn queue_place() -> Option<(f64, f64)> {
    let doc = web_sys::window()?.document()?;
    let el = doc
        .query_selector(".pending-queue")
        .ok()
        .flatten()
        .or_else(|| doc.query_selector(".cluster").ok().flatten())?;
    let r = el.get_bounding_client_rect();
    Some((r.left() + 24.0, r.top() + 8.0))
}

/// The page has been drawn once; chips that appear from now on arrive.
pub fn page_drawn() {
    DRAWN.with(|d| d.set(true));
}

/// The chip `el` of `pod` has just been bound to a node: it slides there from the queue.
pub fn arrive(pod: &str, el: &HtmlElement) {
    if !DRAWN.with(|d| d.get()) {
        return;
    }
    let noted = QUEUED_AT.with(|q| q.borrow_mut().remove(pod));
    let Some((qx, qy)) = noted.or_else(queue_place) else { return };
    if reduced_motion() {
        return;
    }
    let r = el.get_bounding_client_rect();
    let (dx, dy) = (qx - r.left(), qy - r.top());
    let style = el.style();
    let _ = style.set_property("animation", "none");
    let _ = style.set_property("transition", "none");
    let _ = style.set_property("transform", &format!("translate({dx}px, {dy}px)"));
    // Reading the layout makes the browser take the starting place before the move begins.
    let _ = el.offset_width();
    let _ = style.set_property("transition", "transform 0.6s ease-in-out");
    let _ = style.set_property("transform", "none");
}
