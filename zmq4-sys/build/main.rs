//! Build script: compiles the vendored, unmodified libzmq 4.3.5 (vendor/libzmq) into a static
//! library with `cc`, from a platform.hpp decided by real probes (see platform.rs), or links a
//! system libzmq (feature `system` or LIBZMQ_NO_VENDOR=1), or builds the vendored tree with its
//! own CMakeLists (feature `cmake-build`).
//!
//! Other native code can link this exact libzmq: the crate declares `links = "zmq"` and exports
//! DEP_ZMQ_ROOT (with include/, lib/ and lib/pkgconfig/libzmq.pc under it), DEP_ZMQ_INCLUDE,
//! DEP_ZMQ_LIB, DEP_ZMQ_PKGCONFIG, DEP_ZMQ_VERSION, DEP_ZMQ_VERSION_NUMBER, DEP_ZMQ_DRAFT,
//! DEP_ZMQ_CURVE, DEP_ZMQ_VENDORED and DEP_ZMQ_STATIC; for the bundled build also
//! DEP_ZMQ_SODIUM_LIB, DEP_ZMQ_CXXSTDLIB and DEP_ZMQ_STATIC_LIBS (tools/zmq4-install uses them).
//!
//! The C/C++ code is compiled position-independent and optimised whatever the Rust profile:
//! Cargo's opt-level, raised to 2 when it is 0; ZMQ4_C_OPT_LEVEL=0|1|2|3|s|z overrides it.

mod platform;
mod probe;

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

const VERSION: &str = "4.3.5";
const VERSION_NUMBER: u32 = 40305;

/// The Cargo features (and environment) the build depends on.
pub struct Features {
    pub draft: bool,
    pub curve: bool,
    pub wss: bool,
}

fn feature(name: &str) -> bool {
    env::var_os(format!("CARGO_FEATURE_{name}")).is_some()
}

fn env_flag(name: &str) -> bool {
    println!("cargo:rerun-if-env-changed={name}");
    matches!(env::var(name).as_deref(), Ok(v) if !v.is_empty() && v != "0")
}

fn main() {
    println!("cargo:rerun-if-changed=build");
    // `zmq4_sys::BUNDLED`: whether the library is the vendored 4.3.5 or a system one.
    println!("cargo:rustc-check-cfg=cfg(zmq4_bundled)");
    let features = Features {
        draft: feature("DRAFT"),
        curve: feature("CURVE"),
        wss: feature("WSS"),
    };
    // docs.rs documents the committed bindings: no C is compiled or linked there (its
    // builders have no network, and no C toolchain for most targets it documents).
    println!("cargo:rerun-if-env-changed=DOCS_RS");
    if env::var_os("DOCS_RS").is_some() {
        println!("cargo:rustc-cfg=zmq4_bundled");
        return;
    }
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("OUT_DIR"));
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let vendor = manifest.join("vendor").join("libzmq");

    // Under Miri (ci/miri.sh) only Rust code is interpreted and no C function is ever
    // called or linked: skip the libzmq build, which would take most of the run.
    if env::var_os("CARGO_CFG_MIRI").is_some() {
        println!("cargo:rustc-cfg=zmq4_bundled");
        return;
    }

    // Cargo features are additive, so an environment variable can force the system library
    // even when some dependency left the default (vendored) build on.
    if feature("SYSTEM") || env_flag("LIBZMQ_NO_VENDOR") {
        link_system(&features, &out);
        return;
    }
    println!("cargo:rustc-cfg=zmq4_bundled");
    for dir in ["include", "src", "external/sha1", "external/wepoll"] {
        println!("cargo:rerun-if-changed={}", vendor.join(dir).display());
    }
    // A target libzmq has no port for stops here, with what to do, instead of failing later.
    let os = platform::target_os().unwrap_or_else(|e| panic!("{e}"));
    let sodium = features.curve.then(Sodium::from_env);
    let lib_dir = if feature("CMAKE_BUILD") {
        build_with_cmake(&vendor, &out, &features, sodium.as_ref())
    } else {
        build_with_cc(&vendor, &out, &features, sodium.as_ref(), os)
    };
    let include = out.join("include");
    fs::create_dir_all(&include).expect("create include dir");
    for h in ["zmq.h", "zmq_utils.h"] {
        fs::copy(vendor.join("include").join(h), include.join(h)).expect("copy header");
    }
    write_pkg_config(&out, &lib_dir, &include, &features, sodium.as_ref());
    println!("cargo:rustc-link-search=native={}", lib_dir.display());
    println!("cargo:rustc-link-lib=static=zmq");
    link_runtime(os, &features);
    emit_metadata(&out, &include, &lib_dir, &features, true);
    emit_link_metadata(sodium.as_ref());
}

/// libsodium as built by the `libsodium-sys-stable` crate (`links = "sodium"`).
struct Sodium {
    include: PathBuf,
    lib: Option<PathBuf>,
}

impl Sodium {
    fn from_env() -> Sodium {
        println!("cargo:rerun-if-env-changed=SODIUM_LIB_DIR");
        println!("cargo:rerun-if-env-changed=SODIUM_INCLUDE_DIR");
        let lib = env::var_os("DEP_SODIUM_LIB").map(PathBuf::from);
        if let Some(include) = env::var_os("DEP_SODIUM_INCLUDE") {
            return Sodium {
                include: include.into(),
                lib,
            };
        }
        // libsodium-sys-stable exports no include dir when it links a prebuilt library from
        // SODIUM_LIB_DIR (the offline route on Windows, see ci/sodium-mingw.sh): take
        // SODIUM_INCLUDE_DIR, or the include/ beside that lib/ (a `make install` prefix).
        let lib_dir = env::var_os("SODIUM_LIB_DIR").map(PathBuf::from);
        let include = env::var_os("SODIUM_INCLUDE_DIR")
            .map(PathBuf::from)
            .or_else(|| {
                lib_dir
                    .as_ref()
                    .and_then(|l| l.parent())
                    .map(|p| p.join("include"))
            })
            .filter(|i| i.join("sodium.h").is_file())
            .unwrap_or_else(|| {
                panic!(
                    "feature `curve` needs libsodium's headers, but libsodium-sys-stable exported \
                     no DEP_SODIUM_INCLUDE (it does not when SODIUM_LIB_DIR is set). Set \
                     SODIUM_INCLUDE_DIR to the directory holding sodium.h (or use a \
                     SODIUM_LIB_DIR whose ../include has it, as `make install` lays out), use \
                     SODIUM_USE_PKG_CONFIG=1, or build without the `curve` feature"
                )
            });
        Sodium {
            include,
            lib: lib.or(lib_dir),
        }
    }
}

/// The libraries libzmq.a needs beyond itself, for the final link.
fn link_runtime(os: platform::Os, features: &Features) {
    if os.is_windows() {
        // What CMake links libzmq against on Windows (Winsock, GetAdaptersAddresses and
        // if_nametoindex, UuidCreate), plus advapi32 for libsodium's RtlGenRandom
        // (SystemFunction036), which libsodium-sys-stable does not name.
        let mut libs = vec!["ws2_32", "iphlpapi", "rpcrt4"];
        if features.curve {
            libs.push("advapi32");
        }
        for lib in libs {
            println!("cargo:rustc-link-lib={lib}");
        }
    }
    if os == platform::Os::WindowsGnu && env::var_os("CXXSTDLIB").is_none() {
        // MinGW: libstdc++ (and the winpthreads it is built on, in the posix thread model)
        // linked statically, so the program does not need libstdc++-6.dll and
        // libwinpthread-1.dll beside it. `-bundle`: the linker finds the archives in the
        // compiler driver's own search path at the final link. CXXSTDLIB overrides this.
        println!("cargo:rerun-if-env-changed=CXXSTDLIB");
        println!("cargo:rustc-link-lib=static:-bundle=stdc++");
        return;
    }
    if let Some(stdlib) = cxx_stdlib() {
        println!("cargo:rustc-link-lib={stdlib}");
    }
}

/// The C++ runtime the static library needs, as the cc crate would pick it.
fn cxx_stdlib() -> Option<String> {
    if let Ok(lib) = env::var("CXXSTDLIB") {
        return (!lib.is_empty()).then_some(lib);
    }
    let target = env::var("TARGET").unwrap_or_default();
    Some(
        if target.contains("apple") || target.contains("freebsd") || target.contains("openbsd") {
            "c++".into()
        } else if target.contains("android") {
            "c++_shared".into()
        } else if target.contains("msvc") {
            return None;
        } else {
            "stdc++".into()
        },
    )
}

/// Compiles libzmq with `cc` and returns the directory holding libzmq.a.
fn build_with_cc(
    vendor: &Path,
    out: &Path,
    features: &Features,
    sodium: Option<&Sodium>,
    os: platform::Os,
) -> PathBuf {
    use platform::Os;
    let target = env::var("TARGET").expect("TARGET");
    let host = env::var("HOST").expect("HOST");
    // Target binaries are run (CMake's run-checks) only in a native build; ci/cross-*.sh check
    // that a cross build left no probes/ran.txt.
    let can_run = target == host;
    let msvc = os == Os::WindowsMsvc;
    let platform = if msvc {
        // No probes with cl.exe: see detect_windows.
        platform::detect_windows(None, features, os)
    } else {
        let mut prober = probe::Prober::new(out, can_run);
        prober.check_toolchain().unwrap_or_else(|e| panic!("{e}"));
        if os == Os::WindowsGnu {
            platform::detect_windows(Some(&mut prober), features, os)
        } else {
            platform::detect(&mut prober, features, can_run)
        }
    };
    let platform_dir = out.join("platform");
    fs::create_dir_all(&platform_dir).expect("create platform dir");
    let header = platform.header();
    let header_path = platform_dir.join("platform.hpp");
    // Rewriting an unchanged header would only bump its mtime; keep it stable.
    if fs::read_to_string(&header_path).ok().as_deref() != Some(header.as_str()) {
        fs::write(&header_path, header).expect("write platform.hpp");
    }

    let mut build = cc::Build::new();
    build
        .cpp(true)
        .cargo_metadata(false)
        .warnings(false)
        // libzmq is vendored and unmodified: its warnings are not the user's to act on.
        .flag_if_supported("-w")
        .include(&platform_dir)
        .include(vendor.join("include"))
        .include(vendor.join("src"))
        .out_dir(out.join("obj"));
    if msvc {
        // Visual C++ (not testable here; reasoned from CMakeLists.txt): CMake's default C++
        // flags for MSVC are `/DWIN32 /D_WINDOWS /GR /EHsc` and cc passes none of them;
        // libzmq throws and catches (std::bad_alloc from its containers), so /EHsc is
        // required for correct unwinding. cl has no C++11 mode (C++14 is its default and
        // oldest), so no /std flag. /MP and /W3 are CMake's build-speed and warning choices,
        // /Z7 its debug-info format: cc picks its own. The C runtime (/MD or /MT) follows
        // Rust's crt-static through cc. The C++ runtime needs no library: cl names it in the
        // objects (/DEFAULTLIB).
        build.flag("/EHsc").flag("/GR");
    } else {
        build.std("c++11");
    }
    // The command-line defines libzmq's CMake passes too (ci/cmake-crosscheck.sh compares
    // them against CMake's through platform/defines.txt).
    let winnt = platform::win32_winnt();
    let mut defines: Vec<(&str, Option<&str>)> = vec![
        ("ZMQ_CUSTOM_PLATFORM_HPP", None),
        ("ZMQ_STATIC", None),
        ("_REENTRANT", None),
        ("_THREAD_SAFE", None),
    ];
    if target.contains("linux") {
        defines.push(("_GNU_SOURCE", None));
    }
    if os.is_windows() {
        // CMake's `if(WIN32)` block: room for 16K sockets in select()'s fd_sets (zmq_poll
        // falls back to them; the 64 of winsock2.h's default is far too few), quiet CRT and
        // Winsock deprecation warnings, and the Windows API level.
        defines.extend([
            ("FD_SETSIZE", Some("16384")),
            ("_CRT_SECURE_NO_WARNINGS", None),
            ("_WINSOCK_DEPRECATED_NO_WARNINGS", None),
            ("_WIN32_WINNT", Some(winnt.as_str())),
        ]);
        if msvc {
            defines.extend([("WIN32", None), ("_WINDOWS", None)]);
        }
    }
    if features.draft {
        defines.push(("ZMQ_BUILD_DRAFT_API", None));
    }
    for (d, v) in &defines {
        build.define(d, *v);
    }
    let listed: String = defines
        .iter()
        .map(|(d, v)| match v {
            Some(v) => format!("-D{d}={v}\n"),
            None => format!("-D{d}\n"),
        })
        .collect();
    fs::write(platform_dir.join("defines.txt"), listed).expect("write defines.txt");
    if let Some(s) = sodium {
        build.include(&s.include);
    }
    if features.wss {
        let tls = pkg_config::Config::new()
            .cargo_metadata(true)
            .atleast_version("3.6.7")
            .probe("gnutls")
            .unwrap_or_else(|e| {
                panic!("feature `wss` needs GnuTLS >= 3.6.7 (pkg-config gnutls): {e}")
            });
        for p in tls.include_paths {
            build.include(p);
        }
    }
    sanitizer_flags(&mut build);
    native_code_flags(&mut build, true);
    for file in sources(vendor, &platform, features) {
        build.file(file);
    }
    // The C sources: the bundled SHA-1 (ws://) and, on Windows, wepoll (the I/O poller).
    let mut c_files = Vec::new();
    if platform.has("ZMQ_USE_BUILTIN_SHA1") {
        c_files.push(vendor.join("external/sha1/sha1.c"));
    }
    if platform.windows && platform.poller == "epoll" {
        c_files.push(vendor.join("external/wepoll/wepoll.c"));
    }
    if !c_files.is_empty() {
        // zeromq-src compiles the C files as C++; their own flags want C. A second set of
        // objects keeps each language with its own compiler.
        let mut c = cc::Build::new();
        c.cargo_metadata(false)
            .warnings(false)
            .flag_if_supported("-w")
            .out_dir(out.join("obj-c"))
            .files(&c_files);
        for (d, v) in &defines {
            c.define(d, *v);
        }
        sanitizer_flags(&mut c);
        native_code_flags(&mut c, false);
        for obj in c.compile_intermediates() {
            build.object(obj);
        }
    }
    build.compile("zmq");
    let lib_dir = out.join("lib");
    fs::create_dir_all(&lib_dir).expect("create lib dir");
    // cc names the archive as the target's linker expects: zmq.lib for MSVC.
    let archive = if msvc { "zmq.lib" } else { "libzmq.a" };
    fs::rename(out.join("obj").join(archive), lib_dir.join(archive)).expect("move the archive");
    lib_dir
}

/// ZMQ4_SANITIZE=address|thread|...: instrument libzmq to match a sanitized Rust build.
fn sanitizer_flags(build: &mut cc::Build) {
    println!("cargo:rerun-if-env-changed=ZMQ4_SANITIZE");
    if let Ok(s) = env::var("ZMQ4_SANITIZE") {
        if !s.is_empty() {
            build
                .flag(format!("-fsanitize={s}"))
                .flag("-fno-omit-frame-pointer");
        }
    }
}

/// The libzmq sources this platform and feature set need: every src/*.cpp except the
/// transports, pollers and mechanisms that are compiled out here (their files are whole-file
/// `#if`-guarded and would be empty), and wss_*.cpp, which include GnuTLS unconditionally.
fn sources(vendor: &Path, platform: &platform::Platform, features: &Features) -> Vec<PathBuf> {
    let pollers = ["epoll", "kqueue", "devpoll", "pollset", "poll", "select"];
    let mut files: Vec<PathBuf> = fs::read_dir(vendor.join("src"))
        .expect("read vendor/libzmq/src")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "cpp"))
        .filter(|p| {
            let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            let prefixed = |prefix: &str| stem.starts_with(prefix);
            if pollers.contains(&stem) {
                return stem == platform.poller;
            }
            !(stem == "precompiled"
                || prefixed("norm_")
                || prefixed("pgm_")
                || prefixed("vmci")
                || prefixed("gssapi_")
                || (prefixed("tipc_") && !platform.has("ZMQ_HAVE_TIPC"))
                || (prefixed("wss_") && !features.wss)
                || (prefixed("ws_") && !platform.has("ZMQ_HAVE_WS"))
                || (prefixed("curve_") && !features.curve)
                || (prefixed("ipc_") && !platform.has("ZMQ_HAVE_IPC")))
        })
        .collect();
    files.sort();
    files
}

/// Builds the vendored tree with libzmq's CMakeLists (for platforms the probes do not cover).
#[cfg(feature = "cmake-build")]
fn build_with_cmake(
    vendor: &Path,
    _out: &Path,
    features: &Features,
    sodium: Option<&Sodium>,
) -> PathBuf {
    let on = |b: bool| if b { "ON" } else { "OFF" };
    let mut cfg = cmake::Config::new(vendor);
    cfg.define("CMAKE_POLICY_VERSION_MINIMUM", "3.5")
        .define("BUILD_SHARED", "OFF")
        .define("BUILD_STATIC", "ON")
        .define("BUILD_TESTS", "OFF")
        .define("WITH_PERF_TOOL", "OFF")
        .define("WITH_DOCS", "OFF")
        .define("ENABLE_CPACK", "OFF")
        .define("ENABLE_DRAFTS", on(features.draft))
        .define("ENABLE_WS", on(features.draft))
        .define("WITH_TLS", on(features.wss))
        .define("ENABLE_CURVE", on(features.curve))
        .define("WITH_LIBSODIUM", on(features.curve))
        .define("CMAKE_INSTALL_LIBDIR", "lib")
        // Every option libzmq's CMake would otherwise decide from what the machine has
        // installed is pinned, so the result matches the cc build's everywhere (with
        // libbsd-dev present, WITH_LIBBSD=ON made strlcpy an undefined symbol at link time).
        .define("WITH_LIBBSD", "OFF")
        .define("WITH_NSS", "OFF")
        .define("WITH_OPENPGM", "OFF")
        .define("WITH_NORM", "OFF")
        .define("WITH_VMCI", "OFF")
        .define("WITH_MILITANT", "OFF")
        .define("ENABLE_INTRINSICS", "OFF")
        .define("ENABLE_RADIX_TREE", on(features.draft))
        .define("ENABLE_LIBSODIUM_RANDOMBYTES_CLOSE", "OFF")
        .define("CMAKE_DISABLE_FIND_PACKAGE_AsciiDoc", "ON")
        .define("CMAKE_POSITION_INDEPENDENT_CODE", "ON")
        .define("CMAKE_CXX_VISIBILITY_PRESET", "hidden")
        .define("CMAKE_VISIBILITY_INLINES_HIDDEN", "ON")
        .profile(cmake_profile());
    if let Some(s) = sodium {
        cfg.define("SODIUM_INCLUDE_DIRS", &s.include);
        if let Some(lib) = &s.lib {
            cfg.define("SODIUM_LIBRARIES", lib.join("libsodium.a"))
                .define("WITH_LIBSODIUM_STATIC", "ON");
        }
    }
    let dst = cfg.build();
    dst.join("lib")
}

#[cfg(not(feature = "cmake-build"))]
fn build_with_cmake(_: &Path, _: &Path, _: &Features, _: Option<&Sodium>) -> PathBuf {
    unreachable!("feature `cmake-build` is off")
}

/// The libraries a program linking the static libzmq.a needs after it, as linker flags.
fn static_link_flags(sodium: Option<&Sodium>) -> Vec<String> {
    let mut libs = Vec::new();
    if let Some(Sodium { lib: Some(l), .. }) = sodium {
        libs.push(format!("-L{}", l.display()));
        libs.push("-lsodium".into());
    }
    if let Some(stdlib) = cxx_stdlib() {
        libs.push(format!("-l{stdlib}"));
    }
    let target = env::var("TARGET").unwrap_or_default();
    if !target.contains("windows") {
        libs.push("-lpthread".into());
    }
    libs
}

/// Writes lib/pkgconfig/libzmq.pc so C code and other bindings can link this libzmq.
///
/// Only the static library exists here, so `Libs` carries what it needs (libsodium, the C++
/// runtime, pthread): consumers that run plain `pkg-config --libs libzmq` (pyzmq, CMake's
/// pkg_check_modules) link too. `zmq4-install` writes the prefix's own .pc, next to a shared
/// libzmq.so, where `Libs` is `-lzmq` alone.
fn write_pkg_config(out: &Path, lib: &Path, include: &Path, f: &Features, sodium: Option<&Sodium>) {
    let dir = out.join("lib").join("pkgconfig");
    fs::create_dir_all(&dir).expect("create pkgconfig dir");
    let cflags = if f.draft {
        " -DZMQ_BUILD_DRAFT_API"
    } else {
        ""
    };
    let pc = format!(
        "prefix={root}\nlibdir={lib}\nincludedir={include}\n\n\
         Name: libzmq\nDescription: libzmq {VERSION} built by the zmq4 crate (static)\n\
         Version: {VERSION}\nLibs: -L${{libdir}} -lzmq {libs}\n\
         Cflags: -I${{includedir}} -DZMQ_STATIC{cflags}\n",
        root = out.display(),
        lib = lib.display(),
        include = include.display(),
        libs = static_link_flags(sodium).join(" "),
    );
    fs::write(dir.join("libzmq.pc"), pc).expect("write libzmq.pc");
}

/// DEP_ZMQ_SODIUM_LIB (libsodium.a's directory, with `curve`), DEP_ZMQ_CXXSTDLIB and
/// DEP_ZMQ_STATIC_LIBS (the linker flags libzmq.a needs after it), for dependents that link
/// or repackage the static library (zmq4-install builds libzmq.so from them).
fn emit_link_metadata(sodium: Option<&Sodium>) {
    if let Some(Sodium { lib: Some(l), .. }) = sodium {
        println!("cargo:sodium_lib={}", l.display());
    }
    if let Some(stdlib) = cxx_stdlib() {
        println!("cargo:cxxstdlib={stdlib}");
    }
    println!("cargo:static_libs={}", static_link_flags(sodium).join(" "));
}

/// ZMQ4_C_OPT_LEVEL, if set, else Cargo's opt-level, raised to 2 when it is 0: a debug build
/// of a dependent links an optimised libzmq unless the user asks for `ZMQ4_C_OPT_LEVEL=0`.
fn c_opt_level() -> String {
    println!("cargo:rerun-if-env-changed=ZMQ4_C_OPT_LEVEL");
    match env::var("ZMQ4_C_OPT_LEVEL") {
        Ok(level) if !level.is_empty() => level,
        _ => match env::var("OPT_LEVEL").as_deref() {
            Ok("0") | Err(_) => "2".into(),
            Ok(level) => level.into(),
        },
    }
}

/// Optimised, position-independent objects (the archive can go into a shared object) whose
/// internal symbols stay hidden: an embedding .so exports the `zmq_*` API (ZMQ_EXPORT is
/// `visibility("default")`), not libzmq's C++ internals.
fn native_code_flags(build: &mut cc::Build, cpp: bool) {
    build.opt_level_str(&c_opt_level()).pic(true);
    let target = env::var("TARGET").unwrap_or_default();
    if !target.contains("msvc") && !target.contains("windows") {
        build.flag_if_supported("-fvisibility=hidden");
        if cpp {
            build.flag_if_supported("-fvisibility-inlines-hidden");
        }
    }
}

/// The CMake build type matching [`c_opt_level`].
#[cfg(feature = "cmake-build")]
fn cmake_profile() -> &'static str {
    match c_opt_level().as_str() {
        "0" => "Debug",
        "s" | "z" => "MinSizeRel",
        _ if env::var("DEBUG").is_ok_and(|d| d == "true") => "RelWithDebInfo",
        _ => "Release",
    }
}

/// DEP_ZMQ_* for dependents' build scripts (`links = "zmq"`).
fn emit_metadata(root: &Path, include: &Path, lib: &Path, f: &Features, vendored: bool) {
    let b = |v: bool| if v { "1" } else { "0" };
    println!("cargo:root={}", root.display());
    println!("cargo:include={}", include.display());
    println!("cargo:lib={}", lib.display());
    println!(
        "cargo:pkgconfig={}",
        root.join("lib").join("pkgconfig").display()
    );
    println!("cargo:version={VERSION}");
    println!("cargo:version_number={VERSION_NUMBER}");
    println!("cargo:draft={}", b(f.draft));
    println!("cargo:curve={}", b(f.curve));
    println!("cargo:vendored={}", b(vendored));
    println!("cargo:static={}", b(vendored));
}

/// The oldest system libzmq accepted without `draft`: 4.3.4's and 4.3.5's zmq.h differ only
/// inside `ZMQ_BUILD_DRAFT_API`, so the stable API the bindings declare is the same.
const SYSTEM_MIN_STABLE: &str = "4.3.4";
/// With `draft`, the draft declarations are 4.3.5's: an older library may lack or differ in them.
const SYSTEM_MIN_DRAFT: &str = "4.3.5";

/// Links a libzmq found by pkg-config: 4.3.4 (4.3.5 with `draft`) up to, not including, 4.4.
fn link_system(features: &Features, out: &Path) {
    let min = if features.draft {
        SYSTEM_MIN_DRAFT
    } else {
        SYSTEM_MIN_STABLE
    };
    let lib = pkg_config::Config::new()
        .range_version(min.."4.4")
        .probe("libzmq")
        .unwrap_or_else(|e| {
            let hint = if features.draft {
                format!(
                    " Without the DRAFT API a libzmq from {SYSTEM_MIN_STABLE} on is accepted: \
                     `default-features = false, features = [\"system\", \"curve\"]`."
                )
            } else {
                String::new()
            };
            panic!(
                "the system libzmq was requested (feature `system` or LIBZMQ_NO_VENDOR), but \
                 pkg-config found no libzmq >= {min}, < 4.4: {e}\nInstall libzmq's development \
                 files (Debian: libzmq3-dev), set PKG_CONFIG_PATH, or build the bundled copy \
                 (the default).{hint}"
            )
        });
    let include = lib
        .include_paths
        .first()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("/usr/include"));
    let lib_dir = lib
        .link_paths
        .first()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("/usr/lib"));
    // The Rust API exposes the DRAFT API with the `draft` feature: the library must have it.
    if features.draft && !system_has_draft(&lib, out) {
        panic!(
            "feature `draft` is on, but the system libzmq {} was built without the DRAFT API \
             (a program calling zmq_poller_new does not link). Use `default-features = false, \
             features = [\"system\", \"curve\"]`, or a libzmq configured with \
             --enable-drafts (CMake: -DENABLE_DRAFTS=ON).",
            lib.version
        );
    }
    emit_metadata(out, &include, &lib_dir, features, false);
}

/// Whether a program calling a DRAFT function links against the system library.
fn system_has_draft(lib: &pkg_config::Library, out: &Path) -> bool {
    let dir = out.join("probes");
    fs::create_dir_all(&dir).expect("create probe dir");
    let src = dir.join("draft.c");
    fs::write(
        &src,
        "void *zmq_poller_new(void);\nint main(void) { return zmq_poller_new() == 0; }\n",
    )
    .expect("write draft probe");
    let mut cmd = cc::Build::new()
        .cargo_metadata(false)
        .get_compiler()
        .to_command();
    cmd.arg(&src).arg("-o").arg(dir.join("draft"));
    for p in &lib.link_paths {
        // -rpath-link: a shared libzmq's own dependencies may live beside it, off the default
        // search path (a sysroot, a prefix).
        cmd.arg(format!("-L{}", p.display()))
            .arg(format!("-Wl,-rpath-link,{}", p.display()));
    }
    for l in &lib.libs {
        cmd.arg(format!("-l{l}"));
    }
    // A compiler that cannot start is a broken toolchain, not a library without drafts.
    cmd.status()
        .unwrap_or_else(|e| panic!("cannot run the C compiler for the draft probe ({cmd:?}): {e}"))
        .success()
}
