using System.Globalization;
using System.Text.Json;

// Reference programs for the whole-process benchmarks; each is what a careful engineer would write by hand.
//   read-pass FILE  File.ReadAllBytes and one Utf8JsonReader pass over every token: the floor for any evaluator.
//   anchor FILE     the two-rule anchor workload (bench/anchor): every S3 bucket has default encryption, every
//                   GuardDuty detector is enabled; prints the pass and fail counts of each check.
if (args.Length != 2 || args[0] is not ("read-pass" or "anchor"))
{
    Console.Error.WriteLine("Usage: PolicyEngine.Baselines read-pass|anchor FILE");
    return 2;
}

var bytes = File.ReadAllBytes(args[1]);
if (args[0] == "read-pass")
{
    var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 256 });
    long tokens = 0;
    while (reader.Read())
    {
        tokens++;
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{bytes.Length} bytes, {tokens} tokens"));
    return 0;
}

int bucketsPass = 0, bucketsFail = 0, detectorsPass = 0, detectorsFail = 0;
using (var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 256 }))
{
    foreach (var item in document.RootElement.GetProperty("resources").EnumerateArray())
    {
        var type = item.GetProperty("resourceType");
        if (type.ValueEquals("AWS::S3::Bucket"u8))
        {
            var encrypted = item.TryGetProperty("supplementaryConfiguration", out var supplementary)
                && supplementary.ValueKind == JsonValueKind.Object
                && supplementary.TryGetProperty("ServerSideEncryptionConfiguration", out var sse)
                && sse.ValueKind != JsonValueKind.Null;
            _ = encrypted ? bucketsPass++ : bucketsFail++;
        }
        else if (type.ValueEquals("AWS::GuardDuty::Detector"u8))
        {
            var enabled = item.TryGetProperty("configuration", out var configuration)
                && configuration.ValueKind == JsonValueKind.Object
                && configuration.TryGetProperty("Enable", out var enable)
                && enable.ValueKind == JsonValueKind.True;
            _ = enabled ? detectorsPass++ : detectorsFail++;
        }
    }
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bucket-encryption pass {bucketsPass} fail {bucketsFail}; detector-enabled pass {detectorsPass} fail {detectorsFail}"));
return 0;
