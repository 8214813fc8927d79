using System.Text.Json.Serialization;

namespace PolicyEngine.Core.Evaluation;

/// <summary>Source-generated serialization for the few values the evaluator creates.</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class JsonContext : JsonSerializerContext;
