using System.Text.Json;
using Json.Schema;

namespace PolicyEngine.Cli.Tests;

/// <summary>Validates text against the OASIS SARIF 2.1.0 schema.</summary>
internal static class SarifSchema
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
    {
        var schemaText = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schemas", "sarif-schema-2.1.0.json"));
        // The OASIS schema is draft-04, which JsonSchema.Net 8 does not read; its keywords used here are the same in draft-07.
        var schemaNode = System.Text.Json.Nodes.JsonNode.Parse(schemaText)!.AsObject();
        schemaNode["$schema"] = "http://json-schema.org/draft-07/schema#";
        schemaNode.Remove("id");
        return JsonSchema.FromText(schemaNode.ToJsonString());
    });

    public static void AssertValid(string sarif)
    {
        using var document = JsonDocument.Parse(sarif);
        var evaluation = Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(evaluation.IsValid, string.Join("\n", (evaluation.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
        Assert.Equal("2.1.0", document.RootElement.GetProperty("version").GetString());
    }
}
