package dev.caravan.camel.objects;

import dev.caravan.camel.support.InputHeaders;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.camel.support.OptionValues;
import dev.caravan.core.engine.ObjectCopier;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;

/**
 * One exchange as seen by an object operation. This is where header-over-option precedence lives: every getter
 * reads the header first, then the endpoint option, then a documented fallback.
 */
public final class ObjectRequest {
    private final CaravanObjectsEndpoint endpoint;
    private final Exchange exchange;

    ObjectRequest(CaravanObjectsEndpoint endpoint, Exchange exchange) {
        this.endpoint = endpoint;
        this.exchange = exchange;
    }

    public Message message() {
        return exchange.getMessage();
    }

    /** The endpoint's store. */
    public ObjectStore store() {
        return endpoint.store();
    }

    /** Header {@code CamelCaravanObjectKey}, option {@code key}, or the key of an {@link ObjectInfo} body. */
    public String key() {
        String key = pick(ObjectsConstants.KEY, endpoint.getKey());
        if (key == null && message().getBody() instanceof ObjectInfo info) {
            key = info.key();
        }
        if (key == null) {
            throw MigrationException.userConfig("no object key: set the header " + ObjectsConstants.KEY
                    + " or the option key on " + endpoint.getEndpointUri());
        }
        return key;
    }

    /** The source object's info: the body when it is the info of {@link #key()}, else a stat (NOT_FOUND if none). */
    public ObjectInfo sourceInfo() {
        String key = key();
        if (message().getBody() instanceof ObjectInfo info && info.key().equals(key)) {
            return info;
        }
        return store().stat(key).orElseThrow(() -> MigrationException.notFound("no object '" + key + "' in "
                + store().uri()));
    }

    /** Header {@code CamelCaravanTargetStore} or option {@code target} (scheme:location); required. */
    public String targetLocation() {
        String location = pick(ObjectsConstants.TARGET_STORE, endpoint.getTarget());
        if (location == null) {
            throw MigrationException.userConfig("no target store: set the option target (e.g. target=local:/backup)"
                    + " or the header " + ObjectsConstants.TARGET_STORE + " on " + endpoint.getEndpointUri());
        }
        return location;
    }

    /** The store of {@link #targetLocation()}. */
    public ObjectStore targetStore() {
        return endpoint.targetStore(targetLocation());
    }

    /** The copier from the endpoint's store to {@link #targetStore()}. */
    public ObjectCopier copier() {
        return endpoint.copier(targetLocation());
    }

    /** A copier from {@code from} into the endpoint's store, with the endpoint's verification; close it. */
    public ObjectCopier copierInto(ObjectStore from) {
        return new ObjectCopier(from, store(), endpoint.verifyMode(), endpoint.getComponent().bandwidth(),
                endpoint.getRetries());
    }

    /** Header {@code CamelCaravanTargetKey}, option {@code targetKey}, else {@link #key()}. */
    public String targetKey() {
        String key = pick(ObjectsConstants.TARGET_KEY, endpoint.getTargetKey());
        return key != null ? key : key();
    }

    /**
     * The body as a read-only store holding one object under {@code key}: byte[], String (UTF-8), File, Path or
     * anything Camel converts to an InputStream (read once; size unknown).
     */
    public ObjectStore bodySource(String key) {
        Object body = message().getBody();
        if (body instanceof byte[] b) {
            return BodySource.ofBytes(key, b);
        }
        if (body instanceof String s) {
            return BodySource.ofBytes(key, s.getBytes(StandardCharsets.UTF_8));
        }
        if (body instanceof File f) {
            return BodySource.ofFile(key, f.toPath());
        }
        if (body instanceof Path p) {
            return BodySource.ofFile(key, p);
        }
        try {
            return BodySource.ofStream(key, message().getMandatoryBody(InputStream.class));
        } catch (InvalidPayloadException e) {
            throw MigrationException.userData("put needs a body of InputStream, byte[], String, File or Path, got "
                    + (body == null ? "null" : body.getClass().getName()));
        }
    }

    private String pick(String header, String option) {
        String fromHeader = OptionValues.text(InputHeaders.get(message(), header));
        return fromHeader != null ? fromHeader : OptionValues.text(option);
    }
}
