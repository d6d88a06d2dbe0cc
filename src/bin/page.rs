//! The page's entry point: trunk builds this for wasm32 and mounts the app.

fn main() {
    #[cfg(target_arch = "wasm32")]
    kube_sandbox::ui::start();
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("the page runs in a browser: build it with trunk (see README.md)");
}
