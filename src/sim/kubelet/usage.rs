//! A container's resource usage over the last window, as the kubelet measures it (cAdvisor's
//! figures, which metrics-server scrapes: [`crate::sim::metrics`]).

/// One container's usage over the last metrics window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    /// CPU in millicores.
    pub cpu_millis: u64,
    /// Working-set memory in bytes.
    pub memory_bytes: u64,
}

/// metrics-server scrapes every 15 s; usage is averaged over such a window.
pub const WINDOW_SECS: u64 = 15;
