import S3Common
import SigV4

/// How the embedded store runs: where its data lives, who may sign, which buckets exist, CORS.
public struct StoreConfiguration: Sendable {
    public var dataDirectory: String
    /// The region requests must be scoped to.
    public var region: String
    /// The access keys that may sign requests.
    public var credentials: [Credentials]
    /// Buckets created at start if missing.
    public var buckets: [String]
    /// CORS rules by bucket name; `*` applies to every bucket without its own rules.
    public var cors: [String: [CORSRule]]
    /// Host suffixes for virtual-hosted addressing: `BUCKET.localhost`.
    public var virtualHostSuffixes: [String]
    /// Multipart uploads untouched for this long are removed.
    public var staleMultipartAge: Double
    /// The largest single PUT (S3: 5 GiB).
    public var maximumObjectSize: Int64
    /// How far header-auth dates may be from the clock, in seconds.
    public var maximumClockSkew: Int64
    /// Whether Signature Version 2 (HMAC-SHA1) is taken beside SigV4, as MinIO and Ceph RGW take it: boto3's
    /// default `generate_presigned_url` for a custom endpoint makes such URLs.
    public var allowsSignatureVersion2: Bool
    /// Told of each GET that carries `x-dropgate-receipt` (a query parameter the presigner signed): the receipt, the
    /// bytes asked for (offset and count), the object's size, and whether they all went. The gateway's download log
    /// uses it to say a download completed; the store knows nothing more of it.
    public var served: (@Sendable (_ receipt: String, _ offset: Int64, _ count: Int64, _ size: Int64, _ complete: Bool) -> Void)? = nil

    public init(
        dataDirectory: String, region: String = "us-east-1", credentials: [Credentials], buckets: [String] = [],
        cors: [String: [CORSRule]] = [:], virtualHostSuffixes: [String] = ["localhost"], staleMultipartAge: Double = 86_400,
        maximumObjectSize: Int64 = 5 * 1024 * 1024 * 1024, maximumClockSkew: Int64 = 900, allowsSignatureVersion2: Bool = true,
        served: (@Sendable (_ receipt: String, _ offset: Int64, _ count: Int64, _ size: Int64, _ complete: Bool) -> Void)? = nil
    ) {
        self.served = served
        self.dataDirectory = dataDirectory
        self.region = region
        self.credentials = credentials
        self.buckets = buckets
        self.cors = cors
        self.virtualHostSuffixes = virtualHostSuffixes
        self.staleMultipartAge = staleMultipartAge
        self.maximumObjectSize = maximumObjectSize
        self.maximumClockSkew = maximumClockSkew
        self.allowsSignatureVersion2 = allowsSignatureVersion2
    }
}
