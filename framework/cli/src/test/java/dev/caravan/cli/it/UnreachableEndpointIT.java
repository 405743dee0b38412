package dev.caravan.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees when a cloud endpoint does not answer: one line that names the endpoint and says what to check,
 * exit code 2, and no log lines of the vendor SDK before it (the Azure SDK logs every failed attempt at error level).
 */
class UnreachableEndpointIT {
    private static final String AZURE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr"
            + "/KBHBeksoGMGw==";

    @TempDir
    Path tmp;

    @Test
    void anUnreachableAzureEndpointIsOneClearLine() throws Exception {
        String endpoint = "http://127.0.0.1:" + freePort() + "/devstoreaccount1";
        List<String> lines = run("copy", "local:" + source(), "azblob:gone", "--target-option",
                "connectionString=DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AZURE_KEY
                        + ";BlobEndpoint=" + endpoint + ";", "--target-option", "connectTimeout=2s");

        assertThat(lines).singleElement().asString().startsWith("caravan: error: cannot connect to " + endpoint)
                .contains("connection refused");
    }

    @Test
    void anUnreachableS3EndpointIsOneClearLine() throws Exception {
        String endpoint = "http://127.0.0.1:" + freePort();
        List<String> lines = run("copy", "local:" + source(), "s3:gone", "--target-option", "endpoint=" + endpoint,
                "--target-option", "pathStyle=true", "--target-option", "accessKeyId=a", "--target-option",
                "secretAccessKey=b");

        assertThat(lines).singleElement().asString().startsWith("caravan: error: cannot reach the S3 endpoint "
                + endpoint).contains("connection refused");
    }

    private List<String> run(String... args) throws IOException, InterruptedException {
        Path log = tmp.resolve("caravan.log");
        String[] all = new String[args.length + 3];
        all[0] = "--home";
        all[1] = tmp.resolve("home").toString();
        all[2] = "--no-progress";
        System.arraycopy(args, 0, all, 3, args.length);
        int exit = ChildCaravan.run("256m", log, all);
        assertThat(exit).as(ChildCaravan.tail(log)).isEqualTo(2);
        return Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
    }

    private Path source() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(dir.resolve("a.txt"), "a");
        return dir;
    }

    /** A loopback port nobody listens on (bound, then released). */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
