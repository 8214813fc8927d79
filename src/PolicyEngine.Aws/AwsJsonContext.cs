using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PolicyEngine.Aws;

/// <summary>Source-generated serialization for the values collection writes as JSON (no reflection, so it runs under Native AOT).</summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(JsonNode))]
internal sealed partial class AwsJsonContext : JsonSerializerContext;
