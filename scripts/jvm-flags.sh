# shellcheck shell=bash
# The JVM flags of the ./caravan launcher, in one place: sourced by ./caravan and by benchmarks that run the
# command line without the launcher (scripts/bench-cloud.sh), so both measure the same JVM. Why each flag is
# there is written in ./caravan.
CARAVAN_GC_FLAGS=(-XX:+UseSerialGC -Xmn16m)
# table migrations (the launcher's jdbc kind): no 16 MiB young generation, since a record migration allocates a few
# objects per value and collected it ~150 times per million rows (SQLite -> PostgreSQL: 0.07-0.1 s more CPU)
CARAVAN_GC_FLAGS_RECORDS=(-XX:+UseSerialGC)
CARAVAN_JIT_FLAGS=(-XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=20000
  -XX:Tier4CompileThreshold=60000 -XX:Tier4BackEdgeThreshold=400000 -XX:CompileCommand=quiet
  "-XX:CompileCommand=CompileThresholdScaling,com.sun.crypto.provider.*::*,0.1"
  "-XX:CompileCommand=CompileThresholdScaling,sun.security.provider.*::*,0.1")
