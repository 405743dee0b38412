package dev.caravan.camel.testing;

/** Test helper: the whole cause chain of an exception as one string. */
public final class Errors {
    private Errors() {
    }

    public static String chain(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append('\n');
        }
        return sb.toString();
    }
}
