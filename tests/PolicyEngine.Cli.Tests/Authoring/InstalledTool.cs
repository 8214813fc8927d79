using System.Diagnostics;
using System.Text;

namespace PolicyEngine.Cli.Tests.Authoring;

/// <summary>
/// The policy-engine .NET tool as a user has it: packed from this build and installed with <c>dotnet tool install</c>
/// into a directory of its own, then run as a separate process from directories outside the repository. It is
/// installed once per test run, from a local feed only (a nuget.config that clears every other source, and a private
/// package cache so that no stale copy of the same version is picked up), so the test reaches no network.
/// </summary>
internal sealed class InstalledTool
{
    private static readonly Lazy<InstalledTool> Shared = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    // One scratch root per test run, removed when the run ends: the feed, a private package cache, the install and
    // the working directories all live under it.
    private static readonly string ScratchRoot = Path.Combine(Path.GetTempPath(), "policy-engine-installed-" + Guid.NewGuid().ToString("N")[..12]);

    private InstalledTool(string root, string executable)
    {
        Root = root;
        Executable = executable;
    }

    /// <summary>The tool, installed on first use.</summary>
    public static InstalledTool Instance => Shared.Value;

    /// <summary>A scratch directory that holds the feed, the install and the tests' working directories.</summary>
    public string Root { get; }

    /// <summary>The installed <c>policy-engine</c> command.</summary>
    public string Executable { get; }

    /// <summary>The result of one process run.</summary>
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>Makes a new, empty working directory under <see cref="Root"/>.</summary>
    public string NewWorkingDirectory(string name)
    {
        var path = Path.Combine(Root, "work", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Runs the installed tool with <paramref name="arguments"/> in <paramref name="workingDirectory"/>.</summary>
    public Result Run(string workingDirectory, IEnumerable<string> arguments) =>
        RunProcess(Executable, arguments, workingDirectory, TimeSpan.FromMinutes(2));

    /// <summary>
    /// Names a tool installed beforehand to run instead of packing and installing this build: .ci/native-aot sets it to
    /// the native tool it installed from deploy/pack-tool.sh's feed, so the tutorial is replayed with that build too.
    /// </summary>
    internal const string PreinstalledVariable = "POLICY_ENGINE_INSTALLED_TOOL";

    private static InstalledTool Install()
    {
        var root = ScratchRoot;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(root);
        if (Environment.GetEnvironmentVariable(PreinstalledVariable) is { Length: > 0 } preinstalled)
        {
            if (!File.Exists(preinstalled))
            {
                throw new InvalidOperationException($"{PreinstalledVariable} names {preinstalled}, which does not exist; unset it to test this build's own package");
            }

            Directory.CreateDirectory(root);
            return new InstalledTool(root, Path.GetFullPath(preinstalled));
        }

        var feed = Path.Combine(root, "feed");
        var tools = Path.Combine(root, "tools");
        Directory.CreateDirectory(feed);
        var nugetConfig = Path.Combine(root, "nuget.config");
        File.WriteAllText(
            nugetConfig,
            $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);

        var project = Path.Combine(CliRunner.RepoRoot, "src", "PolicyEngine.Cli", "PolicyEngine.Cli.csproj");
        Check(RunProcess("dotnet", ["pack", project, "--configuration", BuildConfiguration, "--no-build", "--output", feed, "-nologo"], root, TimeSpan.FromMinutes(5)), "dotnet pack");
        Check(RunProcess("dotnet", ["tool", "install", "PolicyEngine.Cli", "--tool-path", tools, "--configfile", nugetConfig], root, TimeSpan.FromMinutes(5)), "dotnet tool install");
        var executable = Path.Combine(tools, OperatingSystem.IsWindows() ? "policy-engine.exe" : "policy-engine");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"dotnet tool install succeeded but {executable} does not exist");
        }

        return new InstalledTool(root, executable);
    }

    // The tests run from bin/<Configuration>/net10.0; the CLI they reference was built in the same configuration.
    private static string BuildConfiguration =>
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    private static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A scratch directory that cannot be removed now is left to the system's temp cleaning.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void Check(Result result, string what)
    {
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{what} exited {result.ExitCode}:\n{result.StandardOutput}\n{result.StandardError}");
        }
    }

    private static Result RunProcess(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan limit)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host's MSBuild variables would steer a nested dotnet; a private package cache keeps a stale
        // PolicyEngine.Cli of the same version out of the install; nothing here asks for telemetry or a banner.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["NUGET_PACKAGES"] = Path.Combine(ScratchRoot, "packages");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["NO_COLOR"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {limit}");
        }

        return new Result(process.ExitCode, output.Result.ReplaceLineEndings("\n"), error.Result.ReplaceLineEndings("\n"));
    }
}
