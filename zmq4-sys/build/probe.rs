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

    /// Decides every probe (in parallel: each is a compiler run) and returns the names that passed.
    pub fn run_all(&mut self, probes: &[Probe]) -> Vec<&'static str> {
        let keys: Vec<u64> = probes.iter().map(|p| self.key(p)).collect();
        let results: Vec<bool> = std::thread::scope(|s| {
            let handles: Vec<_> = probes
                .iter()
                .zip(&keys)
                .map(|(p, k)| match self.cache.get(k) {
                    Some(&hit) => s.spawn(move || hit),
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

    fn decide(&self, p: &Probe) -> bool {
        let ext = if p.check == Check::CompilesCxx {
            "cpp"
        } else {
            "c"
        };
        let src = self.dir.join(format!("{}.{ext}", p.name));
        let exe = self.dir.join(p.name);
        fs::write(&src, &p.source).expect("write probe source");
        let mut cmd = self.tool(p.check).to_command();
        cmd.args(p.flags).arg(&src).arg("-o").arg(&exe);
        if !quietly(&mut cmd) {
            return false;
        }
        if p.check == Check::RunsC && self.can_run {
            return quietly(&mut Command::new(&exe));
        }
        true
    }
}

fn quietly(cmd: &mut Command) -> bool {
    cmd.stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}
