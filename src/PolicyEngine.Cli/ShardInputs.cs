using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using PolicyEngine.Cli.Commands;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Sharding;

namespace PolicyEngine.Cli;

/// <summary>The <c>--shard</c> option of evaluate and collect, and the stamp a shard report carries.</summary>
internal static class ShardInputs
{
    public static Option<string?> Option(string what) => new("--shard")
    {
        Description = $"{what} only the accounts of shard INDEX of COUNT (INDEX from 0), by a stable hash of the account id; " +
                      "shard 0 also takes everything organization-level. See docs/scaling.md.",
        HelpName = "INDEX/COUNT",
    };

    /// <summary>Parses the option's value; null when absent; a PE9100 diagnostic when it is not a shard.</summary>
    public static Shard? Parse(string? text, ICollection<Diagnostic> diagnostics, out bool valid)
    {
        valid = true;
        if (text is null)
        {
            return null;
        }

        var shard = Shard.Parse(text, out var problem);
        if (shard is null)
        {
            valid = false;
            diagnostics.Add(Diagnostic.Error(ShardDiagnosticCodes.InvalidShard, SourceLocation.None, $"--shard {problem}"));
        }

        return shard;
    }

    /// <summary>Digests of what every shard of one run must share: the snapshot's bytes, the pack and plan files, the configuration.</summary>
    public static ShardStamp Stamp(Shard shard, string snapshotPath, string[]? rules, string[]? collectors, string? configPath)
    {
        var plans = collectors is { Length: > 0 }
            ? collectors.Select(c => c == CommonOptions.BuiltinPlan ? DefaultPaths.Display(DefaultPaths.CollectorsDirectory) : c).Distinct(StringComparer.Ordinal)
            : [DefaultPaths.Display(DefaultPaths.CollectorsDirectory)];
        return new ShardStamp(shard, FileSha256(snapshotPath), TreeSha256([.. CommonOptions.ResolveRulePaths(rules), "\0plan", .. plans]),
            configPath is null ? null : FileSha256(configPath));
    }

    private static string FileSha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>
    /// Hashes each root's files by path relative to the root ('/' separated, ordinal order) and content, so the digest
    /// does not depend on where the pack is installed or from where the command runs.
    /// </summary>
    private static string TreeSha256(IEnumerable<string> roots)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\0"));
        foreach (var root in roots)
        {
            Add("root");
            if (File.Exists(root))
            {
                Add(Path.GetFileName(root));
                hash.AppendData(File.ReadAllBytes(root));
                continue;
            }

            if (!Directory.Exists(root))
            {
                continue;
            }

            var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .Select(f => (Full: f, Relative: Path.GetRelativePath(root, f).Replace('\\', '/')))
                .OrderBy(f => f.Relative, StringComparer.Ordinal);
            foreach (var (full, relative) in files)
            {
                Add(relative);
                var bytes = File.ReadAllBytes(full);
                Add(bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
                hash.AppendData(bytes);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
