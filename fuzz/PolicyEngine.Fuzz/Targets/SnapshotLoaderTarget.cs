using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Snapshots;

namespace PolicyEngine.Fuzz.Targets;

/// <summary>
/// The snapshot loader: JSON parsing, the shape checks, evidence and resource indexing, and the locator that turns
/// a normalized path into a line and column. A snapshot comes back only without errors; a refused one says why.
/// </summary>
internal sealed class SnapshotLoaderTarget : IFuzzTarget
{
    private const string File = "fuzz/snapshot.json";

    public string Name => "snapshot";

    public void Run(ReadOnlySpan<byte> input)
    {
        var diagnostics = new List<Diagnostic>();
        using var snapshot = SnapshotLoader.Load(input.ToArray(), File, diagnostics);
        if (snapshot is null)
        {
            if (!diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                throw new FuzzInvariantException("The snapshot was refused without an error diagnostic.");
            }

            return;
        }

        if (diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            throw new FuzzInvariantException("The snapshot was returned although it has errors.");
        }

        // Reach what evaluation reaches: every evidence record by key, every resource by type, every location.
        foreach (var record in snapshot.Evidence)
        {
            _ = snapshot.FindEvidence(record.Key);
            _ = record.Describe();
        }

        foreach (var resource in snapshot.Resources)
        {
            _ = snapshot.ResourcesOfType(resource.Type);
        }

        _ = snapshot.Locator.Locate(snapshot.Evidence.Select(e => e.Path));
    }
}
