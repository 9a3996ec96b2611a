//! pyzmq for the interop tests (tests/cert_interop.rs, tests/interop_pyzmq.rs): finds the
//! python, creating the venv on first use, and runs python scripts and long-lived python peers
//! with every wait bounded.
//!
//! pyzmq comes from `$ZMQ4_PYZMQ_PYTHON`, else from the venv `ci/pyzmq-venv.sh` prepares in
//! `<target dir>/pyzmq-venv`; a missing venv is created on first use (python3 and pip access
//! to PyPI, a few seconds), so plain `cargo test` works on a fresh machine. If that fails the
//! tests fail and say why, unless `ZMQ4_SKIP_PYZMQ=1` is set, in which case they print that
//! they are skipped.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Upper bound of a python script's run ([`run_python`]).
pub const PY_TIMEOUT: Duration = Duration::from_secs(20);

/// Cargo's target directory, as this test binary was built with it.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => Path::new(env!("CARGO_MANIFEST_DIR")).join(dir),
        // CARGO_TARGET_TMPDIR is <target dir>/tmp.
        None => Path::new(env!("CARGO_TARGET_TMPDIR"))
            .parent()
            .expect("target dir")
            .to_path_buf(),
    }
}

/// The venv's python, `None` (after saying so) if it is missing and skipping is allowed.
pub fn python() -> Option<&'static Path> {
    static PYTHON: OnceLock<Option<PathBuf>> = OnceLock::new();
    PYTHON.get_or_init(find_python).as_deref()
}

fn find_python() -> Option<PathBuf> {
    let explicit = std::env::var_os("ZMQ4_PYZMQ_PYTHON").map(PathBuf::from);
    let python = explicit
        .clone()
        .unwrap_or_else(|| target_dir().join("pyzmq-venv/bin/python"));
    let works = |python: &Path| {
        python.is_file()
            && Command::new(python)
                .args(["-c", "import zmq.auth.thread"])
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
    };
    if !works(&python) && explicit.is_none() {
        eprintln!("pyzmq: creating the pyzmq venv with ci/pyzmq-venv.sh");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("ci/pyzmq-venv.sh");
        let made = Command::new("bash")
            .arg(script)
            .env("CARGO_TARGET_DIR", target_dir())
            .stdout(Stdio::null())
            .status();
        eprintln!("pyzmq: ci/pyzmq-venv.sh: {made:?}");
    }
    if works(&python) {
        let version = run_python(
            &python,
            "import zmq; print(zmq.pyzmq_version(), zmq.zmq_version())",
            &[],
        );
        let mut v = version.split_whitespace();
        eprintln!(
            "pyzmq: pyzmq {} (bundling libzmq {}) at {}",
            v.next().unwrap_or("?"),
            v.next().unwrap_or("?"),
            python.display()
        );
        Some(python)
    } else if std::env::var("ZMQ4_SKIP_PYZMQ").as_deref() == Ok("1") {
        eprintln!(
            "pyzmq: SKIPPED (ZMQ4_SKIP_PYZMQ=1): no pyzmq at {}",
            python.display()
        );
        None
    } else {
        panic!(
            "no working pyzmq at {} and ci/pyzmq-venv.sh could not make one (set \
             ZMQ4_PYZMQ_PYTHON to a python with pyzmq, or ZMQ4_SKIP_PYZMQ=1 to skip these tests)",
            python.display()
        );
    }
}

/// Waits for a child to exit, killing it after `timeout`; returns its output.
fn wait_bounded(mut child: Child, timeout: Duration, what: &str) -> Output {
    let deadline = Instant::now() + timeout;
    // The loop only paces the check; the deadline decides.
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not finish within {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.wait_with_output().unwrap()
}

/// Runs a python script with arguments and returns its stdout; fails the test on error or
/// after [`PY_TIMEOUT`].
pub fn run_python(python: &Path, script: &str, args: &[&str]) -> String {
    let child = Command::new(python)
        .arg("-c")
        .arg(script)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("spawning {}: {e}", python.display()));
    let Output {
        status,
        stdout,
        stderr,
    } = wait_bounded(child, PY_TIMEOUT, "python");
    let stdout = String::from_utf8_lossy(&stdout).into_owned();
    assert!(
        status.success(),
        "python failed ({status}):\n{script}\nstdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&stderr)
    );
    stdout
}

/// A python process that talks in lines: the test reads its stdout line by line (with a
/// timeout on each wait) and writes commands to its stdin. Killed on drop if still running.
pub struct PyPeer {
    child: Option<Child>,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    seen: Vec<String>,
    stderr_path: PathBuf,
    name: String,
}

impl PyPeer {
    /// Starts `python script args…`, its stderr going to a file (shown on failure).
    pub fn spawn(python: &Path, script: &Path, args: &[&str], name: &str) -> PyPeer {
        let stderr_path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
            "pyzmq-{}-{}.stderr",
            name.replace(['/', ' '], "_"),
            std::process::id()
        ));
        let stderr = std::fs::File::create(&stderr_path).unwrap();
        let mut child = Command::new(python)
            .arg(script)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|e| panic!("spawning {}: {e}", python.display()));
        let stdout = child.stdout.take().unwrap();
        let stdin = child.stdin.take();
        let (tx, lines) = mpsc::channel();
        // Ends at the child's EOF (exit or kill).
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        PyPeer {
            child: Some(child),
            stdin,
            lines,
            seen: Vec::new(),
            stderr_path,
            name: name.to_owned(),
        }
    }

    /// What the peer printed on stderr so far.
    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr_path).unwrap_or_default()
    }

    /// The next line that starts with `prefix` (other lines are kept for the failure
    /// message), without the prefix; `None` after `timeout` or at the peer's EOF.
    pub fn try_line(&mut self, prefix: &str, timeout: Duration) -> Option<String> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    if let Some(rest) = line.strip_prefix(prefix) {
                        return Some(rest.trim_start().to_owned());
                    }
                    self.seen.push(line);
                }
                Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => {
                    return None
                }
            }
        }
    }

    /// Like [`PyPeer::try_line`], failing the test (with the peer's output) on timeout.
    pub fn line(&mut self, prefix: &str, timeout: Duration) -> String {
        match self.try_line(prefix, timeout) {
            Some(l) => l,
            None => panic!(
                "{}: no '{prefix}' line within {timeout:?}; stdout: {:?}; stderr:\n{}",
                self.name,
                self.seen,
                self.stderr()
            ),
        }
    }

    /// Writes one line to the peer's stdin.
    pub fn send_line(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{line}").unwrap();
        stdin.flush().unwrap();
    }

    /// Waits (bounded) for the peer to exit and fails the test unless it exited with 0.
    pub fn finish(&mut self, timeout: Duration) {
        self.stdin = None; // EOF on its stdin
        let child = self.child.take().expect("not finished yet");
        let out = wait_bounded(child, timeout, &self.name);
        assert!(
            out.status.success(),
            "{}: exited with {}; stdout: {:?}; stderr:\n{}",
            self.name,
            out.status,
            self.seen,
            self.stderr()
        );
    }
}

impl Drop for PyPeer {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_file(&self.stderr_path);
    }
}
