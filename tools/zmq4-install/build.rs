//! Stages the files `zmq4-install` lays out, from the DEP_ZMQ_* values zmq4-sys exports (only a
//! direct dependent's build script sees them): the headers, a self-contained libzmq.a (libzmq
//! plus the libsodium objects it uses) and a shared libzmq.so.5 linked from the same
//! position-independent objects, exporting only the `zmq_*` API.

use std::env;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;

/// libzmq 4.3.5's libtool version 7:5:2, as its CMakeLists and autotools name the file.
const SO_VERSION: &str = "5.2.5";
const SONAME: &str = "libzmq.so.5";

fn dep(name: &str) -> Option<String> {
    env::var(format!("DEP_ZMQ_{name}")).ok()
}

fn dep_path(name: &str) -> PathBuf {
    PathBuf::from(dep(name).unwrap_or_else(|| panic!("zmq4-sys exported no DEP_ZMQ_{name}")))
}

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("OUT_DIR"));
    let target = env::var("TARGET").expect("TARGET");
    if dep("VENDORED").as_deref() != Some("1") {
        panic!(
            "zmq4-install lays out the libzmq that zmq4-sys builds, but zmq4-sys linked a system \
             libzmq (feature `system` or LIBZMQ_NO_VENDOR=1): there is nothing to install"
        );
    }
    if target.contains("apple") || target.contains("windows") || target.contains("wasm") {
        panic!(
            "zmq4-install produces ELF libraries (Linux, the BSDs); target {target} is not \
             supported yet"
        );
    }
    let stage = out.join("stage");
    let _ = fs::remove_dir_all(&stage);
    let (inc, lib) = (stage.join("include"), stage.join("lib"));
    fs::create_dir_all(&inc).expect("create stage/include");
    fs::create_dir_all(&lib).expect("create stage/lib");

    let include = dep_path("INCLUDE");
    for h in ["zmq.h", "zmq_utils.h"] {
        fs::copy(include.join(h), inc.join(h)).expect("copy header");
    }
    let archive = dep_path("LIB").join("libzmq.a");
    println!("cargo:rerun-if-changed={}", archive.display());
    let sodium = dep("SODIUM_LIB").map(|d| PathBuf::from(d).join("libsodium.a"));

    match &sodium {
        Some(s) => merge_archives(&[&archive, s], &lib.join("libzmq.a")),
        None => {
            fs::copy(&archive, lib.join("libzmq.a")).expect("copy libzmq.a");
        }
    }
    link_shared(
        &archive,
        sodium.as_deref(),
        &out,
        &lib.join(format!("libzmq.so.{SO_VERSION}")),
    );

    // What the static library still needs once libsodium is inside it.
    let private: Vec<String> = dep("STATIC_LIBS")
        .unwrap_or_default()
        .split_whitespace()
        .filter(|f| !f.starts_with("-L") && *f != "-lsodium")
        .map(str::to_owned)
        .collect();
    let bits = env::var("CARGO_CFG_TARGET_POINTER_WIDTH").unwrap_or_else(|_| "64".into());
    println!("cargo:rustc-env=ZMQ4_INSTALL_STAGE={}", stage.display());
    println!("cargo:rustc-env=ZMQ4_INSTALL_SO_VERSION={SO_VERSION}");
    println!("cargo:rustc-env=ZMQ4_INSTALL_SONAME={SONAME}");
    println!(
        "cargo:rustc-env=ZMQ4_INSTALL_LIBS_PRIVATE={}",
        private.join(" ")
    );
    println!("cargo:rustc-env=ZMQ4_INSTALL_POINTER_BITS={bits}");
    for (key, name) in [
        ("VERSION", "VERSION"),
        ("DRAFT", "DRAFT"),
        ("CURVE", "CURVE"),
    ] {
        let v = dep(name).unwrap_or_default();
        println!("cargo:rustc-env=ZMQ4_INSTALL_{key}={v}");
    }
}

/// One archive holding every member of `inputs` (GNU ar's MRI script), so the installed
/// libzmq.a needs no libsodium of its own.
fn merge_archives(inputs: &[&Path], output: &Path) {
    let _ = fs::remove_file(output);
    let mut script = format!("CREATE {}\n", output.display());
    for i in inputs {
        script += &format!("ADDLIB {}\n", i.display());
    }
    script += "SAVE\nEND\n";
    let mut ar = cc::Build::new().get_archiver();
    let mut child = ar
        .arg("-M")
        .stdin(Stdio::piped())
        .spawn()
        .expect("run ar -M");
    child
        .stdin
        .take()
        .expect("ar stdin")
        .write_all(script.as_bytes())
        .expect("write MRI script");
    assert!(
        child.wait().expect("wait for ar").success(),
        "ar -M failed to merge {inputs:?}"
    );
}

/// Links libzmq.so.5 from the static archive: every libzmq object, the libsodium objects they
/// use, the C++ runtime as a NEEDED library, and a version script exporting `zmq_*` only.
fn link_shared(archive: &Path, sodium: Option<&Path>, out: &Path, so: &Path) {
    let map = out.join("libzmq.map");
    fs::write(&map, "{\n  global: zmq_*;\n  local: *;\n};\n").expect("write version script");
    let compiler = cc::Build::new()
        .cpp(true)
        .cargo_metadata(false)
        .get_compiler();
    let mut cmd = compiler.to_command();
    cmd.arg("-shared")
        .arg("-o")
        .arg(so)
        .arg(format!("-Wl,-soname,{SONAME}"))
        .arg(format!("-Wl,--version-script={}", map.display()))
        .arg("-Wl,--no-undefined")
        .arg("-Wl,--whole-archive")
        .arg(archive)
        .arg("-Wl,--no-whole-archive");
    if let Some(s) = sodium {
        cmd.arg(s);
    }
    cmd.arg("-lpthread");
    let output = cmd
        .output()
        .expect("run the C++ compiler to link libzmq.so");
    if !output.status.success() {
        let err = String::from_utf8_lossy(&output.stderr);
        let hint = if err.contains("-fPIC") {
            "\nAn archive holds non-PIC objects. libsodium-sys-stable builds PIC only with \
             SODIUM_DISABLE_PIE=1 (set in this workspace's .cargo/config.toml), and keeps objects \
             built without it: run `cargo clean -p libsodium-sys-stable` (with --release for a \
             release build) and try again."
        } else {
            ""
        };
        panic!("linking libzmq.so failed: {cmd:?}\n{err}{hint}");
    }
}
