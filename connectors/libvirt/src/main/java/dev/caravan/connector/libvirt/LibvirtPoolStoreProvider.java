package dev.caravan.connector.libvirt;

import dev.caravan.api.config.Config;
import dev.caravan.api.config.OptionDef;
import dev.caravan.api.config.OptionType;
import dev.caravan.api.config.Options;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.StoreProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code libvirt-pool} scheme: the volumes of one libvirt storage pool as objects (key = volume name), read
 * and written through libvirt's storage streams, so it works on remote hosts too, e.g.
 * {@code libvirt-pool:qemu+ssh://root@host-b/system} with option {@code pool=images}. This is how cold
 * migration copies VM disks through the object engine (resumable per volume, verified by SHA-256).
 */
public final class LibvirtPoolStoreProvider implements StoreProvider {

    /** The URI scheme. */
    public static final String SCHEME = "libvirt-pool";

    /** The storage pool. */
    public static final OptionDef POOL = OptionDef.of("pool", OptionType.STRING,
            "Name of the libvirt storage pool whose volumes are the objects (virsh pool-list).").asRequired();

    private static final Options OPTIONS;

    static {
        List<OptionDef> defs = new ArrayList<>();
        defs.add(POOL);
        defs.addAll(LibvirtOptions.common());
        OPTIONS = Options.of("connector " + SCHEME, defs);
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public String description() {
        return "Volumes of a libvirt storage pool (VM disk images), read and written through libvirt streams";
    }

    @Override
    public Options options() {
        return OPTIONS;
    }

    @Override
    public ObjectStore open(String location, Config config) {
        Config resolved = config == null ? OPTIONS.resolve(Map.of()) : config;
        String uri = LibvirtOptions.effectiveUri(location, resolved);
        return new VolumeStore(SCHEME + ":" + location.trim(), LibvirtOptions.connect(uri, resolved),
                resolved.string(POOL.name()), true);
    }
}
