using System.Text.Json;

namespace PolicyEngine.Scripting.Tests;

/// <summary>An in-memory <see cref="IPredicateContext"/> for tests.</summary>
internal sealed class TestContext : IPredicateContext
{
    public TestContext(string subjectJson = "{}")
    {
        Subject = Parse(subjectJson);
    }

    public JsonElement Subject { get; init; }

    public string? Account { get; init; } = "111111111111";

    public string? Region { get; init; } = "eu-west-1";

    public IReadOnlyList<string> Roles { get; init; } = ["securityTooling"];

    public JsonElement? Organization { get; init; }

    public JsonElement? AccountRoles { get; init; }

    public IReadOnlyList<string> GovernedRegions { get; init; } = [];

    public IReadOnlyList<string>? ActiveAccountIds { get; init; }

    public object? SharedSections { get; init; }

    public DateTimeOffset? CollectedAt { get; init; }

    public IReadOnlyDictionary<string, EvidenceView> Inputs { get; init; } = new Dictionary<string, EvidenceView>();

    public Dictionary<string, EvidenceView> EvidenceByKey { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, IReadOnlyList<JsonElement>> ResourcesByType { get; } = new(StringComparer.Ordinal);

    public List<string> EvidenceCalls { get; } = [];

    /// <summary>Runs inside every evidence lookup: lets a test make host calls slow without using CPU.</summary>
    public Action? OnEvidence { get; init; }

    public EvidenceView Evidence(string inputName, string? account, string? region, IReadOnlyDictionary<string, string>? parameters)
    {
        var key = $"{inputName}/{account}/{region}" + (parameters is null ? "" : "?" + string.Join("&", parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value)));
        EvidenceCalls.Add(key);
        OnEvidence?.Invoke();
        return EvidenceByKey.TryGetValue(key, out var view) ? view : new EvidenceView(EvidenceStatus.Missing, null, null, null, key);
    }

    public IReadOnlyList<JsonElement> Resources(string resourceType)
        => ResourcesByType.TryGetValue(resourceType, out var items) ? items : [];

    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static EvidenceView Ok(string key, string json) => new(EvidenceStatus.Ok, Parse(json), null, null, key);
}

/// <summary>Helpers shared by the test classes.</summary>
internal static class Sandbox
{
    public static readonly ScriptSandboxOptions Options = ScriptSandboxOptions.Default;

    public static CompiledPredicate Compile(string body, ScriptSandboxOptions? options = null)
    {
        var compilation = PredicateCompiler.Compile(body, "test.js", options ?? Options);
        Assert.Empty(compilation.Diagnostics);
        return compilation.Predicate!;
    }

    public static PredicateResult Run(string body, IPredicateContext? context = null, ScriptSandboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        var runner = new PredicateRunner(options ?? Options);
        return runner.Run(Compile(body, options), context ?? new TestContext(), cancellationToken);
    }

    public static void AssertError(PredicateResult result, string code, string message)
    {
        Assert.Equal(PredicateOutcome.Error, result.Outcome);
        Assert.Equal(message, result.Message);
        Assert.Equal(code, result.ErrorCode);
    }

    public static void AssertPass(PredicateResult result)
        => Assert.Equal(new PredicateResult(PredicateOutcome.Pass, null, null, null), result);
}
