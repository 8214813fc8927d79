namespace PolicyEngine.Tests.Shared;

/// <summary>
/// The repository the tests run from: the directory above the test binaries that holds PolicyEngine.sln. Found from
/// the binaries, not from [CallerFilePath], because CI builds map source paths to /_/ (deterministic builds).
/// Linked into every test project by tests/Directory.Build.props.
/// </summary>
internal static class TestRepository
{
    private static readonly Lazy<string> LazyRoot = new(Find);

    /// <summary>The repository root.</summary>
    public static string Root => LazyRoot.Value;

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PolicyEngine.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("PolicyEngine.sln not found above " + AppContext.BaseDirectory);
    }
}
