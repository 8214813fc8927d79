using System.Text.Json.Serialization;

namespace PolicyEngine.JsonPath;

/// <summary>Source-generated serialization for the strings the library writes as JSON text (no reflection, so it runs under Native AOT).</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class JsonPathJsonContext : JsonSerializerContext;
