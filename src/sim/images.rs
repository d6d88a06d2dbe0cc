//! The image catalogue: being written.
