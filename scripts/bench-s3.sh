# scripts/bench-s3.sh: sourced by the benchmarks that use the local S3Proxy (scripts/servers/s3proxy.sh): its endpoint
# and test identity, Caravan's options for it as a source (S3S) and as a target (S3O), and rclone's remote for it.
S3_EP=http://127.0.0.1:18080 S3_ID=local-identity S3_SECRET=local-credential
S3S=(--source-option endpoint=$S3_EP --source-option pathStyle=true --source-option accessKeyId=$S3_ID
  --source-option secretAccessKey=$S3_SECRET)
S3O=(--target-option endpoint=$S3_EP --target-option pathStyle=true --target-option accessKeyId=$S3_ID
  --target-option secretAccessKey=$S3_SECRET --target-option createBucket=true)
rclone_s3_remote() { # prints the [s3] section of an rclone config for S3Proxy
  cat <<CONF
[s3]
type = s3
provider = Other
endpoint = $S3_EP
region = us-east-1
force_path_style = true
access_key_id = $S3_ID
secret_access_key = $S3_SECRET
CONF
}
