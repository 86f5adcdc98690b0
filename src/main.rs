//! The `bosun` binary: everything lives in the library; this only hands over the arguments.

fn main() {
    std::process::exit(bosun::cli::run(std::env::args_os()));
}
