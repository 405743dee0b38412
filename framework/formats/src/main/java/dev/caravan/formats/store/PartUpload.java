package dev.caravan.formats.store;

import dev.caravan.api.config.Config;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.Schema;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.formats.FormatCodec;
import dev.caravan.formats.FormatErrors;
import dev.caravan.formats.FormatWriter;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One part file being written: the encoder pushes into a {@link StorePipe} whose other end a dedicated thread
 * streams into {@code ObjectStore.put} (size unknown), so nothing is spooled to disk and memory stays bounded.
 */
final class PartUpload {
    final String finalKey;
    final String writeKey;
    private final ObjectStore store;
    private final StorePipe pipe = new StorePipe();
    private final CompletableFuture<ObjectInfo> put = new CompletableFuture<>();
    private final FormatWriter encoder;

    PartUpload(ObjectStore store, String finalKey, String writeKey, FormatCodec codec, Config config, Schema schema) {
        this.store = store;
        this.finalKey = finalKey;
        this.writeKey = writeKey;
        Thread t = new Thread(() -> {
            try {
                ObjectInfo info = store.put(writeKey, pipe.input(),
                        new PutRequest(-1, null, codec.contentType(), Map.of(), -1));
                pipe.consumerFinished(null);
                put.complete(info);
            } catch (Throwable e) {
                pipe.consumerFinished(e);
                put.completeExceptionally(e);
            }
        }, "caravan-put " + writeKey);
        t.setDaemon(true);
        t.start();
        try {
            this.encoder = codec.encoder(pipe.output(), finalKey, schema, config);
        } catch (RuntimeException e) {
            pipe.abort();
            join(true);
            throw e;
        }
    }

    void write(DataRecord record) {
        encoder.write(record);
    }

    long records() {
        return encoder.recordsWritten();
    }

    long bytes() {
        return encoder.bytesWritten();
    }

    /** Writes the trailer, ends the stream and waits for the store to hold the object. */
    ObjectInfo finish() {
        try {
            encoder.commit();
            pipe.output().close();
        } catch (IOException | RuntimeException e) {
            abort();
            throw e instanceof RuntimeException r ? FormatErrors.writing(r, finalKey) : FormatErrors.writing(e, finalKey);
        }
        return join(false);
    }

    /** Drops the part: the put fails, and whatever reached the store is deleted. Never throws. */
    void abort() {
        encoder.abort();
        pipe.abort();
        join(true);
        try {
            store.delete(writeKey);
        } catch (RuntimeException e) {
            // best effort: a leftover temporary key is found and removed by the next run
        }
    }

    private ObjectInfo join(boolean quiet) {
        try {
            return put.get();
        } catch (ExecutionException e) {
            if (quiet) {
                return null;
            }
            Throwable cause = e.getCause();
            throw cause instanceof MigrationException m ? m : FormatErrors.writing(cause, finalKey);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (quiet) {
                return null;
            }
            throw MigrationException.transientError("interrupted while writing " + finalKey, e);
        }
    }
}
