//! Compiles src/linktest.c against the libzmq the zmq4-sys build script built, the way a C
//! extension or another language binding would: with nothing but the DEP_ZMQ_* variables zmq4
//! exports through `links = "zmq"`.
//!
//! It does not link libzmq itself: zmq4-sys already links its static libzmq.a into the program
//! (`cargo:rustc-link-lib=static=zmq`), and the C code's references resolve against that one
//! copy. Linking it a second time here would put two libzmq instances in one binary.

use std::env;
use std::path::PathBuf;

/// A DEP_ZMQ_* variable; all of them are required.
fn dep(name: &str) -> String {
    let key = format!("DEP_ZMQ_{name}");
    println!("cargo:rerun-if-env-changed={key}");
    env::var(&key)
        .unwrap_or_else(|_| panic!("{key} is not set: zmq4's build script must export it"))
}

fn flag(name: &str) -> bool {
    match dep(name).as_str() {
        "1" => true,
        "0" => false,
        other => panic!("DEP_ZMQ_{name} = {other:?}, expected 0 or 1"),
    }
}

fn main() {
    println!("cargo:rerun-if-changed=src/linktest.c");
    let include = PathBuf::from(dep("INCLUDE"));
    let lib = PathBuf::from(dep("LIB"));
    let root = PathBuf::from(dep("ROOT"));
    let pkgconfig = PathBuf::from(dep("PKGCONFIG"));
    let version = dep("VERSION");
    let version_number = dep("VERSION_NUMBER");
    let draft = flag("DRAFT");
    let curve = flag("CURVE");
    let vendored = flag("VENDORED");
    let statik = flag("STATIC");

    assert!(
        include.join("zmq.h").is_file(),
        "DEP_ZMQ_INCLUDE has no zmq.h: {}",
        include.display()
    );
    if vendored {
        assert!(
            lib.join("libzmq.a").is_file(),
            "DEP_ZMQ_LIB has no libzmq.a: {}",
            lib.display()
        );
        assert!(
            pkgconfig.join("libzmq.pc").is_file(),
            "no libzmq.pc in {}",
            pkgconfig.display()
        );
        assert!(
            pkgconfig.starts_with(&root),
            "DEP_ZMQ_PKGCONFIG is not under DEP_ZMQ_ROOT"
        );
    }
    let (major, rest) = version.split_once('.').expect("DEP_ZMQ_VERSION is x.y.z");
    let (minor, patch) = rest.split_once('.').expect("DEP_ZMQ_VERSION is x.y.z");

    let mut build = cc::Build::new();
    build
        .file("src/linktest.c")
        .include(&include)
        .warnings(true)
        .extra_warnings(true)
        .flag_if_supported("-Werror")
        .define("EXPECT_MAJOR", major)
        .define("EXPECT_MINOR", minor)
        .define("EXPECT_PATCH", patch)
        .define("EXPECT_VERSION_NUMBER", version_number.as_str())
        .define("EXPECT_CURVE", if curve { "1" } else { "0" })
        .define("EXPECT_DRAFT", if draft { "1" } else { "0" });
    if statik {
        // zmq.h: without ZMQ_STATIC the declarations would be dllimport on Windows.
        build.define("ZMQ_STATIC", None);
    }
    if draft {
        // The DRAFT declarations in zmq.h; the library has them (DEP_ZMQ_DRAFT=1).
        build.define("ZMQ_BUILD_DRAFT_API", None);
    }
    build.compile("zmq4_linktest");

    // For main.rs's report and ci/linktest.sh's pkg-config check.
    for (key, value) in [
        ("ROOT", root.display().to_string()),
        ("INCLUDE", include.display().to_string()),
        ("LIB", lib.display().to_string()),
        ("PKGCONFIG", pkgconfig.display().to_string()),
        ("VERSION", version),
        ("CURVE", (curve as u8).to_string()),
        ("DRAFT", (draft as u8).to_string()),
        ("VENDORED", (vendored as u8).to_string()),
        ("STATIC", (statik as u8).to_string()),
    ] {
        println!("cargo:rustc-env=LINKTEST_DEP_ZMQ_{key}={value}");
    }
}
