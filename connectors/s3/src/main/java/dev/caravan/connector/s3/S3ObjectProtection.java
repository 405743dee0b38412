package dev.caravan.connector.s3;

import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The encryption at rest ({@code serverSideEncryption}, {@code sseKmsKeyId}) and canned ACL ({@code acl}) of the
 * objects a store writes, set on every request that creates one: PutObject, CreateMultipartUpload (also of a
 * server-side copy in parts) and CopyObject. S3 takes them from these requests only (an UploadPart carries none), and
 * a CopyObject without them gives the copy the bucket's default encryption and no ACL. Nothing is set for options left
 * empty.
 */
final class S3ObjectProtection {
    private S3ObjectProtection() {
    }

    static void apply(S3Settings s, PutObjectRequest.Builder put) {
        if (s.serverSideEncryption() != null) {
            put.serverSideEncryption(s.serverSideEncryption()).ssekmsKeyId(s.sseKmsKeyId());
        }
        if (s.acl() != null) {
            put.acl(s.acl());
        }
    }

    static void apply(S3Settings s, CreateMultipartUploadRequest.Builder create) {
        if (s.serverSideEncryption() != null) {
            create.serverSideEncryption(s.serverSideEncryption()).ssekmsKeyId(s.sseKmsKeyId());
        }
        if (s.acl() != null) {
            create.acl(s.acl());
        }
    }

    static void apply(S3Settings s, CopyObjectRequest.Builder copy) {
        if (s.serverSideEncryption() != null) {
            copy.serverSideEncryption(s.serverSideEncryption()).ssekmsKeyId(s.sseKmsKeyId());
        }
        if (s.acl() != null) {
            copy.acl(s.acl());
        }
    }
}
