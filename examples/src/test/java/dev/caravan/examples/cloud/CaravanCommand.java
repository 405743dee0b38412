package dev.caravan.examples.cloud;

import dev.caravan.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** One {@code caravan} command run in this JVM: its exit code and what it printed on each stream. */
record CaravanCommand(int code, String out, String err) {
    /** Runs {@code caravan ARGS} in this JVM. */
    static CaravanCommand run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
        return new CaravanCommand(code, out.toString(), err.toString());
    }
}
