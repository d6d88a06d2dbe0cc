//! The page: a Yew front end over the [`crate::sim`]. The only module that touches the browser.

pub mod app;
pub mod cluster_pane;
pub mod cluster_view;
pub mod decision_table;
pub mod dock;
pub mod editor_files;
pub mod editor_panel;
pub mod events_panel;
pub mod find;
pub mod i18n;
pub mod indent;
pub mod inspected;
pub mod inspector;
pub mod lesson_aside;
pub mod lesson_panel;
pub mod lesson_state;
pub mod live_diff;
pub mod markdown;
pub mod node_box;
pub mod notice_bar;
pub mod page_effects;
pub mod panels;
pub mod persist;
pub mod pod_chip;
pub mod pod_motion;
pub mod presenter;
pub mod problem_lines;
pub mod rollout_view;
pub mod share_panel;
pub mod side_panel;
pub mod state;
pub mod terminal_panel;
pub mod time_controls;
pub mod top_bar;
pub mod typing;
pub mod undo;
pub mod view_state;
pub mod vm_widget;
pub mod yaml_highlight;

pub use app::App;

/// Mounts the [`App`] on the page's `<body>` (the entry point installs the panic hook first).
pub fn start() {
    yew::Renderer::<App>::new().render();
}
