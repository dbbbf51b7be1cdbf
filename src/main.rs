//! Entry point of the web app (built for wasm32 by Trunk).

#[cfg(target_arch = "wasm32")]
fn main() {
    ringraft::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("ringraft-app is the web app: build it with `trunk build` (see README). The native runner is `ringraft`.");
    std::process::exit(2);
}
