package dev.caravan.connector.local;

import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectKeys;
import dev.caravan.api.store.ObjectStore;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * Lists a directory and prints {@code listed <count>}; exits with 3 if the keys are out of order. Run in a JVM
 * with a small heap by {@link LocalLargeDirectoryIT}.
 */
public final class ListingProbe {
    private ListingProbe() {
    }

    public static void main(String[] args) {
        ObjectStore store = new LocalStoreProvider().open(args[0], null);
        long count = 0;
        String previous = null;
        try (Stream<ObjectInfo> listing = store.list("")) {
            for (Iterator<ObjectInfo> it = listing.iterator(); it.hasNext(); count++) {
                String key = it.next().key();
                if (previous != null && ObjectKeys.ORDER.compare(previous, key) >= 0) {
                    System.out.println("out of order: " + previous + " then " + key);
                    System.exit(3);
                }
                previous = key;
            }
        }
        System.out.println("listed " + count + " max heap " + Runtime.getRuntime().maxMemory());
    }
}
