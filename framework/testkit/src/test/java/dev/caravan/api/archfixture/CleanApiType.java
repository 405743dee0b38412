package dev.caravan.api.archfixture;

import dev.caravan.api.store.ObjectKeys;
import java.util.List;

/** Fixture: an SPI type that uses the JDK and the SPI only. */
public final class CleanApiType {
    public List<String> sorted(List<String> keys) {
        return keys.stream().sorted(ObjectKeys.ORDER).toList();
    }

    public OtherApiType other() {
        return new OtherApiType(new int[] {1}, new String[] {"x"});
    }
}
