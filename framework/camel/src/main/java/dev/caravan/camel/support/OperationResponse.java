package dev.caravan.camel.support;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Message;

/**
 * What one producer operation returns: the new message body and the headers to set. Producers apply it to the
 * exchange; operation classes never touch the exchange's message themselves.
 *
 * @param body    the new body (may be {@code null})
 * @param headers headers to set, in order; {@code null} values remove a header
 */
public record OperationResponse(Object body, Map<String, Object> headers) {

    public OperationResponse {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** A response with a body and no headers yet. */
    public static OperationResponse of(Object body) {
        return new OperationResponse(body, Map.of());
    }

    /** A copy with one more header. */
    public OperationResponse with(String header, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(headers);
        copy.put(header, value);
        return new OperationResponse(body, copy);
    }

    /** Sets the body and the headers on a message. */
    public void applyTo(Message message) {
        message.setBody(body);
        headers.forEach((name, value) -> {
            if (value == null) {
                message.removeHeader(name);
            } else {
                message.setHeader(name, value);
            }
        });
    }
}
