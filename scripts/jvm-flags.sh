# shellcheck shell=bash
# The JVM flags of the ./caravan launcher, in one place: sourced by ./caravan and by benchmarks that run the
# command line without the launcher (scripts/bench-cloud.sh), so both measure the same JVM. Why each flag is
# there is written in ./caravan.
CARAVAN_GC_FLAGS=(-XX:+UseSerialGC -Xmn16m)
# table migrations (the launcher's tables kind): no 16 MiB young generation, since a record migration allocates a few
# objects per value and collected it ~150 times per million rows (SQLite -> PostgreSQL: 0.07-0.1 s more CPU)
CARAVAN_GC_FLAGS_RECORDS=(-XX:+UseSerialGC)
# JIT, object copies (copy, sync, move, verify, plan, VM moves): C2 compiles only the JDK's digests, ciphers and array
# and string primitives (scripts/jit-directives.json); every other method hot enough for C2 is compiled again by C1
# without profiling. Their hot work is native or intrinsic (SHA-256, AES-GCM, socket and file I/O), and the rest is
# spread over many methods (HTTP, signing, the journal, the SDKs) that a short command cannot repay C2 for. Measured
# against the earlier rule (C2 thresholds a hundred times the defaults, which left those methods in profiling C1
# code), alternating, docs/benchmarks.md: less CPU per small copy (S3 -> S3 and S3 -> Azure about a fifth, local ->
# local 0.2 s), a faster first command of a daemon, large copies unchanged. -DisplayVMOutput: HotSpot prints "2
# compiler directives added" on standard output at start; this keeps that line (and other VM diagnostics printed
# to the VM's tty, such as a thread dump on SIGQUIT: use jcmd PID Thread.print) out of the command's output.
# Sourced by its absolute path (the directives file is found next to it).
CARAVAN_JIT_DIRECTIVES="${BASH_SOURCE[0]%/*}/jit-directives.json"
[[ "$CARAVAN_JIT_DIRECTIVES" == /* ]] || CARAVAN_JIT_DIRECTIVES="$PWD/$CARAVAN_JIT_DIRECTIVES"
CARAVAN_JIT_FLAGS=(-XX:+UnlockDiagnosticVMOptions -XX:-DisplayVMOutput
  "-XX:CompilerDirectivesFile=$CARAVAN_JIT_DIRECTIVES")
# JIT, record migrations (tables and format conversions, the launcher's records kind): ten times the defaults. Their
# hot loop is Java code run a few times per value (decoding rows, encoding COPY or Parquet), which needs C2 within the
# first rows: with the hundredfold thresholds, SQLite -> PostgreSQL of 1,000,000 rows took 1.52 s instead of 1.44
# (median of 6), and CSV -> Parquet of 500,000 rows (examples/data's route) 2.54-2.65 s instead of 1.99-2.16.
CARAVAN_JIT_FLAGS_RECORDS=(-XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=20000
  -XX:Tier4CompileThreshold=60000 -XX:Tier4BackEdgeThreshold=400000 -XX:CompileCommand=quiet
  "-XX:CompileCommand=CompileThresholdScaling,com.sun.crypto.provider.*::*,0.1"
  "-XX:CompileCommand=CompileThresholdScaling,sun.security.provider.*::*,0.1")
