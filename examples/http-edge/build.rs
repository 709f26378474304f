//! Builds the RISC-V program that the service runs (`service.c`) with Debian's cross
//! compiler (`make setup` installs it); `src/lib.rs` embeds it.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=service.c");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let status = Command::new("riscv64-linux-gnu-gcc")
        .args(["-O2", "-static", "-o"])
        .arg(out.join("service.elf"))
        .arg("service.c")
        .status()
        .expect("riscv64-linux-gnu-gcc (make setup installs it)");
    assert!(
        status.success(),
        "riscv64-linux-gnu-gcc failed on service.c"
    );
}
