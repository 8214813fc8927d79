using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Rules.Binding;

namespace PolicyEngine.Core.Testing;

/// <summary>
/// Finds the fixture snapshot a test case starts from. A case names its fixture either by name (<c>fixture: base</c>),
/// looked up as NAME.json in the fixture directories in order (those given with <c>--fixtures</c> first, then the
/// fixtures shipped with the tool), or by a path relative to its test file (<c>fixture: ./acme-org.json</c>: any value
/// that contains '/' or ends in .json). Parsed fixtures are cached; each case gets its own copy.
/// </summary>
public sealed class RuleTestFixtures
{
    private readonly IReadOnlyList<string> _directories;
    private readonly ConcurrentDictionary<string, Lazy<JsonObject?>> _parsed = new(StringComparer.Ordinal);

    /// <summary>Creates a resolver over fixture directories, searched in the order given.</summary>
    public RuleTestFixtures(IEnumerable<string> directories)
    {
        ArgumentNullException.ThrowIfNull(directories);
        _directories = directories.ToArray();
    }

    /// <summary>The directories searched for fixture names, in order.</summary>
    public IReadOnlyList<string> Directories => _directories;

    /// <summary>Reports fixture directories that do not exist (PE6005), at <paramref name="origin"/>.</summary>
    public void CheckDirectories(ICollection<Diagnostic> diagnostics, string origin)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        foreach (var directory in _directories.Where(d => !Directory.Exists(d)))
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.FixtureUnreadable, new SourceLocation(directory.Replace('\\', '/'), 0, 0),
                $"The fixture directory does not exist (given by {origin}). Pass an existing directory of NAME.json snapshots."));
        }
    }

    /// <summary>True when the value names a file relative to the test file rather than a fixture by name.</summary>
    public static bool IsRelativePath(string fixture) =>
        fixture.Contains('/', StringComparison.Ordinal) || fixture.Contains('\\', StringComparison.Ordinal) ||
        fixture.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    /// <summary>The case's fixture file, or null with a PE6001 diagnostic at the fixture's location.</summary>
    public string? Resolve(RuleTestCase testCase, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var location = testCase.FixtureLocation ?? testCase.Location;
        if (IsRelativePath(testCase.Fixture))
        {
            var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(testCase.File)) ?? ".";
            var path = Path.GetFullPath(Path.Combine(baseDirectory, testCase.Fixture));
            if (File.Exists(path))
            {
                return path;
            }

            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.UnknownFixture, location,
                $"Fixture file '{testCase.Fixture}' does not exist (paths are relative to the test file: {path.Replace('\\', '/')})."));
            return null;
        }

        foreach (var directory in _directories)
        {
            var candidate = Path.Combine(directory, testCase.Fixture + ".json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        var known = KnownNames();
        var suggestion = YamlValues.Closest(testCase.Fixture, known);
        diagnostics.Add(Diagnostic.Error(DiagnosticCodes.UnknownFixture, location,
            $"Unknown fixture '{testCase.Fixture}'." + (suggestion is null ? string.Empty : $" Did you mean '{suggestion}'?") +
            (known.Count == 0 ? " No fixture directory holds any fixture." : $" Known fixtures: {string.Join(", ", known)}.") +
            " Name a file relative to the test file (fixture: ./my-org.json) or add its directory with --fixtures DIR."));
        return null;
    }

    /// <summary>The names (NAME of NAME.json) available in the fixture directories, sorted.</summary>
    public IReadOnlyList<string> KnownNames() =>
        _directories.Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.json"))
            .Select(f => Path.GetFileNameWithoutExtension(f))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();

    /// <summary>A fresh copy of the parsed fixture, or null when it is not a JSON object.</summary>
    public JsonObject? Load(string fixtureFile)
    {
        var parsed = _parsed.GetOrAdd(fixtureFile, path => new Lazy<JsonObject?>(() => Parse(path))).Value;
        return parsed?.DeepClone().AsObject();
    }

    private static JsonObject? Parse(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
