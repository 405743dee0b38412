package dev.caravan.core;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/** Why a file could not be read or written, in words for a message (not a Java exception's class name). */
public final class IoProblems {
    private IoProblems() {
    }

    /** E.g. {@code no such file}, {@code permission denied}, else the exception's own message. */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
