package dev.caravan.connector.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The classification of {@link LocalErrors}: each failure gets the kind the runner must act on and names the path. */
class LocalErrorsTest {
    private static final Path PATH = Path.of("/data/x");

    private static MigrationException translate(IOException e) {
        MigrationException translated = LocalErrors.translate(e, PATH);
        assertThat(translated.getMessage()).contains(PATH.toString());
        assertThat(translated.getCause()).isSameAs(e);
        return translated;
    }

    private static FileSystemException errno(String reason) {
        return new FileSystemException(PATH.toString(), null, reason);
    }

    @Test
    void missingFilesAreNotFound() {
        assertThat(translate(new NoSuchFileException("/data/x")).kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(translate(errno("Not a directory")).kind()).isEqualTo(ErrorKind.NOT_FOUND);
    }

    @Test
    void permissionProblemsAreUserConfig() {
        MigrationException denied = translate(new AccessDeniedException("/data/x"));
        assertThat(denied.kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(denied.getMessage()).startsWith("permission denied: /data/x");
        assertThat(translate(errno("Operation not permitted")).kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(translate(errno("Read-only file system")).kind()).isEqualTo(ErrorKind.USER_CONFIG);
    }

    @Test
    void clashesAndBadNamesAreUserData() {
        assertThat(translate(new FileAlreadyExistsException("/data/x")).kind()).isEqualTo(ErrorKind.USER_DATA);
        assertThat(translate(new DirectoryNotEmptyException("/data/x")).kind()).isEqualTo(ErrorKind.USER_DATA);
        assertThat(translate(errno("Is a directory")).kind()).isEqualTo(ErrorKind.USER_DATA);
        assertThat(translate(errno("File name too long")).kind()).isEqualTo(ErrorKind.USER_DATA);
        assertThat(translate(errno("Too many levels of symbolic links")).kind()).isEqualTo(ErrorKind.USER_DATA);
    }

    @Test
    void fullDisksAreFatal() {
        assertThat(translate(errno("No space left on device")).kind()).isEqualTo(ErrorKind.FATAL);
        assertThat(translate(new IOException("No space left on device")).kind()).isEqualTo(ErrorKind.FATAL);
        assertThat(translate(errno("Disk quota exceeded")).kind()).isEqualTo(ErrorKind.FATAL);
    }

    @Test
    void passingShortagesAreTransient() {
        assertThat(translate(errno("Too many open files")).kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(translate(errno("Stale file handle")).kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(LocalErrors.readingSource("k", new IOException("reset")).kind()).isEqualTo(ErrorKind.TRANSIENT);
    }

    @Test
    void unknownFailuresAreFatal() {
        MigrationException e = translate(errno("Input/output error"));
        assertThat(e.kind()).isEqualTo(ErrorKind.FATAL);
        assertThat(e.getMessage()).contains("Input/output error");
    }
}
