package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which connectors a command line names, for the warm-up the launcher starts. */
class ConnectorWarmUpTest {
    @Test
    void locationsAndOptionValuesNameSchemesOptionsAndDrivePathsDoNot() {
        assertThat(ConnectorWarmUp.schemes(new String[] {"copy", "local:/data", "s3:bucket/prefix", "--target-option",
            "endpoint=http://127.0.0.1:18080", "--source-option", "connectionString=A=b;BlobEndpoint=http://x:1",
            "--journal=jdbc:h2:/tmp/j", "C:\\data", "S3:other", "--", "azblob:after-the-end"}))
                .containsExactly("local", "s3", "jdbc");
    }

    @Test
    void aCommandWithoutLocationsNamesNone() {
        assertThat(ConnectorWarmUp.schemes(new String[] {"status", "--home", "/tmp/h"})).isEmpty();
        assertThat(ConnectorWarmUp.schemes(new String[] {"run", "examples/quickstart/quickstart.yaml"})).isEmpty();
    }
}
