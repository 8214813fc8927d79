using System.Text;
using System.Text.Json;
using Json.Schema;

namespace PolicyEngine.Core.Tests.Schemas;

/// <summary>Finds the repository root and loads the schemas under schemas/ for the schema tests.</summary>
internal static class SchemaTestSupport
{
    public static string RepositoryRoot => PolicyEngine.Tests.Shared.TestRepository.Root;

    /// <summary>Builds schemas/<paramref name="name"/> with its own registry, so tests never share registrations.</summary>
    public static JsonSchema Load(string name) =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(RepositoryRoot, "schemas", name)),
            new BuildOptions { SchemaRegistry = new SchemaRegistry() });

    /// <summary>Validates; returns the errors, one per line, or an empty string when the instance is valid.</summary>
    public static string Errors(JsonSchema schema, JsonElement instance)
    {
        var results = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return string.Empty;
        }

        var errors = new StringBuilder();
        foreach (var detail in (results.Details ?? []).Prepend(results).Where(d => d.Errors is { Count: > 0 }))
        {
            foreach (var (keyword, message) in detail.Errors!)
            {
                errors.Append("  ").Append(detail.InstanceLocation).Append(" (").Append(detail.EvaluationPath).Append(") ")
                    .Append(keyword).Append(": ").Append(message).Append('\n');
            }
        }

        return errors.Length > 0 ? errors.ToString() : "  invalid (no detail reported)\n";
    }

    public static string Relative(string path) => Path.GetRelativePath(RepositoryRoot, path).Replace('\\', '/');
}
