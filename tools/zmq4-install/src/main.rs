//! `zmq4-install`: lays out the libzmq that zmq4-sys builds in a prefix of the user's choosing,
//! so C programs and other bindings (pyzmq, czmq, anything using pkg-config or CMake's
//! `find_package(ZeroMQ)`) link it with their own default detection.
//!
//! ```text
//! cargo run --release -p zmq4-install -- --prefix DIR
//! cargo run --release -p zmq4-install --no-default-features --features curve -- --prefix DIR
//! ```
//!
//! Features select the libzmq options as zmq4-sys's do (`draft`, `curve`, `cmake-build`).
//! It writes:
//!
//! | path | what |
//! |---|---|
//! | `include/zmq.h`, `include/zmq_utils.h` | the headers |
//! | `lib/libzmq.a` | static library, position-independent, libsodium's objects inside |
//! | `lib/libzmq.so.5.2.5` (+ `libzmq.so.5`, `libzmq.so` links) | shared library, SONAME `libzmq.so.5`, exports `zmq_*` only, libsodium inside, the C++ runtime NEEDED |
//! | `lib/pkgconfig/libzmq.pc` | `Libs: -lzmq` (the shared library), `Libs.private` for `--static` |
//! | `lib/cmake/ZeroMQ/ZeroMQConfig.cmake`, `ZeroMQConfigVersion.cmake`, `ZeroMQTargets.cmake` | imported targets `libzmq` and `libzmq-static` |
//!
//! Then `PKG_CONFIG_PATH=DIR/lib/pkgconfig` or `CMAKE_PREFIX_PATH=DIR` is all a consumer needs
//! (and `LD_LIBRARY_PATH=DIR/lib` at run time, or an rpath, unless DIR is a system prefix).
//! See README.md next to this crate's Cargo.toml.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const STAGE: &str = env!("ZMQ4_INSTALL_STAGE");
const SO_VERSION: &str = env!("ZMQ4_INSTALL_SO_VERSION");
const SONAME: &str = env!("ZMQ4_INSTALL_SONAME");
const LIBS_PRIVATE: &str = env!("ZMQ4_INSTALL_LIBS_PRIVATE");
const POINTER_BITS: &str = env!("ZMQ4_INSTALL_POINTER_BITS");
const VERSION: &str = env!("ZMQ4_INSTALL_VERSION");
const DRAFT: &str = env!("ZMQ4_INSTALL_DRAFT");
const CURVE: &str = env!("ZMQ4_INSTALL_CURVE");

const USAGE: &str = "usage: zmq4-install --prefix DIR

Installs the libzmq built by zmq4-sys into DIR: include/, lib/libzmq.a, lib/libzmq.so*,
lib/pkgconfig/libzmq.pc, lib/cmake/ZeroMQ/. Run it as
  cargo run --release -p zmq4-install [--no-default-features --features ...] -- --prefix DIR";

fn main() -> ExitCode {
    let prefix = match parse_args(std::env::args().skip(1)) {
        Ok(Some(p)) => p,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("zmq4-install: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match install(&prefix) {
        Ok(files) => {
            for f in files {
                println!("{}", f.display());
            }
            println!(
                "zmq4-install: libzmq {VERSION} (draft={DRAFT}, curve={CURVE}) installed in {}",
                prefix.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("zmq4-install: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `Ok(None)` asks for the usage text.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<PathBuf>, String> {
    let mut prefix = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "-h" | "--help" => return Ok(None),
            "--prefix" => prefix = Some(args.next().ok_or("--prefix needs a directory")?),
            _ => match a.strip_prefix("--prefix=") {
                Some(p) => prefix = Some(p.to_owned()),
                None => return Err(format!("unknown argument `{a}`")),
            },
        }
    }
    let prefix = prefix.ok_or("--prefix DIR is required")?;
    if prefix.is_empty() {
        return Err("--prefix is empty".into());
    }
    std::path::absolute(&prefix)
        .map(Some)
        .map_err(|e| format!("{prefix}: {e}"))
}

/// Copies the staged files and writes the .pc and CMake files; returns what it wrote.
fn install(prefix: &Path) -> io::Result<Vec<PathBuf>> {
    let stage = Path::new(STAGE);
    let (include, lib) = (prefix.join("include"), prefix.join("lib"));
    let (pc_dir, cmake_dir) = (lib.join("pkgconfig"), lib.join("cmake").join("ZeroMQ"));
    for d in [&include, &lib, &pc_dir, &cmake_dir] {
        fs::create_dir_all(d)?;
    }
    let mut written = Vec::new();
    let real_so = format!("libzmq.so.{SO_VERSION}");
    for (from, to) in [
        ("include/zmq.h", include.join("zmq.h")),
        ("include/zmq_utils.h", include.join("zmq_utils.h")),
        ("lib/libzmq.a", lib.join("libzmq.a")),
        (&format!("lib/{real_so}"), lib.join(&real_so)),
    ] {
        replace(&to)?;
        fs::copy(stage.join(from), &to)?;
        written.push(to);
    }
    for (link, points_to) in [(SONAME, real_so.as_str()), ("libzmq.so", SONAME)] {
        let path = lib.join(link);
        replace(&path)?;
        symlink(points_to, &path)?;
        written.push(path);
    }
    let files = [
        (pc_dir.join("libzmq.pc"), pkg_config(prefix)),
        (cmake_dir.join("ZeroMQConfig.cmake"), cmake_config()),
        (cmake_dir.join("ZeroMQConfigVersion.cmake"), cmake_version()),
        (
            cmake_dir.join("ZeroMQTargets.cmake"),
            cmake_targets(&real_so),
        ),
    ];
    for (path, text) in files {
        fs::write(&path, text)?;
        written.push(path);
    }
    Ok(written)
}

/// Removes a file or link about to be rewritten: a new inode, never an overwrite of a shared
/// library some process has mapped.
fn replace(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

#[cfg(unix)]
fn symlink(target: &str, link: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
fn symlink(target: &str, link: &Path) -> io::Result<()> {
    fs::copy(link.with_file_name(target), link).map(drop)
}

fn draft_define() -> &'static str {
    if DRAFT == "1" {
        " -DZMQ_BUILD_DRAFT_API"
    } else {
        ""
    }
}

/// libzmq.pc as libzmq's own install writes it: the shared library in `Libs`, what the
/// static one needs in `Libs.private`.
fn pkg_config(prefix: &Path) -> String {
    format!(
        "prefix={prefix}\nexec_prefix=${{prefix}}\nlibdir=${{prefix}}/lib\n\
         includedir=${{prefix}}/include\n\n\
         Name: libzmq\n\
         Description: libzmq {VERSION} built by the zmq4 crate (draft={DRAFT}, curve={CURVE})\n\
         Version: {VERSION}\n\
         Libs: -L${{libdir}} -lzmq\n\
         Libs.private: {LIBS_PRIVATE}\n\
         Cflags: -I${{includedir}}{draft}\n\
         Cflags.private: -DZMQ_STATIC\n",
        prefix = prefix.display(),
        draft = draft_define(),
    )
}

fn cmake_config() -> String {
    "# ZeroMQ CMake package, written by zmq4-install.\n\
     #\n\
     # Imported targets: libzmq (shared) and libzmq-static.\n\
     # Variables: ZeroMQ_INCLUDE_DIR, ZeroMQ_LIBRARY, ZeroMQ_STATIC_LIBRARY.\n\n\
     if(NOT TARGET libzmq AND NOT TARGET libzmq-static)\n\
     \x20 include(\"${CMAKE_CURRENT_LIST_DIR}/ZeroMQTargets.cmake\")\n\
     endif()\n\
     get_target_property(ZeroMQ_INCLUDE_DIR libzmq INTERFACE_INCLUDE_DIRECTORIES)\n\
     get_target_property(ZeroMQ_LIBRARY libzmq IMPORTED_LOCATION)\n\
     get_target_property(ZeroMQ_STATIC_LIBRARY libzmq-static IMPORTED_LOCATION)\n"
        .to_owned()
}

/// Any request up to this version is satisfied (libzmq's own file says AnyNewerVersion).
fn cmake_version() -> String {
    format!(
        "set(PACKAGE_VERSION \"{VERSION}\")\n\
         if(PACKAGE_FIND_VERSION VERSION_GREATER PACKAGE_VERSION)\n\
         \x20 set(PACKAGE_VERSION_COMPATIBLE FALSE)\n\
         else()\n\
         \x20 set(PACKAGE_VERSION_COMPATIBLE TRUE)\n\
         \x20 if(PACKAGE_FIND_VERSION STREQUAL PACKAGE_VERSION)\n\
         \x20   set(PACKAGE_VERSION_EXACT TRUE)\n\
         \x20 endif()\n\
         endif()\n\
         # Built for {POINTER_BITS}-bit pointers: unsuitable for a project of another width.\n\
         if(NOT \"${{CMAKE_SIZEOF_VOID_P}}\" STREQUAL \"\" AND \
         NOT \"${{CMAKE_SIZEOF_VOID_P}}\" STREQUAL \"{bytes}\")\n\
         \x20 set(PACKAGE_VERSION \"${{PACKAGE_VERSION}} ({POINTER_BITS}bit)\")\n\
         \x20 set(PACKAGE_VERSION_UNSUITABLE TRUE)\n\
         endif()\n",
        bytes = POINTER_BITS.parse::<u32>().unwrap_or(64) / 8,
    )
}

/// The imported targets, with paths relative to this file so the prefix can move.
fn cmake_targets(real_so: &str) -> String {
    let defs = if DRAFT == "1" {
        "ZMQ_BUILD_DRAFT_API"
    } else {
        ""
    };
    let static_defs = if DRAFT == "1" {
        "ZMQ_STATIC;ZMQ_BUILD_DRAFT_API"
    } else {
        "ZMQ_STATIC"
    };
    let static_libs: Vec<&str> = LIBS_PRIVATE
        .split_whitespace()
        .filter_map(|f| f.strip_prefix("-l"))
        .collect();
    format!(
        "get_filename_component(_zmq4_prefix \"${{CMAKE_CURRENT_LIST_DIR}}/../../..\" ABSOLUTE)\n\n\
         add_library(libzmq SHARED IMPORTED)\n\
         set_target_properties(libzmq PROPERTIES\n\
         \x20 IMPORTED_LOCATION \"${{_zmq4_prefix}}/lib/{real_so}\"\n\
         \x20 IMPORTED_SONAME \"{SONAME}\"\n\
         \x20 INTERFACE_INCLUDE_DIRECTORIES \"${{_zmq4_prefix}}/include\"\n\
         \x20 INTERFACE_COMPILE_DEFINITIONS \"{defs}\")\n\n\
         add_library(libzmq-static STATIC IMPORTED)\n\
         set_target_properties(libzmq-static PROPERTIES\n\
         \x20 IMPORTED_LOCATION \"${{_zmq4_prefix}}/lib/libzmq.a\"\n\
         \x20 INTERFACE_INCLUDE_DIRECTORIES \"${{_zmq4_prefix}}/include\"\n\
         \x20 INTERFACE_COMPILE_DEFINITIONS \"{static_defs}\"\n\
         \x20 INTERFACE_LINK_LIBRARIES \"{libs}\")\n\n\
         unset(_zmq4_prefix)\n",
        libs = static_libs.join(";"),
    )
}
