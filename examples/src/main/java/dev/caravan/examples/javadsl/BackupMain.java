package dev.caravan.examples.javadsl;

import dev.caravan.camel.migration.CaravanConstants;
import org.apache.camel.main.Main;

/**
 * Runs {@link BackupRoutes} in a standalone Camel application: {@code BackupMain SOURCE TARGET [CRON]}. Without a
 * cron expression it backs up once and exits (code 0 when the backup completed and verified, 1 when objects failed,
 * 2 when it was refused); with one ({@code "0 0 2 * * ?"}: 02:00 every night) it runs until stopped (Ctrl-C).
 */
public final class BackupMain {
    private BackupMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: BackupMain SOURCE TARGET [CRON]   e.g. local:/srv/data local:/mnt/backup");
            System.exit(2);
        }
        boolean once = args.length == 2;
        String trigger = once ? "timer:backup?repeatCount=1&delay=-1"
                : "quartz:backup/nightly?stateful=true&cron=" + args[2].trim().replace(' ', '+');
        int[] exit = {0};
        Main main = new Main();
        main.configure().addRoutesBuilder(new BackupRoutes(trigger, args[0], args[1], "direct:done",
                "direct:failed", "direct:refused"));
        main.configure().addRoutesBuilder(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from("direct:done").process(e -> System.out.println(args[0] + " -> " + args[1] + ": complete and"
                        + " verified, " + e.getMessage().getHeader(CaravanConstants.OBJECTS_COPIED) + " copied, "
                        + e.getMessage().getHeader(CaravanConstants.OBJECTS_DELETED) + " deleted; report "
                        + e.getMessage().getHeader(CaravanConstants.REPORT_JSON)));
                from("direct:failed").process(e -> exit[0] = Math.max(exit[0], 1));
                from("direct:refused").process(e -> exit[0] = 2);
            }
        });
        if (once) {
            main.configure().setDurationMaxMessages(1); // the trigger's one exchange, then stop
        }
        main.run();
        System.exit(exit[0]);
    }
}
