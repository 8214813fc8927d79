using System.Text.Json;

namespace PolicyEngine.Cli.Tests;

/// <summary><c>policy-engine schemas</c>: the shipped schemas, with stable https $id URLs, copied for editors.</summary>
public sealed class SchemasCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("policy-engine-cli-schemas-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void Every_repository_schema_ships_with_the_tool_and_is_written_byte_identical()
    {
        var output = Path.Combine(_dir.FullName, ".schemas");
        var result = CliRunner.Run("schemas", "--output", output);
        Assert.Equal(0, result.ExitCode);
        var repository = Directory.EnumerateFiles(Path.Combine(CliRunner.RepoRoot, "schemas"), "*.schema.json")
            .Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Contains("rule.schema.json", repository);
        Assert.Equal(repository, Directory.EnumerateFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var name in repository)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(CliRunner.RepoRoot, "schemas", name!)), File.ReadAllBytes(Path.Combine(output, name!)));
        }

        Assert.StartsWith($"Wrote {repository.Length} schemas to {output.Replace('\\', '/')}: ", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("# yaml-language-server: $schema=./.schemas/rule.schema.json", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("# yaml-language-server: $schema=./.schemas/policy-config.schema.json", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_schema_id_is_its_stable_https_url()
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(CliRunner.RepoRoot, "schemas"), "*.schema.json"))
        {
            using var schema = JsonDocument.Parse(File.ReadAllBytes(file));
            Assert.Equal("https://policyengine.dev/schemas/" + Path.GetFileName(file), schema.RootElement.GetProperty("$id").GetString());
        }
    }
}
