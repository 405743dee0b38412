# shellcheck shell=bash
# The JVM flags of the ./caravan launcher, in one place: sourced by ./caravan and by benchmarks that run the
# command line without the launcher (scripts/bench-cloud.sh), so both measure the same JVM. Why each flag is
# there is written in ./caravan.
CARAVAN_GC_FLAGS=(-XX:+UseSerialGC -Xmn16m)
# table migrations (the launcher's tables kind): no 16 MiB young generation, since a record migration allocates a few
# objects per value and collected it ~150 times per million rows (SQLite -> PostgreSQL: 0.07-0.1 s more CPU)
CARAVAN_GC_FLAGS_RECORDS=(-XX:+UseSerialGC)
# JIT, object copies (copy, sync, move, verify, plan, VM moves): C2 thresholds a hundred times the defaults, so C2
# compiles little beyond the JDK's digests and ciphers, which keep the default thresholds (scaling 0.01). Their hot
# work is native or intrinsic (SHA-256, AES-GCM, socket and file I/O); a hundred times rather than ten cut the JIT's
# CPU of a short run further (small local -> S3 copy 3.6-3.9 -> 3.2-3.4 s, its no-change rerun 1.09-1.15 ->
# 1.00-1.05 s, 4 x 256 MiB 6.0-6.6 -> 5.9-6.1 s; local and SFTP copies unchanged; docs/benchmarks.md).
CARAVAN_JIT_FLAGS=(-XX:Tier4InvocationThreshold=500000 -XX:Tier4MinInvocationThreshold=200000
  -XX:Tier4CompileThreshold=600000 -XX:Tier4BackEdgeThreshold=4000000 -XX:CompileCommand=quiet
  "-XX:CompileCommand=CompileThresholdScaling,com.sun.crypto.provider.*::*,0.01"
  "-XX:CompileCommand=CompileThresholdScaling,sun.security.provider.*::*,0.01")
# JIT, record migrations (tables and format conversions, the launcher's records kind): ten times the defaults. Their
# hot loop is Java code run a few times per value (decoding rows, encoding COPY or Parquet), which needs C2 within the
# first rows: with the hundredfold thresholds, SQLite -> PostgreSQL of 1,000,000 rows took 1.52 s instead of 1.44
# (median of 6), and CSV -> Parquet of 500,000 rows (examples/data's route) 2.54-2.65 s instead of 1.99-2.16.
CARAVAN_JIT_FLAGS_RECORDS=(-XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=20000
  -XX:Tier4CompileThreshold=60000 -XX:Tier4BackEdgeThreshold=400000 -XX:CompileCommand=quiet
  "-XX:CompileCommand=CompileThresholdScaling,com.sun.crypto.provider.*::*,0.1"
  "-XX:CompileCommand=CompileThresholdScaling,sun.security.provider.*::*,0.1")
