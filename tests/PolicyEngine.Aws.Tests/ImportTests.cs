using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PolicyEngine.Aws.Import;

namespace PolicyEngine.Aws.Tests;

/// <summary>Import of exported AWS Config data in its three dialects.</summary>
public sealed class ImportTests : IDisposable
{
    private static readonly string Items = Path.Combine(AppContext.BaseDirectory, "TestData", "aws-config-items");
    private readonly string _dir = CollectionTestSupport.TempDir();

    public void Dispose() => Directory.Delete(_dir, true);

    private string WriteGz(string name, string json)
    {
        var path = Path.Combine(_dir, name);
        using var file = File.Create(path);
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        gz.Write(Encoding.UTF8.GetBytes(json));
        return path;
    }

    private static JsonElement Resource(JsonDocument doc, string type) =>
        doc.RootElement.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("resourceType").GetString() == type);

    [Fact]
    public void ConfigSnapshotFileIsNormalisedToTheDeliveryDialect()
    {
        var s3 = File.ReadAllText(Path.Combine(Items, "AWS_S3_Bucket.json"));
        var kms = File.ReadAllText(Path.Combine(Items, "AWS_KMS_Key.json"));
        var snapshot = WriteGz("123456789012_Config_us-east-1_ConfigSnapshot_20260101T000000Z_abc.json.gz",
            $"{{\"fileVersion\":\"1.0\",\"configSnapshotId\":\"abc\",\"configurationItems\":[{s3},{kms}]}}");
        var output = Path.Combine(_dir, "out.json");
        var result = SnapshotImporter.Import([snapshot], output);
        Assert.Equal(2, result.Resources);

        using var doc = JsonDocument.Parse(File.ReadAllBytes(output));
        Assert.Equal("1.0", doc.RootElement.GetProperty("formatVersion").GetString());
        Assert.Equal("import", doc.RootElement.GetProperty("metadata").GetProperty("source").GetString());
        Assert.False(doc.RootElement.TryGetProperty("organization", out _));
        var sections = doc.RootElement.GetProperty("coverage").GetProperty("sections");
        Assert.Equal("notCollected", sections.GetProperty("organization").GetString());
        Assert.Equal("notCollected", sections.GetProperty("evidence").GetString());
        Assert.Equal("collected", sections.GetProperty("resources").GetString());

        var bucket = Resource(doc, "AWS::S3::Bucket");
        Assert.Equal(JsonValueKind.Object, bucket.GetProperty("supplementaryConfiguration").GetProperty("AccessControlList").ValueKind);
        Assert.Equal(JsonValueKind.Object, bucket.GetProperty("configuration").ValueKind);

        var key = Resource(doc, "AWS::KMS::Key");
        Assert.True(key.TryGetProperty("awsAccountId", out _));
        Assert.True(key.TryGetProperty("ARN", out _));
        Assert.True(key.TryGetProperty("configurationItemVersion", out _));
        Assert.False(key.TryGetProperty("accountId", out _));
        Assert.Equal(JsonValueKind.Object, key.GetProperty("supplementaryConfiguration").GetProperty("Policy").ValueKind);
    }

    [Fact]
    public void AggregatorQueryResultsAreParsed()
    {
        var row = new JsonObject
        {
            ["accountId"] = "111122223333", ["awsRegion"] = "eu-west-1", ["resourceType"] = "AWS::GuardDuty::Detector", ["resourceId"] = "det1",
            ["arn"] = "arn:aws:guardduty:eu-west-1:111122223333:detector/det1",
            ["configuration"] = new JsonObject { ["Enable"] = true },
            ["tags"] = new JsonArray(new JsonObject { ["key"] = "env", ["value"] = "prod", ["tag"] = "env=prod" }),
        };
        var file = Path.Combine(_dir, "query.json");
        File.WriteAllText(file, new JsonObject { ["Results"] = new JsonArray(row.ToJsonString()), ["QueryInfo"] = new JsonObject() }.ToJsonString());
        var output = Path.Combine(_dir, "out.json.gz");
        SnapshotImporter.Import([file], output);
        using var doc = CollectionTestSupport.ReadSnapshot(output);
        var d = Resource(doc, "AWS::GuardDuty::Detector");
        Assert.Equal("111122223333", d.GetProperty("awsAccountId").GetString());
        Assert.True(d.GetProperty("configuration").GetProperty("Enable").GetBoolean());
        Assert.Equal("prod", d.GetProperty("tags").GetProperty("env").GetString());
    }

    [Fact]
    public void ApiDialectItemsAreDecoded()
    {
        var ci = new JsonObject
        {
            ["version"] = "1.3", ["accountId"] = "111122223333", ["configurationItemCaptureTime"] = 1767225600.5, ["configurationItemStatus"] = "OK",
            ["configurationStateId"] = "1767225600500", ["arn"] = "arn:aws:s3:::b", ["resourceType"] = "AWS::S3::Bucket", ["resourceId"] = "b", ["awsRegion"] = "us-east-1",
            ["configuration"] = "{\"name\":\"b\"}",
            ["supplementaryConfiguration"] = new JsonObject
            {
                ["AccessControlList"] = JsonSerializer.Serialize("{\"owner\":{\"id\":\"x\"}}"),
                ["BucketPolicy"] = "{\"policyText\":\"{\\\"Version\\\":\\\"2012-10-17\\\"}\"}",
            },
            ["relationships"] = new JsonArray(new JsonObject { ["resourceType"] = "AWS::IAM::Role", ["resourceId"] = "r", ["relationshipName"] = "Is attached to" }),
        };
        var file = Path.Combine(_dir, "history.json");
        File.WriteAllText(file, new JsonObject { ["configurationItems"] = new JsonArray(ci) }.ToJsonString());
        var output = Path.Combine(_dir, "out.json");
        SnapshotImporter.Import([file], output);
        using var doc = CollectionTestSupport.ReadSnapshot(output);
        var b = Resource(doc, "AWS::S3::Bucket");
        Assert.Equal("2026-01-01T00:00:00.500Z", b.GetProperty("configurationItemCaptureTime").GetString());
        Assert.Equal(1767225600500, b.GetProperty("configurationStateId").GetInt64());
        Assert.Equal("b", b.GetProperty("configuration").GetProperty("name").GetString());
        var sup = b.GetProperty("supplementaryConfiguration");
        Assert.Equal("x", sup.GetProperty("AccessControlList").GetProperty("owner").GetProperty("id").GetString());
        Assert.Equal("2012-10-17", sup.GetProperty("BucketPolicy").GetProperty("policyText").GetProperty("Version").GetString());
        Assert.Equal("Is attached to", b.GetProperty("relationships")[0].GetProperty("name").GetString());
    }

    [Fact]
    public void UnknownShapeIsRejected()
    {
        var file = Path.Combine(_dir, "x.json");
        File.WriteAllText(file, "{\"hello\":1}");
        var ex = Assert.Throws<InvalidDataException>(() => SnapshotImporter.Import([file], Path.Combine(_dir, "o.json")));
        Assert.Contains("x.json", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "o.json")));
    }
}
