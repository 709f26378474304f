//! The native `mvvm` binary: the same emulator as the component, for tests and
//! development on the build machine.

fn main() {
    let args = std::env::args_os().skip(1).collect();
    std::process::exit(mvvm::cli::main(args) as i32);
}
