//! The simulated process: being written.
