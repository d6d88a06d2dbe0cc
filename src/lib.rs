//! kube-sandbox: a Kubernetes cluster simulated in the browser.
//!
//! Dependencies point one way: `ui` → `shell`/`kubectl`/`manifest`/`scenario`/`lessons` → `sim`.
//! `sim` knows nothing of the page; everything but `ui` compiles and tests natively.

pub mod lessons;
pub mod manifest;
pub mod scenario;
pub mod shell;
pub mod sim;
pub mod ui;
