using System.Globalization;
using System.Text.Json;

namespace PolicyEngine.Benchmarks.JsonPath;

/// <summary>
/// Generates a deterministic AWS Config-style snapshot: <c>{"resources":[…]}</c> with configuration items for
/// trails, buckets, instances, roles and keys, so every engine in the comparison reads the very same bytes.
/// </summary>
public static class JsonPathBenchmarkData
{
    public const string GenerateCommand = "--generate-jsonpath-data";
    public const string DataFileName = "snapshot.json";
    public const string QueriesFileName = "queries.json";
    public const int ResourceCount = 100_000;

    private static readonly string[] Regions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "sa-east-1"];
    private static readonly string[] Environments = ["prod", "dev", "staging", "test"];
    private static readonly string[] InstanceTypes = ["t3.micro", "m5.large", "c6i.xlarge", "r6g.2xlarge"];

    /// <summary>The data directory: $JSONPATH_BENCH_DIR, else a folder under the system temp directory.</summary>
    public static string DefaultDirectory =>
        Environment.GetEnvironmentVariable("JSONPATH_BENCH_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Path.GetTempPath(), "policyengine-jsonpath-bench");

    /// <summary>Returns the snapshot bytes, generating the file first when it is missing.</summary>
    public static byte[] LoadOrGenerate()
    {
        var path = Path.Combine(DefaultDirectory, DataFileName);
        if (!File.Exists(path))
        {
            WriteFiles(DefaultDirectory);
        }

        return File.ReadAllBytes(path);
    }

    public static void WriteFiles(string directory)
    {
        Directory.CreateDirectory(directory);
        using (var stream = File.Create(Path.Combine(directory, DataFileName)))
        {
            Write(stream);
        }

        using var queries = File.Create(Path.Combine(directory, QueriesFileName));
        JsonSerializer.Serialize(queries, JsonPathBenchmarkQueries.All);
    }

    public static void Write(Stream stream)
    {
        var random = new Random(20240521);
        using var w = new Utf8JsonWriter(stream);
        w.WriteStartObject();
        w.WriteStartArray("resources");
        for (var i = 0; i < ResourceCount; i++)
        {
            WriteItem(w, random, i);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteItem(Utf8JsonWriter w, Random random, int i)
    {
        var account = (100000000000L + (i % 20 * 7919)).ToString(CultureInfo.InvariantCulture);
        var region = Regions[random.Next(Regions.Length)];
        var kind = i % 5;
        var (type, id, arn) = kind switch
        {
            0 => ("AWS::CloudTrail::Trail", $"trail-{i}", $"arn:aws:cloudtrail:{region}:{account}:trail/trail-{i}"),
            1 => ("AWS::S3::Bucket", $"bucket-{i}", $"arn:aws:s3:::bucket-{i}"),
            2 => ("AWS::EC2::Instance", $"i-0{random.Next(0x1000000, 0xFFFFFFF):x7}", ""),
            3 => ("AWS::IAM::Role", $"AROA{i:D12}", $"arn:aws:iam::{account}:role/{(random.Next(10) == 0 ? "admin" : "app")}-{i}"),
            _ => ("AWS::KMS::Key", Guid.CreateVersion7(DateTimeOffset.UnixEpoch.AddSeconds(i)).ToString(), ""),
        };
        if (kind == 2)
        {
            arn = $"arn:aws:ec2:{region}:{account}:instance/{id}";
        }
        else if (kind == 4)
        {
            arn = $"arn:aws:kms:{region}:{account}:key/{id}";
        }

        w.WriteStartObject();
        w.WriteString("version", "1.3");
        w.WriteString("accountId", account);
        w.WriteString("configurationItemCaptureTime", new DateTime(2026, 5, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(i).ToString("O", CultureInfo.InvariantCulture));
        w.WriteString("configurationItemStatus", "OK");
        w.WriteString("resourceType", type);
        w.WriteString("resourceId", id);
        w.WriteString("resourceName", id);
        w.WriteString("arn", arn);
        w.WriteString("awsRegion", region);
        w.WriteString("availabilityZone", region + "a");
        w.WriteStartObject("tags");
        w.WriteString("env", Environments[random.Next(Environments.Length)]);
        w.WriteString("owner", $"team-{random.Next(40)}");
        w.WriteString("costCenter", $"cc-{random.Next(1000, 9999)}");
        w.WriteEndObject();
        w.WriteStartArray("relationships");
        for (var r = random.Next(3); r > 0; r--)
        {
            w.WriteStartObject();
            w.WriteString("relationshipName", "Is associated with");
            w.WriteString("resourceType", "AWS::EC2::SecurityGroup");
            w.WriteString("resourceId", $"sg-{random.Next():x8}");
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("configuration");
        var kmsKey = $"arn:aws:kms:{region}:{account}:key/{random.Next():x8}-{random.Next(0xFFFF):x4}";
        switch (kind)
        {
            case 0:
                var multi = random.Next(3) != 0;
                w.WriteBoolean("isMultiRegionTrail", multi);
                w.WriteStartArray("trailList");
                w.WriteStartObject();
                w.WriteString("Name", id);
                w.WriteString("S3BucketName", $"cloudtrail-logs-{account}-{i}");
                w.WriteBoolean("IsMultiRegionTrail", multi);
                w.WriteBoolean("LogFileValidationEnabled", random.Next(2) == 0);
                w.WriteString("HomeRegion", region);
                if (random.Next(2) == 0)
                {
                    w.WriteString("KmsKeyId", kmsKey);
                }

                w.WriteEndObject();
                w.WriteEndArray();
                break;
            case 1:
                w.WriteString("name", id);
                w.WriteStartObject("serverSideEncryptionConfiguration");
                w.WriteStartArray("rules");
                w.WriteStartObject();
                w.WriteStartObject("applyServerSideEncryptionByDefault");
                var kms = random.Next(2) == 0;
                w.WriteString("sseAlgorithm", kms ? "aws:kms" : "AES256");
                if (kms)
                {
                    w.WriteString("KmsKeyId", kmsKey);
                }

                w.WriteEndObject();
                w.WriteBoolean("bucketKeyEnabled", kms);
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteStartObject("versioningConfiguration");
                w.WriteString("status", random.Next(2) == 0 ? "Enabled" : "Suspended");
                w.WriteEndObject();
                w.WriteStartObject("publicAccessBlockConfiguration");
                w.WriteBoolean("blockPublicAcls", true);
                w.WriteBoolean("ignorePublicAcls", random.Next(4) != 0);
                w.WriteBoolean("blockPublicPolicy", true);
                w.WriteBoolean("restrictPublicBuckets", random.Next(4) != 0);
                w.WriteEndObject();
                break;
            case 2:
                w.WriteString("instanceId", id);
                w.WriteString("instanceType", InstanceTypes[random.Next(InstanceTypes.Length)]);
                w.WriteStartObject("state");
                w.WriteNumber("code", 16);
                w.WriteString("name", "running");
                w.WriteEndObject();
                w.WriteStartArray("securityGroups");
                w.WriteStartObject();
                w.WriteString("groupId", $"sg-{random.Next():x8}");
                w.WriteString("groupName", "default");
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteStartArray("blockDeviceMappings");
                w.WriteStartObject();
                w.WriteString("deviceName", "/dev/xvda");
                w.WriteStartObject("ebs");
                w.WriteString("volumeId", $"vol-{random.Next():x8}");
                var encrypted = random.Next(2) == 0;
                w.WriteBoolean("encrypted", encrypted);
                if (encrypted)
                {
                    w.WriteString("KmsKeyId", kmsKey);
                }

                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteStartObject("metadataOptions");
                w.WriteString("httpTokens", random.Next(3) == 0 ? "optional" : "required");
                w.WriteNumber("httpPutResponseHopLimit", 1 + random.Next(2));
                w.WriteEndObject();
                break;
            case 3:
                w.WriteString("roleName", id);
                w.WriteString("path", "/");
                w.WriteStartObject("assumeRolePolicyDocument");
                w.WriteString("Version", "2012-10-17");
                w.WriteStartArray("Statement");
                w.WriteStartObject();
                w.WriteString("Effect", "Allow");
                w.WriteStartObject("Principal");
                w.WriteString("Service", "ec2.amazonaws.com");
                w.WriteEndObject();
                w.WriteString("Action", "sts:AssumeRole");
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteStartArray("attachedManagedPolicies");
                for (var p = random.Next(1, 4); p > 0; p--)
                {
                    w.WriteStartObject();
                    w.WriteString("policyName", $"policy-{random.Next(50)}");
                    w.WriteString("policyArn", $"arn:aws:iam::aws:policy/policy-{random.Next(50)}");
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                break;
            default:
                w.WriteString("KmsKeyId", id);
                w.WriteString("keyManager", random.Next(3) == 0 ? "AWS" : "CUSTOMER");
                w.WriteString("keyState", "Enabled");
                w.WriteBoolean("keyRotationEnabled", random.Next(2) == 0);
                w.WriteNumber("creationDate", 1700000000 + i);
                break;
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }
}
