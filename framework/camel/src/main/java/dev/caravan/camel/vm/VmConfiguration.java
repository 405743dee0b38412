package dev.caravan.camel.vm;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The options of a {@code caravan-vm:} endpoint. The annotated fields are the one declaration of every option
 * (name, default, description: the endpoint docs and the "unknown option" message come from them); values are kept
 * as text, as they arrive from URIs, headers and route template parameters, and are parsed per exchange by
 * {@link VmRequest}, so that a blank value (an unset optional template parameter) means the default, and sizes
 * ({@code 100M}) and durations ({@code 30s}) are accepted. Each option can be overridden per exchange by the header
 * {@code CamelCaravanVm<Option>} (see {@link VmConstants}). Fields are bound by name (no setters): the endpoint is
 * configured from its URI only.
 */
@UriParams
public final class VmConfiguration {
    // ---- where
    @UriParam(description = "The hypervisor the domain is on, as scheme:location, e.g."
                            + " libvirt:qemu+ssh://root@host-a/system; wrap it in RAW() when it contains ? or &"
                            + " (qemu+unix:///system?socket=...)")
    private String source;
    @UriParam(description = "The hypervisor the domain moves to (migrateLive, migrateCold, preflight of a live or cold"
                            + " move), as scheme:location")
    private String target;
    @UriParam(description = "Name of the domain; default: the body when it is a VmRef, VmDescription,"
                            + " MigrationResult or a String")
    private String domain;
    @UriParam(prefix = "source.", multiValue = true, description = "Connector options of the source hypervisor,"
                                                                   + " e.g. source.sshKeyFile=/root/.ssh/id_ed25519")
    private Map<String, Object> sourceOptions;
    @UriParam(prefix = "target.", multiValue = true, description = "Connector options of the target hypervisor")
    private Map<String, Object> targetOptions;
    @UriParam(defaultValue = "true", description = "Keep each move (migrateLive, migrateCold, moveStorage) in the"
                                                   + " engine's journal: a run per move, one task per VM, progress as"
                                                   + " checkpoints, the result as the report, so that 'caravan"
                                                   + " status' shows it")
    private String journal;

    // ---- preflight and list
    @UriParam(label = "preflight", enums = "live,cold,storage", defaultValue = "live",
              description = "Which move the preflight operation checks")
    private String kind;
    @UriParam(label = "list", description = "list: only domains in these states (comma-separated: running, paused,"
                                            + " shut-off, shutting-down, crashed, other); empty for all")
    private String state;
    @UriParam(label = "list", description = "list: only domains whose name matches one of these comma-separated globs"
                                            + " (* any characters, ? one, [a-c], {a,b}), e.g. web-*,db-?; empty"
                                            + " for all")
    private String include;
    @UriParam(label = "list", description = "list: leave out domains whose name matches one of these globs")
    private String exclude;

    // ---- live migration (LiveMigrationOptions)
    @UriParam(label = "live", defaultValue = "false", description = "true: the disks stay on storage both hosts see;"
                                                                  + " false: shared nothing, the disks are copied"
                                                                  + " while the guest runs")
    private String sharedDisk;
    @UriParam(defaultValue = "0", description = "Bandwidth limit in bytes per second (k, M, G suffixes) of the"
                                                + " migration streams (live), the disk copy (cold) or the block copy"
                                                + " (storage); 0 for none")
    private String bandwidth;
    @UriParam(label = "live", description = "Longest acceptable pause at switch-over, e.g. 300ms; empty for the"
                                            + " hypervisor's default")
    private String maxDowntime;
    @UriParam(label = "live", defaultValue = "false",
              description = "Throttle the guest's vCPUs when memory does not converge")
    private String autoConverge;
    @UriParam(label = "live", defaultValue = "false",
              description = "Allow switching to post-copy (needed for timeoutAction=postcopy)")
    private String postCopy;
    @UriParam(label = "live", defaultValue = "1", description = "Parallel migration streams")
    private String parallelConnections;
    @UriParam(label = "live", defaultValue = "false", description = "Compress memory pages")
    private String compression;
    @UriParam(label = "live", defaultValue = "false",
              description = "The source daemon talks to the target daemon itself (it needs its own credentials)")
    private String peerToPeer;
    @UriParam(label = "live", defaultValue = "false", description = "Send the migration data through the daemons'"
                                                                  + " connection (needs peerToPeer; shared disk only"
                                                                  + " on libvirt 9.0)")
    private String tunnelled;
    @UriParam(description = "Act after this long, e.g. 10m: a live migration takes timeoutAction, a storage move is"
                            + " aborted (the disk stays where it was). Empty: a live migration gets the default"
                            + " timeout, completionTimeoutPerGiB per GiB of memory and copied disk, at least 2 GiB"
                            + " (27 min for a small guest), so that one that cannot converge does not run for ever; a"
                            + " storage move none. 0 for none")
    private String completionTimeout;
    @UriParam(label = "live", defaultValue = "800s",
              description = "The default completion timeout of a live migration (completionTimeout empty), per GiB of"
                            + " memory and copied disk, counting at least 2 GiB; 800s as OpenStack Nova and KubeVirt")
    private String completionTimeoutPerGiB;
    @UriParam(label = "live", enums = "abort,suspend,postcopy", defaultValue = "abort",
              description = "What a live migration does at completionTimeout: abort (the guest stays on the source),"
                            + " suspend (pause the guest so the rest converges) or postcopy")
    private String timeoutAction;
    @UriParam(label = "live", defaultValue = "true", description = "Define the domain persistently on the target")
    private String persistOnTarget;
    @UriParam(defaultValue = "true", description = "Remove the definition from the source afterwards (live; cold:"
                                                   + " once the target runs)")
    private String undefineSource;
    @UriParam(label = "live", defaultValue = "false", description = "Migrate a shared disk the hypervisor cannot prove"
                                                                  + " safe (a local file system both hosts see);"
                                                                  + " the preflight then warns instead of failing")
    private String allowUnsafe;
    @UriParam(label = "live", description = "Address of the memory stream, e.g. tcp://10.0.0.2; empty for the"
                                            + " hypervisor's choice")
    private String migrateUri;
    @UriParam(label = "live", description = "Address of the disk copy stream (shared nothing); empty for default")
    private String disksUri;
    @UriParam(label = "live", defaultValue = "0", description = "Declared network bandwidth between the hosts for the"
                                                              + " preflight forecast (bytes per second, k/M/G);"
                                                              + " 0: unknown")
    private String linkBandwidth;
    @UriParam(label = "live", description = "How long the preflight samples the guest's memory dirty rate for the"
                                            + " convergence forecast, e.g. 2s; empty to skip")
    private String dirtyRateSample;

    // ---- cold migration (ColdMigrationOptions)
    @UriParam(label = "cold", defaultValue = "60s", description = "How long the guest gets to shut down when asked")
    private String shutdownTimeout;
    @UriParam(label = "cold", defaultValue = "false", description = "Power the guest off when shutdownTimeout"
                                                                  + " expires; false: fail and leave it running")
    private String force;
    @UriParam(label = "cold", defaultValue = "true", description = "Start the domain on the target after the copy")
    private String startOnTarget;
    @UriParam(label = "cold", defaultValue = "30s", description = "How long the target may take to report it running")
    private String startTimeout;
    @UriParam(label = "cold", defaultValue = "true",
              description = "Delete the copied volumes on the source once the target runs")
    private String deleteSourceVolumes;
    @UriParam(label = "cold", defaultValue = "2", description = "Disks copied in parallel")
    private String transfers;

    // ---- storage move (StorageMoveOptions)
    @UriParam(label = "storage", description = "Guest device of the disk to move, e.g. vda; default: the domain's"
                                               + " only data disk")
    private String disk;
    @UriParam(label = "storage", description = "Absolute path of the new image on the same host (or give"
                                               + " destinationPool)")
    private String destinationPath;
    @UriParam(label = "storage", description = "Storage pool of the new image; the volume keeps its file name")
    private String destinationPool;
    @UriParam(label = "storage", description = "Image format of the copy, e.g. qcow2; default the current format")
    private String format;
    @UriParam(label = "storage", defaultValue = "false", description = "Delete the old image after the pivot")
    private String deleteSourceImage;

    private static final Map<String, Field> FIELDS = fields();

    private static Map<String, Field> fields() {
        Map<String, Field> out = new LinkedHashMap<>();
        for (Field f : VmConfiguration.class.getDeclaredFields()) {
            if (f.getType() == String.class && !Modifier.isStatic(f.getModifiers())
                    && f.isAnnotationPresent(UriParam.class)) {
                f.setAccessible(true);
                out.put(f.getName(), f);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Takes the parameters that name an option (ignoring case) out of {@code parameters}; what stays are unknown.
     */
    void bind(Map<String, Object> parameters) {
        for (Iterator<Map.Entry<String, Object>> it = parameters.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Object> e = it.next();
            Field f = field(e.getKey());
            if (f != null) {
                set(f, e.getValue() == null ? null : e.getValue().toString());
                it.remove();
            }
        }
    }

    /** The value of an option as written (may be blank), or {@code null}. */
    public String get(String option) {
        Field f = FIELDS.get(option);
        if (f == null) {
            throw new IllegalArgumentException("no caravan-vm option " + option);
        }
        try {
            return (String) f.get(this);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Field field(String name) {
        Field f = FIELDS.get(name);
        if (f != null) {
            return f;
        }
        return FIELDS.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    private void set(Field f, String value) {
        try {
            f.set(this, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Connector options of the source hypervisor (never null). */
    public Map<String, Object> sourceOptions() {
        return sourceOptions == null ? Map.of() : sourceOptions;
    }

    void setSourceOptions(Map<String, Object> options) {
        this.sourceOptions = new LinkedHashMap<>(options);
    }

    /** Connector options of the target hypervisor (never null). */
    public Map<String, Object> targetOptions() {
        return targetOptions == null ? Map.of() : targetOptions;
    }

    void setTargetOptions(Map<String, Object> options) {
        this.targetOptions = new LinkedHashMap<>(options);
    }
}
