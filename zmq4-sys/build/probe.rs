//! Platform probes: the compile, link and run checks that libzmq's CMake performs
//! (CMakeLists.txt and builds/cmake/Modules/ZMQSourceRunChecks.cmake), done with the
//! compiler `cc` picked for the target. Results are cached in OUT_DIR, keyed by the probe's
//! source and the compiler command, so a rebuild does not re-run them.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// How a probe decides.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Check {
    /// The C source compiles and links.
    CompilesC,
    /// The C++ source compiles and links.
    CompilesCxx,
    /// The C source compiles, links and exits 0 (compile-only when cross-compiling,
    /// as CMake skips these checks then).
    RunsC,
}

/// One platform check: the macro it defines when it succeeds, and how it is decided.
pub struct Probe {
    pub name: &'static str,
    pub check: Check,
    pub source: String,
    /// Extra compiler flags (CMake's CMAKE_REQUIRED_FLAGS).
    pub flags: &'static [&'static str],
}

impl Probe {
    pub fn new(name: &'static str, check: Check, source: impl Into<String>) -> Self {
        Probe {
            name,
            check,
            source: source.into(),
            flags: &[],
        }
    }

    pub fn flags(mut self, flags: &'static [&'static str]) -> Self {
        self.flags = flags;
        self
    }

    /// CMake's check_cxx_symbol_exists: the symbol is a macro or can have its address taken.
    pub fn symbol(name: &'static str, symbol: &str, headers: &[&str]) -> Self {
        let mut src = includes(headers);
        src.push_str(&format!(
            "int main(int argc, char **argv) {{\n  (void)argv;\n#ifndef {symbol}\n  \
             return ((int *)(&{symbol}))[argc];\n#else\n  (void)argc;\n  return 0;\n#endif\n}}\n"
        ));
        Probe::new(name, Check::CompilesCxx, src)
    }

    /// CMake's check_include_files: the headers can be included (as C).
    pub fn include(name: &'static str, headers: &[&str]) -> Self {
        let mut src = includes(headers);
        src.push_str("int main(void) { return 0; }\n");
        Probe::new(name, Check::CompilesC, src)
    }
}

fn includes(headers: &[&str]) -> String {
    headers
        .iter()
        .map(|h| format!("#include <{h}>\n"))
        .collect()
}

/// Runs probes with the target's C and C++ compilers.
pub struct Prober {
    c: cc::Tool,
    cxx: cc::Tool,
    dir: PathBuf,
    can_run: bool,
    cache_file: PathBuf,
    cache: HashMap<u64, bool>,
}

impl Prober {
    pub fn new(out_dir: &Path, can_run: bool) -> Self {
        let quiet = |cpp: bool| {
            let mut b = cc::Build::new();
            b.cpp(cpp)
                .cargo_metadata(false)
                .warnings(false)
                .opt_level(0)
                .debug(false);
            b.get_compiler()
        };
        let dir = out_dir.join("probes");
        fs::create_dir_all(&dir).expect("create probe dir");
        let cache_file = dir.join("results.txt");
        let cache = fs::read_to_string(&cache_file)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| {
                let (k, v) = l.split_once(' ')?;
                Some((k.parse().ok()?, v == "1"))
            })
            .collect();
        Prober {
            c: quiet(false),
            cxx: quiet(true),
            dir,
            can_run,
            cache_file,
            cache,
        }
    }

    /// Compiles and links an empty C and an empty C++ program for the target. A probe can
    /// only say "absent" once this works: otherwise every probe would fail for the same reason
    /// (no compiler, no target libc or libstdc++) and the build would carry on with fallbacks.
    pub fn check_toolchain(&self) -> Result<(), String> {
        for (check, src) in [
            (Check::CompilesC, "int main(void) { return 0; }\n"),
            (
                Check::CompilesCxx,
                "#include <new>\nint main() { return 0; }\n",
            ),
        ] {
            let probe = Probe::new("toolchain", check, src);
            let mut cmd = self.command(&probe);
            let lang = if check == Check::CompilesCxx {
                "C++"
            } else {
                "C"
            };
            match cmd.output() {
                Err(e) => return Err(missing_tool(lang, &cmd, &e)),
                Ok(o) if !o.status.success() => {
                    return Err(format!(
                        "the {lang} compiler for target `{target}` cannot build an empty \
                         program, so no platform probe can be trusted.\ncommand: {cmd:?}\n{err}\n{hint}",
                        target = target(),
                        err = String::from_utf8_lossy(&o.stderr).trim_end(),
                        hint = install_hint(),
                    ))
                }
                Ok(_) => {}
            }
        }
        Ok(())
    }

    /// Decides every probe (in parallel: each is a compiler run) and returns the names that
    /// passed. A probe that compiles and fails is a "no"; a compiler or probe binary that
    /// cannot be started at all is a build error (panic) naming what is missing.
    pub fn run_all(&mut self, probes: &[Probe]) -> Vec<&'static str> {
        let keys: Vec<u64> = probes.iter().map(|p| self.key(p)).collect();
        let results: Vec<Result<bool, String>> = std::thread::scope(|s| {
            let handles: Vec<_> = probes
                .iter()
                .zip(&keys)
                .map(|(p, k)| match self.cache.get(k) {
                    Some(&hit) => s.spawn(move || Ok(hit)),
                    None => {
                        let this = &*self;
                        s.spawn(move || this.decide(p))
                    }
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("probe thread"))
                .collect()
        });
        let results: Vec<bool> = results
            .into_iter()
            .map(|r| r.unwrap_or_else(|e| panic!("{e}")))
            .collect();
        for (k, r) in keys.iter().zip(&results) {
            self.cache.insert(*k, *r);
        }
        let text: String = self
            .cache
            .iter()
            .map(|(k, v)| format!("{k} {}\n", *v as u8))
            .collect();
        fs::write(&self.cache_file, text).expect("write probe cache");
        probes
            .iter()
            .zip(results)
            .filter(|(_, ok)| *ok)
            .map(|(p, _)| p.name)
            .collect()
    }

    fn tool(&self, check: Check) -> &cc::Tool {
        match check {
            Check::CompilesCxx => &self.cxx,
            Check::CompilesC | Check::RunsC => &self.c,
        }
    }

    fn key(&self, p: &Probe) -> u64 {
        let mut h = DefaultHasher::new();
        (p.name, p.check as u8, &p.source, p.flags, self.can_run).hash(&mut h);
        format!("{:?}", self.tool(p.check).to_command()).hash(&mut h);
        h.finish()
    }

    fn command(&self, p: &Probe) -> Command {
        let ext = if p.check == Check::CompilesCxx {
            "cpp"
        } else {
            "c"
        };
        let src = self.dir.join(format!("{}.{ext}", p.name));
        fs::write(&src, &p.source).expect("write probe source");
        let mut cmd = self.tool(p.check).to_command();
        cmd.args(p.flags)
            .arg(&src)
            .arg("-o")
            .arg(self.dir.join(p.name));
        cmd
    }

    fn decide(&self, p: &Probe) -> Result<bool, String> {
        let mut cmd = self.command(p);
        let lang = if p.check == Check::CompilesCxx {
            "C++"
        } else {
            "C"
        };
        match quietly(&mut cmd) {
            Err(e) => return Err(missing_tool(lang, &cmd, &e)),
            Ok(false) => return Ok(false),
            Ok(true) => {}
        }
        if p.check == Check::RunsC && self.can_run {
            // Only for native builds (TARGET == HOST); a cross build never runs target code.
            let exe = self.dir.join(p.name);
            // ran.txt lists what was executed: ci/cross-*.sh check it is absent after a cross
            // build.
            use std::io::Write;
            fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(self.dir.join("ran.txt"))
                .and_then(|mut f| writeln!(f, "{}", p.name))
                .expect("record probe run");
            return quietly(&mut Command::new(&exe))
                .map_err(|e| format!("probe {} built but cannot be run ({e})", exe.display()));
        }
        Ok(true)
    }
}

/// Runs `cmd` with its output discarded: Ok(exit status is success), Err when it cannot start.
fn quietly(cmd: &mut Command) -> std::io::Result<bool> {
    cmd.stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
}

fn target() -> String {
    std::env::var("TARGET").unwrap_or_default()
}

fn missing_tool(lang: &str, cmd: &Command, e: &std::io::Error) -> String {
    format!(
        "the {lang} compiler for target `{target}` could not be started ({e}): `{prog}`.\n{hint}",
        target = target(),
        prog = cmd.get_program().to_string_lossy(),
        hint = install_hint(),
    )
}

/// What to install (or set) for the target's C and C++ compilers.
pub fn install_hint() -> String {
    let t = target();
    let debian = [
        ("x86_64-pc-windows-gnu", "g++-mingw-w64-x86-64-posix"),
        ("i686-pc-windows-gnu", "g++-mingw-w64-i686-posix"),
        ("aarch64-unknown-linux-gnu", "crossbuild-essential-arm64"),
        (
            "armv7-unknown-linux-gnueabihf",
            "crossbuild-essential-armhf",
        ),
        ("arm-unknown-linux-gnueabihf", "crossbuild-essential-armhf"),
        ("i686-unknown-linux-gnu", "crossbuild-essential-i386"),
        ("x86_64-unknown-linux-gnu", "g++"),
    ];
    let pkg = debian
        .iter()
        .find(|(triple, _)| *triple == t)
        .map(|(_, pkg)| format!(" (Debian/Ubuntu: apt-get install {pkg})"))
        .unwrap_or_default();
    let var = t.replace('-', "_");
    format!(
        "Install a C and C++ compiler for `{t}`{pkg}, or name them with CC_{var} and \
         CXX_{var} (the `cc` crate's variables). libzmq is C++: both are needed. \
         To use a libzmq built elsewhere instead, enable the `system` feature."
    )
}
