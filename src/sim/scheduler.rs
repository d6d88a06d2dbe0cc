//! The scheduler (kube-scheduler framework): being written.
