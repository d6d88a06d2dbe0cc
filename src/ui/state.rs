//! The page's state: the simulated cluster and whether its clock runs.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use yew::Reducible;

use crate::sim::{Sim, SimConfig};

/// What the page holds. The sim is shared and mutated in place; `revision` changes on every
/// change so that Yew re-renders.
#[derive(Debug, Clone)]
pub struct AppState {
    pub sim: Rc<RefCell<Sim>>,
    pub running: bool,
    pub revision: u64,
}

/// Everything the page can do to its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Run,
    Pause,
    /// Wall-clock milliseconds passed while running (× speed, later).
    Tick(u64),
}

impl Default for AppState {
    fn default() -> Self {
        AppState { sim: Rc::new(RefCell::new(Sim::new(SimConfig::default()))), running: false, revision: 0 }
    }
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.sim, &other.sim) && self.running == other.running && self.revision == other.revision
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Run => next.running = true,
            Action::Pause => next.running = false,
            Action::Tick(ms) if self.running => {
                next.sim.borrow_mut().advance(Duration::from_millis(ms));
            }
            Action::Tick(_) => return self,
        }
        next.revision += 1;
        Rc::new(next)
    }
}
