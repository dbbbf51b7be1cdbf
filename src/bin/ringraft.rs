//! Native command-line runner (filled by the core issues).
fn main() {
    eprintln!("usage: ringraft <run|check|bench|ring|jump> ...");
    std::process::exit(2);
}
