package dev.caravan.api.archfixture;

import software.amazon.archfixture.FakeS3Client;

/** Fixture: an SPI type that uses a vendor SDK. */
public final class ApiUsingVendorSdk {
    private final FakeS3Client client = new FakeS3Client();

    public FakeS3Client client() {
        return client;
    }
}
