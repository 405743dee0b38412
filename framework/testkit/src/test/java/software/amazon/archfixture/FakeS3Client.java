package software.amazon.archfixture;

/** Fixture: stands for a vendor SDK type. */
public class FakeS3Client {
}
