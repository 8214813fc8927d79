namespace PolicyEngine.Policies.Tests;

/// <summary>Finds the repository the tests run from (the directory holding PolicyEngine.sln).</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Policies => Path.Combine(Root, "policies");

    public static string Fixtures => Path.Combine(Policies, "fixtures");

    public static string Collectors => Path.Combine(Root, "collectors");

    private static string FindRoot()
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
