//! Argument and error helpers shared by the rust-zmq ports of libzmq's perf tools.

use std::process::exit;

/// The arguments after the program name, or the usage line and exit 1 when their number is
/// not one of `counts`.
pub fn args(usage: &str, counts: &[usize]) -> Vec<String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if !counts.contains(&args.len()) {
        println!("{usage}");
        exit(1);
    }
    args
}

/// `arg` as a number, or the usage line and exit 1.
pub fn number<T: std::str::FromStr>(usage: &str, arg: &str) -> T {
    arg.parse().unwrap_or_else(|_| {
        println!("{usage}");
        exit(1)
    })
}

/// Prints `error in <what>: <error>` and exits, as the C tools do.
pub fn fail(what: &str, e: zmq::Error) -> ! {
    println!("error in {what}: {e}");
    exit(255)
}

/// Exits with the C tools' message when a received message has the wrong size.
pub fn check_size(got: usize, want: usize) {
    if got != want {
        println!("message of incorrect size received");
        exit(255);
    }
}

/// `zmq_stopwatch_stop`: whole microseconds since `watch`.
pub fn micros(watch: std::time::Instant) -> u64 {
    watch.elapsed().as_micros() as u64
}
