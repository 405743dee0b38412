package dev.caravan.api.config;

import java.util.Collection;
import java.util.Locale;

/** The likely intended name for a misspelt one ("did you mean ...?" in messages). Stateless. */
public final class NearestName {
    /** Candidates this many edits away or more are not suggested. */
    private static final int TOO_FAR = 3;

    private NearestName() {
    }

    /**
     * The candidate closest to {@code name} by edit distance (ignoring case), or {@code null} when none is within two
     * edits; the first of equally close candidates wins.
     */
    public static String of(String name, Collection<String> candidates) {
        String best = null;
        int bestDistance = TOO_FAR;
        for (String candidate : candidates) {
            int d = distance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
