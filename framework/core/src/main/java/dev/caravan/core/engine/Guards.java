package dev.caravan.core.engine;

import dev.caravan.api.store.KeyGlob;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import dev.caravan.core.plan.PlanSummary;

/** Safety checks on a complete plan, made before anything is written or deleted. */
final class Guards {
    private Guards() {
    }

    /**
     * Whether {@link #refusal} may refuse a plan of {@code spec}: a sync, which deletes from the target, and a move
     * with {@code maxDelete}, which deletes from the source every object it copies or finds already copied.
     */
    static boolean mayRefuse(MigrationSpec spec) {
        return spec.mode() == Mode.SYNC || spec.mode() == Mode.MOVE && spec.maxDelete() != null;
    }

    /**
     * Why a copy, sync or move between these stores must not run, or {@code null}: when they are the same location a
     * move deletes every object it finds already copied, that is all of them; when the target lies inside the source
     * each run copies the copies again, one level deeper; when the source lies inside the target a sync deletes the
     * rest of the target, the source included. Compared by {@link ObjectStore#rootLocation()}.
     */
    static String overlap(ObjectStore source, ObjectStore target) {
        String why = switch (nesting(source, target)) {
            case SAME -> "the source and the target are the same location, " + source.uri() + " (a move would delete"
                    + " every object)";
            case SECOND_INSIDE -> "the target " + target.uri() + " lies inside the source " + source.uri() + " (each"
                    + " run would copy the copies again, one level deeper)";
            case FIRST_INSIDE -> "the source " + source.uri() + " lies inside the target " + target.uri() + " (a sync"
                    + " would delete the rest of the target, the source included)";
            case APART -> null;
        };
        return why == null ? null : "refusing to copy between overlapping locations: " + why + "; choose a source and"
                + " a target that do not contain each other";
    }

    /**
     * Why a backup dir must not be used with these stores, or {@code null}: one that overlaps the target (the same
     * location, inside it, or holding it) would be synced, its kept objects deleted or kept again; one that overlaps
     * the source would be copied to the target by the next run.
     */
    static String backupOverlap(ObjectStore backup, ObjectStore source, ObjectStore target) {
        for (ObjectStore side : new ObjectStore[] {target, source}) {
            String name = side == target ? "target" : "source";
            String why = switch (nesting(backup, side)) {
                case SAME -> "is the " + name;
                case FIRST_INSIDE -> "lies inside the " + name + " " + side.uri();
                case SECOND_INSIDE -> "holds the " + name + " " + side.uri();
                case APART -> null;
            };
            if (why != null) {
                return "refusing the backup dir " + backup.uri() + ": it " + why + ", so the run would "
                        + (side == target ? "sync what it keeps there" : "copy what it keeps there to the target")
                        + "; choose a backup dir outside both the source and the target (e.g. a sibling folder or"
                        + " prefix of the target)";
            }
        }
        return null;
    }

    /** How two stores' roots nest, compared by {@link ObjectStore#rootLocation()}. */
    private enum Nesting { APART, SAME, FIRST_INSIDE, SECOND_INSIDE }

    private static Nesting nesting(ObjectStore first, ObjectStore second) {
        String[] s = first.rootLocation().split("\\?", 2);
        String[] t = second.rootLocation().split("\\?", 2);
        if (!(s.length == 2 ? s[1] : "").equals(t.length == 2 ? t[1] : "")) {
            return Nesting.APART;
        }
        String a = withoutTrailingSlashes(s[0]);
        String b = withoutTrailingSlashes(t[0]);
        if (a.equals(b)) {
            return Nesting.SAME;
        } else if (b.startsWith(a + "/")) {
            return Nesting.SECOND_INSIDE;
        } else if (a.startsWith(b + "/")) {
            return Nesting.FIRST_INSIDE;
        }
        return Nesting.APART;
    }

    /**
     * Why a plan that found nothing on the source must not end as "complete" with nothing done: its location names
     * one object ({@link ObjectStore#rootIsAnObject}), and a location is a folder. {@code null} otherwise.
     */
    static String singleObject(String location, ObjectStore source, PlanSummary plan) {
        if (plan.sourceCount() > 0 || !source.rootIsAnObject()) {
            return null;
        }
        String trimmed = withoutTrailingSlashes(location);
        int slash = trimmed.lastIndexOf('/');
        String problem = location + " names one object, not a folder of objects, so nothing would be copied";
        if (slash < 0) {
            return problem;
        }
        // a glob anchored at the folder (a leading /) that matches only this name
        String glob = "/" + KeyGlob.literal(trimmed.substring(slash + 1));
        return problem + "; give its folder and select the object: caravan copy " + trimmed.substring(0, slash)
                + " TARGET --include '" + glob + "' (in YAML: include " + glob + ")";
    }

    private static String withoutTrailingSlashes(String location) {
        int end = location.length();
        while (end > 0 && location.charAt(end - 1) == '/') {
            end--;
        }
        return location.substring(0, end);
    }

    /** Why the plan must not run, or {@code null} when it may. */
    static String refusal(MigrationSpec spec, PlanSummary plan) {
        if (!mayRefuse(spec)) {
            return null;
        }
        boolean move = spec.mode() == Mode.MOVE;
        if (!move && plan.sourceCount() == 0 && plan.targetCount() > 0) {
            return "the source " + spec.source() + " lists no objects: refusing to sync, which would delete all "
                    + plan.targetCount() + " objects on the target (check the source location and filters)";
        }
        long deletes = plan.deleteCount(); // a move's: what it copies and what the target already holds
        long listed = move ? plan.sourceCount() : plan.targetCount();
        if (spec.maxDelete() == null || deletes == 0) {
            return null;
        }
        long limit;
        String max = spec.maxDelete();
        if (max.endsWith("%")) {
            int percent = Integer.parseInt(max.substring(0, max.length() - 1));
            limit = listed * percent / 100;
        } else {
            limit = Long.parseLong(max);
        }
        if (deletes > limit) {
            return (move ? "move" : "sync") + " would delete " + deletes + " of " + listed + " objects on the "
                    + (move ? "source" : "target") + ", more than maxDelete=" + max + " allows (" + limit
                    + "): nothing was copied or deleted; raise maxDelete (--max-delete) if this is intended";
        }
        return null;
    }
}
