namespace PolicyEngine.Policies.Tests;

/// <summary>Finds the repository the tests run from (the directory holding PolicyEngine.sln).</summary>
internal static class RepositoryPaths
{
    public static string Root => PolicyEngine.Tests.Shared.TestRepository.Root;

    public static string Policies => Path.Combine(Root, "policies");

    public static string Fixtures => Path.Combine(Policies, "fixtures");

    public static string Collectors => Path.Combine(Root, "collectors");
}
