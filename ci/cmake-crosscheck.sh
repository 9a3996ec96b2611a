#!/usr/bin/env bash
# Cross-checks the platform macros our build script generates ($OUT_DIR/platform/platform.hpp)
# against the platform.hpp that libzmq's own CMakeLists generates on this machine.
#
# Usage: ci/cmake-crosscheck.sh [--default | --no-default-features | --all] [--keep] [--ours FILE]
#   --default               check the default features (draft + curve) only
#   --no-default-features   check the configuration without features (no draft, no curve) only
#   --all                   both (the default)
#   --keep                  keep the temporary CMake trees (their path is printed)
#   --ours FILE             compare FILE instead of the build script's platform.hpp
#                           (only with one configuration; the cargo build still runs, for libsodium)
#   --sodium-out DIR        with --ours: skip cargo and use the libsodium-sys-stable OUT_DIR DIR
#
# What it does, per configuration:
#   1. `cargo build --lib --message-format=json [--no-default-features]` -> the zmq4-sys build
#      script's OUT_DIR (our platform.hpp) and, with curve, libsodium-sys-stable's OUT_DIR.
#   2. Configures (no build) a copy of zmq4-sys/vendor/libzmq in a temp dir with libzmq's CMakeLists,
#      with options matching the crate's features: ENABLE_DRAFTS, ENABLE_CURVE + WITH_LIBSODIUM
#      (found by Findsodium.cmake: the crate's libsodium-sys-stable build, through its libsodium.pc
#      and SODIUM_INCLUDE_DIRS/SODIUM_LIBRARIES set to what the crate compiles and links against),
#      WITH_TLS=OFF (no wss/GnuTLS), WITH_NSS=OFF, WITH_LIBBSD=OFF, static only, no tests/docs.
#   3. Extracts the macros each header really defines (`c++ -dM -E` of the header, minus the
#      compiler's predefined macros), and compares names and values. It also compares the
#      OS-detection tail (the same headers preprocessed as if for AIX, Android, macOS, ...) and,
#      when the build script writes defines.txt next to platform.hpp, the -D flags of the compile
#      command lines (CMake's: CXX_DEFINES of libzmq-static).
#   4. Every difference must be listed in ci/cmake-crosscheck.allow (with a reason); an entry there
#      that matches no difference is stale and fails too.
#
# CMake comes from a venv in ${CARGO_TARGET_DIR:-target}/cmake-venv (pip: cmake and pkgconf,
# pinned below; kept between runs), or from Debian's packages when pip is not usable.
# Exit status: 0 = no unexplained difference, 1 = differences or stale allowlist entries,
# 2 = could not run.
set -euo pipefail

CMAKE_PIN=4.4.4          # pip `cmake`
PKGCONF_PIN=3.0.7.post0  # pip `pkgconf` (Findsodium.cmake does find_package(PkgConfig REQUIRED))

cd "$(dirname "$0")/.."
ROOT=$PWD
ALLOW=$ROOT/ci/cmake-crosscheck.allow

configs=()
keep=0
ours_override=
sodium_override=
while [ $# -gt 0 ]; do
  case "$1" in
    --default) configs+=(default) ;;
    --no-default-features) configs+=(no-default-features) ;;
    --all) configs+=(default no-default-features) ;;
    --keep) keep=1 ;;
    --ours) ours_override=$(realpath "$2"); shift ;;
    --sodium-out) sodium_override=$(realpath "$2"); shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "cmake-crosscheck: unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
[ ${#configs[@]} -gt 0 ] || configs=(default no-default-features)
if [ -n "$ours_override" ] && [ ${#configs[@]} -ne 1 ]; then
  echo "cmake-crosscheck: --ours needs exactly one of --default / --no-default-features" >&2; exit 2
fi
if [ -n "$sodium_override" ] && [ -z "$ours_override" ]; then
  echo "cmake-crosscheck: --sodium-out needs --ours" >&2; exit 2
fi

T0=$(date +%s.%N)
step_start() { STEP_T=$(date +%s.%N); }
step_end() { python3 -c 'import sys,time; print("[time] %-44s %6.1fs" % (sys.argv[1], time.time()-float(sys.argv[2])))' "$1" "$STEP_T"; }
die() { echo "cmake-crosscheck: $*" >&2; echo "cmake-crosscheck: ERROR (could not run)"; exit 2; }

TARGET_DIR=${CARGO_TARGET_DIR:-target}
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR=$ROOT/$TARGET_DIR ;; esac
VENV=$TARGET_DIR/cmake-venv
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cmake-crosscheck.XXXXXX")
cleanup() { if [ "$keep" = 1 ]; then echo "cmake-crosscheck: kept $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT

# ---------------------------------------------------------------------------------------------
# 1. Tools: cmake (+ pkg-config for Findsodium.cmake).
step_start
tools_how=
if [ -x "$VENV/bin/cmake" ] && [ -x "$VENV/bin/pkg-config" ] &&
   "$VENV/bin/cmake" --version 2>/dev/null | grep -qx "cmake version $CMAKE_PIN"; then
  tools_how="venv (cached)"
else
  rm -rf "$VENV"
  if python3 -m venv "$VENV" >"$WORK/venv.log" 2>&1 &&
     "$VENV/bin/python" -m pip install --disable-pip-version-check --no-input -q \
       "cmake==$CMAKE_PIN" "pkgconf==$PKGCONF_PIN" >>"$WORK/venv.log" 2>&1; then
    tools_how="venv (pip install cmake==$CMAKE_PIN pkgconf==$PKGCONF_PIN)"
  else
    # Debian's python3 without python3-venv has neither venv nor pip: fall back to apt.
    rm -rf "$VENV"
    echo "cmake-crosscheck: pip into a venv failed (log below); trying apt-get install cmake pkgconf" >&2
    tail -5 "$WORK/venv.log" >&2 || true
    if ! command -v cmake >/dev/null || ! command -v pkg-config >/dev/null; then
      SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
      $SUDO apt-get update -qq >/dev/null && $SUDO env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends cmake pkgconf >/dev/null ||
        die "could not install cmake (pip and apt-get both failed)"
    fi
    tools_how="system ($(command -v cmake))"
  fi
fi
if [ -x "$VENV/bin/cmake" ]; then CMAKE=$VENV/bin/cmake; TOOL_PATH=$VENV/bin:$PATH; else CMAKE=cmake; TOOL_PATH=$PATH; fi
CMAKE_VER=$("$CMAKE" --version | head -1)
step_end "tools: $CMAKE_VER, $tools_how"

CXX_PP=${CXX:-c++}
command -v "${CXX_PP%% *}" >/dev/null || die "no C++ compiler ($CXX_PP)"

# ---------------------------------------------------------------------------------------------
# 2. Our build, per configuration: OUT_DIRs of zmq4 and libsodium-sys-stable.
declare -A OURS SODIUM_INC SODIUM_LIB
for cfg in "${configs[@]}"; do
  step_start
  args=(); [ "$cfg" = default ] || args=(--no-default-features)
  if [ -n "$sodium_override" ]; then   # testing aid: no cargo build at all
    OURS[$cfg]=$ours_override
    SODIUM_INC[$cfg]=$sodium_override/source/libsodium-stable/src/libsodium/include
    SODIUM_LIB[$cfg]=$sodium_override/installed/lib/libsodium.a
    step_end "(cargo build skipped: --sodium-out)"
    continue
  fi
  # Only the build script's output matters here: a compile error in the Rust code after the
  # build script ran is reported but does not stop the check.
  cargo_rc=0
  cargo build --lib --message-format=json "${args[@]}" >"$WORK/cargo-$cfg.json" 2>"$WORK/cargo-$cfg.err" ||
    cargo_rc=$?
  eval "$(python3 - "$WORK/cargo-$cfg.json" <<'PY'
import json, os, shlex, sys
zmq = sodium = None
for line in open(sys.argv[1]):
    try:
        m = json.loads(line)
    except ValueError:
        continue
    if m.get("reason") != "build-script-executed":
        continue
    pid = m.get("package_id", "")
    if "#zmq4-sys@" in pid or "/zmq4-sys#" in pid or pid.startswith("zmq4-sys "):
        zmq = m["out_dir"]
    elif "libsodium-sys-stable" in pid:
        sodium = m["out_dir"]
inc = lib = ""
if sodium:
    # The include/lib the crate gets as DEP_SODIUM_INCLUDE / DEP_SODIUM_LIB (cargo:include / cargo:lib).
    try:
        for l in open(os.path.join(os.path.dirname(sodium), "output")):
            l = l.strip()
            for key, pre in (("inc", "cargo:include="), ("inc", "cargo::metadata=include="),
                             ("lib", "cargo:lib="), ("lib", "cargo::metadata=lib=")):
                if l.startswith(pre):
                    if key == "inc": inc = l[len(pre):]
                    else: lib = l[len(pre):]
    except OSError:
        pass
    inc = inc or os.path.join(sodium, "source/libsodium-stable/src/libsodium/include")
    lib = lib or os.path.join(sodium, "installed/lib")
print("out=%s inc=%s lib=%s" % (shlex.quote(zmq or ""), shlex.quote(inc), shlex.quote(lib)))
PY
)"
  if [ -z "$out" ]; then
    tail -30 "$WORK/cargo-$cfg.err" >&2
    die "cargo build --lib ${args[*]} (exit $cargo_rc) reported no build-script-executed for zmq4"
  fi
  if [ "$cargo_rc" != 0 ]; then
    echo "cmake-crosscheck: warning: cargo build --lib ${args[*]} failed (exit $cargo_rc) after the zmq4-sys build script ran; checking its output anyway:" >&2
    grep -E '^error' "$WORK/cargo-$cfg.err" | head -5 >&2 || true
  fi
  OURS[$cfg]=${ours_override:-$out/platform/platform.hpp}
  [ -f "${OURS[$cfg]}" ] || die "our platform.hpp not found: ${OURS[$cfg]} (does zmq4-sys/build/main.rs write it yet?)"
  if [ "$cfg" = default ]; then
    [ -f "$inc/sodium.h" ] || die "libsodium include dir without sodium.h: '$inc' (is feature curve on?)"
    [ -f "$lib/libsodium.a" ] || die "no libsodium.a in '$lib'"
    SODIUM_INC[$cfg]=$inc; SODIUM_LIB[$cfg]=$lib/libsodium.a
  fi
  step_end "cargo build --lib ${args[*]:-(default features)}"
done

# ---------------------------------------------------------------------------------------------
# 3. CMake configure of a copy of zmq4-sys/vendor/libzmq (never writes into vendor/).
step_start
cp -a "$ROOT/zmq4-sys/vendor/libzmq" "$WORK/libzmq"
step_end "copy zmq4-sys/vendor/libzmq to $WORK"

configure() { # cfg
  local cfg=$1 b=$WORK/cmake-$1 t
  local opts=(
    -DCMAKE_POLICY_VERSION_MINIMUM=3.5 -Wno-dev --no-warn-unused-cli
    -DCMAKE_BUILD_TYPE=Release
    -DBUILD_SHARED=OFF -DBUILD_STATIC=ON -DBUILD_TESTS=OFF -DWITH_DOCS=OFF -DWITH_DOC=OFF
    -DENABLE_CPACK=OFF -DENABLE_PRECOMPILED=OFF
    -DWITH_TLS=OFF -DWITH_NSS=OFF -DWITH_LIBBSD=OFF -DWITH_OPENPGM=OFF -DWITH_NORM=OFF -DWITH_VMCI=OFF
  )
  local pcpath=$WORK/no-pkgconfig
  mkdir -p "$pcpath"
  if [ "$cfg" = default ]; then
    local sl=${SODIUM_LIB[$cfg]}
    [ -d "$(dirname "$sl")/pkgconfig" ] && pcpath=$(dirname "$sl")/pkgconfig
    opts+=(-DENABLE_DRAFTS=ON -DENABLE_CURVE=ON -DWITH_LIBSODIUM=ON
           "-DSODIUM_INCLUDE_DIRS=${SODIUM_INC[$cfg]}" "-DSODIUM_LIBRARIES=$sl")
  else
    opts+=(-DENABLE_DRAFTS=OFF -DENABLE_CURVE=OFF -DWITH_LIBSODIUM=OFF)
  fi
  t=$(date +%s.%N)
  # pkg-config sees only the crate's libsodium.pc (PKG_CONFIG_LIBDIR replaces the system dirs).
  if PATH=$TOOL_PATH PKG_CONFIG_PATH=$pcpath PKG_CONFIG_LIBDIR=$pcpath \
     "$CMAKE" -S "$WORK/libzmq" -B "$b" "${opts[@]}" >"$WORK/cmake-$cfg.log" 2>&1; then
    python3 -c 'import sys,time; print("[time]   cmake configure (%s) %.1fs" % (sys.argv[1], time.time()-float(sys.argv[2])))' "$cfg" "$t" \
      >"$WORK/cmake-$cfg.time"
  else
    echo "FAILED" >"$WORK/cmake-$cfg.time"
  fi
}
step_start
pids=()
for cfg in "${configs[@]}"; do configure "$cfg" & pids+=($!); done
for p in "${pids[@]}"; do wait "$p"; done
for cfg in "${configs[@]}"; do
  if grep -q FAILED "$WORK/cmake-$cfg.time"; then
    tail -40 "$WORK/cmake-$cfg.log" >&2; die "cmake configure failed ($cfg); log: $WORK/cmake-$cfg.log"
  fi
  cat "$WORK/cmake-$cfg.time"
  [ -f "$WORK/cmake-$cfg/platform.hpp" ] || die "CMake wrote no platform.hpp ($cfg)"
  if [ "$cfg" = default ]; then
    grep -q 'Using libsodium for CURVE security' "$WORK/cmake-$cfg.log" ||
      { tail -40 "$WORK/cmake-$cfg.log" >&2; die "CMake did not find libsodium (default)"; }
    grep -qxF "SODIUM_LIBRARIES:FILEPATH=${SODIUM_LIB[$cfg]}" "$WORK/cmake-$cfg/CMakeCache.txt" ||
      die "CMake's SODIUM_LIBRARIES is not the crate's libsodium"
  fi
done
step_end "cmake configure (${configs[*]}, in parallel)"

# ---------------------------------------------------------------------------------------------
# 4. Compare.
step_start
set +e
compare_args=()
for cfg in "${configs[@]}"; do
  compare_args+=("$cfg" "$WORK/cmake-$cfg/platform.hpp" "${OURS[$cfg]}"
                 "$WORK/cmake-$cfg/CMakeFiles/libzmq-static.dir/flags.make"
                 "$(dirname "${OURS[$cfg]}")/defines.txt")
done
CXX_PP=$CXX_PP python3 - "$ALLOW" "${compare_args[@]}" <<'PY'
import os, re, shlex, subprocess, sys

allow_path = sys.argv[1]
rest = sys.argv[2:]
configs = [rest[i:i + 5] for i in range(0, len(rest), 5)]
cxx = shlex.split(os.environ.get("CXX_PP", "c++"))

LINUX = ["__linux__", "__linux", "linux", "__gnu_linux__"]
# The OS tests of platform.hpp.in's tail (builds/cmake/platform.hpp.in).
OS_TRIGGERS = ["_AIX", "__ANDROID__", "__CYGWIN__", "__MINGW32__", "__FreeBSD__", "__FreeBSD_kernel__",
               "__DragonFly__", "__hpux", "__NetBSD__", "__OpenBSD__", "__VMS", "__APPLE__",
               "__QNXNTO__", "sun", "__sun"]
GUARD = "__ZMQ_PLATFORM_HPP_INCLUDED__"

def macros(path, extra=()):
    """name -> value of every macro `path` defines beyond the compiler's own."""
    def run(src):
        r = subprocess.run(cxx + ["-dM", "-E", "-x", "c++"] + list(extra) + [src],
                           capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit("cmake-crosscheck: preprocessing %s failed:\n%s" % (src, r.stderr))
        d = {}
        for line in r.stdout.splitlines():
            m = re.match(r"#define\s+(\w+)(?:\s+(.*))?$", line)
            if m:
                d[m.group(1)] = " ".join((m.group(2) or "").split())
        return d
    base, got = run("/dev/null"), run(path)
    if not extra:
        PREDEF.update(base)
    return {k: v for k, v in got.items() if k != GUARD and base.get(k, object()) != v}

PREDEF = {}

def cmdline_defines(path, cmake):
    """-D flags: from CMake's flags.make (CXX_DEFINES) or our defines.txt."""
    if not os.path.isfile(path):
        return None
    toks = []
    for line in open(path):
        line = line.strip()
        if cmake:
            if line.startswith("CXX_DEFINES ="):
                toks += shlex.split(line.split("=", 1)[1])
        elif line and not line.startswith("#"):
            toks += shlex.split(line)
    d = {}
    for t in toks:
        t = t[2:] if t.startswith("-D") else t
        n, _, v = t.partition("=")
        d[n] = v if "=" in t else "1"   # -DX means X=1, as the compiler does
    return d

def diff(cm, ours, prefix=""):
    out = {}
    for n in sorted(set(cm) | set(ours)):
        if n in cm and n not in ours:
            out["-" + prefix + n] = (cm[n], None)
        elif n in ours and n not in cm:
            out["+" + prefix + n] = (None, ours[n])
        elif cm[n] != ours[n]:
            out["~" + prefix + n] = (cm[n], ours[n])
    return out

# Allowlist: `<+|-|~><key> [@config[,config]]  # reason`
allow, errors = [], []
for i, raw in enumerate(open(allow_path) if os.path.exists(allow_path) else [], 1):
    line = raw.rstrip("\n")
    body, hashmark, reason = line.partition("#")
    body = body.strip()
    if not body:
        continue
    m = re.match(r"([+~-])(\S+)(?:\s+@([\w,-]+))?$", body)
    if not m or not reason.strip():
        errors.append("%s:%d: bad entry (want `+NAME [@config]  # reason`): %s" % (allow_path, i, line))
        continue
    cfgs = m.group(3).split(",") if m.group(3) else None
    for c in cfgs or []:
        if c not in ("default", "no-default-features"):
            errors.append("%s:%d: unknown configuration @%s" % (allow_path, i, c))
    allow.append({"key": m.group(1) + m.group(2), "cfgs": cfgs, "reason": reason.strip(),
                  "line": i, "used": set(), "applicable": set()})

rows, failed, stale = [], 0, []
summary = []
for cfg, cm_hpp, our_hpp, cm_flags, our_defs in configs:
    cm, ours = macros(cm_hpp), macros(our_hpp)
    diffs = diff(cm, ours)
    checked = {"hpp", "os"}
    # OS-detection tail: same headers as if compiled for another OS; report only what is new.
    for trig in ["(none)"] + OS_TRIGGERS:
        extra = ["-U" + x for x in LINUX] + ([] if trig == "(none)" else ["-D" + trig])
        d = diff(macros(cm_hpp, extra), macros(our_hpp, extra), "os[%s]:" % trig)
        for k, v in d.items():
            plain = k[0] + k.split(":", 1)[1]
            if diffs.get(plain) != v:
                diffs[k] = v
    cm_cmd, our_cmd = cmdline_defines(cm_flags, True), cmdline_defines(our_defs, False)
    # A -D that only repeats what c++ predefines (g++ has _GNU_SOURCE=1 for C++) changes nothing.
    for d in (cm_cmd, our_cmd):
        for n in [n for n in (d or {}) if PREDEF.get(n) == d[n]]:
            del d[n]
    if cm_cmd is not None and our_cmd is not None:
        checked.add("cmd")
        diffs.update(diff(cm_cmd, our_cmd, "cmd:"))
    elif cm_cmd is not None:
        print("note (%s): our build's command-line defines are unknown (no %s); CMake passes: %s"
              % (cfg, our_defs, " ".join("-D" + k + ("" if v == "1" else "=" + v) for k, v in cm_cmd.items())))
    n_allowed = n_bad = 0
    for key, (cv, ov) in sorted(diffs.items(), key=lambda kv: kv[0][1:]):
        hit = next((a for a in allow if a["key"] == key and (a["cfgs"] is None or cfg in a["cfgs"])), None)
        if hit:
            hit["used"].add(cfg)
            n_allowed += 1
        else:
            n_bad += 1
        note = ""
        name = key[1:]
        if key[0] == "-" and name in (our_cmd or {}):
            note = " [ours passes -D%s on the command line]" % name
        elif key[0] == "+" and name in (cm_cmd or {}):
            note = " [CMake passes -D%s on the command line]" % name
        elif key.startswith("-cmd:") and name[4:] in ours:
            note = " [ours defines it in platform.hpp]"
        elif key.startswith("+cmd:") and name[4:] in cm:
            note = " [CMake defines it in platform.hpp]"
        rows.append((cfg, key, cv, ov, hit, note))
    for a in allow:
        kind = "cmd" if a["key"][1:].startswith("cmd:") else "os" if a["key"][1:].startswith("os[") else "hpp"
        if (a["cfgs"] is None or cfg in a["cfgs"]) and kind in checked:
            a["applicable"].add(cfg)
    failed += n_bad
    summary.append("%s: %d CMake / %d ours, %d allowed, %d unexplained"
                   % (cfg, len(cm), len(ours), n_allowed, n_bad))

def show(v):
    return "(undefined)" if v is None else ("(empty)" if v == "" else v)

if rows:
    w = max(len(r[1]) for r in rows)
    print("\nDifferences (+ we define it and CMake doesn't, - CMake defines it and we don't, ~ values differ):")
    print("  %-20s %-*s  %-12s %-12s %s" % ("configuration", w, "macro", "CMake", "ours", "verdict"))
    for cfg, key, cv, ov, hit, note in rows:
        verdict = ("allowed: " + hit["reason"] if hit else "FAIL: not in ci/cmake-crosscheck.allow") + note
        print("  %-20s %-*s  %-12s %-12s %s" % (cfg, w, key, show(cv), show(ov), verdict))
for a in allow:
    missing = sorted(a["applicable"] - a["used"])
    if missing:
        stale.append("%s:%d: %s matches no difference in %s (stale entry)"
                     % (os.path.basename(allow_path), a["line"], a["key"], ", ".join(missing)))
for e in errors + stale:
    print("FAIL: " + e)
print("\n" + "; ".join(summary))
sys.exit(1 if failed or stale or errors else 0)
PY
rc=$?
set -e
step_end "compare"

total=$(python3 -c 'import sys,time; print("%.1f" % (time.time()-float(sys.argv[1])))' "$T0")
if [ $rc = 0 ]; then
  echo "cmake-crosscheck: PASS (${configs[*]}; $CMAKE_VER) in ${total}s"
else
  echo "cmake-crosscheck: FAIL (${configs[*]}; $CMAKE_VER) in ${total}s"
fi
exit $rc
