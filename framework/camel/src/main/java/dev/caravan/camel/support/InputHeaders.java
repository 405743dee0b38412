package dev.caravan.camel.support;

import java.util.Map;
import org.apache.camel.Message;

/**
 * The input headers of the Caravan components (per-exchange overrides of endpoint options), read by their exact
 * name. Camel finds headers ignoring case, while its JMS header filter drops only names that start with
 * {@code Camel} or {@code camel} as written: a JMS property {@code CAMELCARAVANTARGET} passes that filter and would
 * be found as {@code CamelCaravanTarget}. A header counts only when set under the exact name, as a route sets it
 * ({@code .setHeader(CaravanConstants.TARGET, ...)}); a case variant from outside is ignored.
 */
public final class InputHeaders {
    private InputHeaders() {
    }

    /** The value of the header {@code name} when it was set under exactly that name, else {@code null}. */
    public static Object get(Message message, String name) {
        Map<String, Object> headers = message.getHeaders();
        Object value = headers.get(name);
        if (value == null) {
            return null;
        }
        for (String key : headers.keySet()) {
            if (key.equals(name)) {
                return value;
            }
        }
        return null;
    }

    /** {@link #get(Message, String)} converted to {@code type} by Camel's type converters. */
    public static <T> T get(Message message, String name, Class<T> type) {
        Object value = get(message, name);
        return value == null ? null : message.getExchange().getContext().getTypeConverter()
                .convertTo(type, message.getExchange(), value);
    }
}
