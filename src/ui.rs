//! The page: a Yew front end over the [`crate::sim`]. The only module that touches the browser.

pub mod app;
pub mod cluster_view;
pub mod node_box;
pub mod state;
pub mod time_controls;

pub use app::App;

/// Mounts the [`App`] on the page's `<body>`.
pub fn start() {
    yew::Renderer::<App>::new().render();
}
