using System.Globalization;
using System.Text.Json;

namespace PolicyEngine.OrgGenerator;

/// <summary>
/// AWS Config items in the snapshot's delivery dialect (docs/snapshot-format.md, resources). Item <c>j</c> depends
/// only on the seed, <c>j</c>, the accounts and the regions. Types cycle by <c>j % 10</c>: 3 in 10 S3 buckets, 1 a
/// GuardDuty detector, 2 EC2 instances, 2 IAM roles, 2 KMS keys.
/// </summary>
internal static class ConfigItems
{
    private static readonly DateTime CaptureBase = new(2026, 11, 30, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string[] Environments = ["prod", "dev", "staging", "test"];
    private static readonly string[] InstanceTypes = ["t3.micro", "m5.large", "c6i.xlarge", "r6g.2xlarge"];

    /// <summary>Writes item <paramref name="j"/>; true when it was written to fail its check.</summary>
    public static bool Write(Utf8JsonWriter w, int seed, ulong stream, long j, IReadOnlyList<string> accounts, IReadOnlyList<string> regions, double failureShare)
    {
        var random = new SeededRandom(seed, stream, j);
        var account = accounts[random.Next(accounts.Count)];
        var region = regions[random.Next(regions.Count)];
        var fails = random.NextDouble() < failureShare;
        var n = j.ToString("D7", CultureInfo.InvariantCulture);
        var kind = (int)(j % 10);
        var (type, id, arn) = kind switch
        {
            < 3 => ("AWS::S3::Bucket", $"data-{n}-{account}", $"arn:aws:s3:::data-{n}-{account}"),
            3 => ("AWS::GuardDuty::Detector", Hex(ref random, 32), ""),
            < 6 => ("AWS::EC2::Instance", "i-0" + Hex(ref random, 16), ""),
            < 8 => ("AWS::IAM::Role", "AROA" + n + Hex(ref random, 9).ToUpperInvariant(), $"arn:aws:iam::{account}:role/app-{n}"),
            _ => ("AWS::KMS::Key", Guid(ref random), ""),
        };
        arn = kind switch
        {
            3 => $"arn:aws:guardduty:{region}:{account}:detector/{id}",
            4 or 5 => $"arn:aws:ec2:{region}:{account}:instance/{id}",
            8 or 9 => $"arn:aws:kms:{region}:{account}:key/{id}",
            _ => arn,
        };
        var itemRegion = kind is 6 or 7 ? "global" : region;
        var name = kind is 6 or 7 ? $"app-{n}" : id;
        var keyArn = $"arn:aws:kms:{region}:{account}:key/{Guid(ref random)}";

        w.WriteStartObject();
        w.WriteString("resourceType", type);
        w.WriteString("resourceId", id);
        w.WriteString("resourceName", name);
        w.WriteString("ARN", arn);
        w.WriteString("awsAccountId", account);
        w.WriteString("awsRegion", itemRegion);
        w.WriteString("configurationItemVersion", "1.3");
        w.WriteString("configurationItemCaptureTime", CaptureBase.AddSeconds(j).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        w.WriteString("configurationItemStatus", "OK");
        w.WriteStartObject("tags");
        w.WriteString("env", Environments[random.Next(Environments.Length)]);
        w.WriteString("owner", "team-" + random.Next(40).ToString(CultureInfo.InvariantCulture));
        w.WriteEndObject();
        w.WriteStartObject("configuration");
        switch (kind)
        {
            case < 3:
                w.WriteString("name", id);
                w.WriteString("creationDate", "2025-03-01T10:00:00.000Z");
                w.WriteEndObject();
                w.WriteStartObject("supplementaryConfiguration");
                if (!fails)
                {
                    w.WriteStartObject("ServerSideEncryptionConfiguration");
                    w.WriteStartArray("rules");
                    w.WriteStartObject();
                    w.WriteStartObject("applyServerSideEncryptionByDefault");
                    w.WriteString("sseAlgorithm", "aws:kms");
                    w.WriteString("kmsMasterKeyID", keyArn);
                    w.WriteEndObject();
                    w.WriteBoolean("bucketKeyEnabled", true);
                    w.WriteEndObject();
                    w.WriteEndArray();
                    w.WriteEndObject();
                }

                w.WriteStartObject("BucketVersioningConfiguration");
                w.WriteString("status", random.Next(2) == 0 ? "Enabled" : "Suspended");
                w.WriteEndObject();
                w.WriteStartObject("PublicAccessBlockConfiguration");
                w.WriteBoolean("blockPublicAcls", true);
                w.WriteBoolean("ignorePublicAcls", true);
                w.WriteBoolean("blockPublicPolicy", true);
                w.WriteBoolean("restrictPublicBuckets", true);
                w.WriteEndObject();
                break;
            case 3:
                w.WriteBoolean("Enable", !fails);
                w.WriteString("FindingPublishingFrequency", "FIFTEEN_MINUTES");
                w.WriteStartArray("Features");
                foreach (var feature in (string[])["S3_DATA_EVENTS", "EKS_AUDIT_LOGS", "RUNTIME_MONITORING"])
                {
                    w.WriteStartObject();
                    w.WriteString("Name", feature);
                    w.WriteString("Status", fails ? "DISABLED" : "ENABLED");
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteStartObject("supplementaryConfiguration");
                break;
            case < 6:
                w.WriteString("instanceId", id);
                w.WriteString("instanceType", InstanceTypes[random.Next(InstanceTypes.Length)]);
                w.WriteStartObject("state");
                w.WriteNumber("code", 16);
                w.WriteString("name", "running");
                w.WriteEndObject();
                w.WriteStartObject("metadataOptions");
                w.WriteString("httpTokens", fails ? "optional" : "required");
                w.WriteNumber("httpPutResponseHopLimit", 1);
                w.WriteEndObject();
                w.WriteStartArray("blockDeviceMappings");
                w.WriteStartObject();
                w.WriteString("deviceName", "/dev/xvda");
                w.WriteStartObject("ebs");
                w.WriteString("volumeId", "vol-0" + Hex(ref random, 16));
                w.WriteBoolean("encrypted", true);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteStartObject("supplementaryConfiguration");
                break;
            case < 8:
                w.WriteString("roleName", name);
                w.WriteString("path", "/");
                w.WriteString("assumeRolePolicyDocument", "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22ec2.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D");
                w.WriteNumber("maxSessionDuration", 3600);
                w.WriteEndObject();
                w.WriteStartObject("supplementaryConfiguration");
                fails = false;
                break;
            default:
                w.WriteString("keyId", id);
                w.WriteString("keyManager", "CUSTOMER");
                w.WriteString("keyState", "Enabled");
                w.WriteString("keySpec", "SYMMETRIC_DEFAULT");
                w.WriteEndObject();
                w.WriteStartObject("supplementaryConfiguration");
                w.WriteBoolean("KeyRotationStatus", !fails);
                break;
        }

        w.WriteEndObject();
        w.WriteEndObject();
        return fails;
    }

    private static string Hex(ref SeededRandom random, int digits)
    {
        Span<char> text = stackalloc char[digits];
        for (var i = 0; i < digits; i++)
        {
            text[i] = "0123456789abcdef"[random.Next(16)];
        }

        return new string(text);
    }

    private static string Guid(ref SeededRandom random) =>
        string.Concat(Hex(ref random, 8), "-", Hex(ref random, 4), "-", Hex(ref random, 4), "-", Hex(ref random, 4), "-", Hex(ref random, 12));
}
