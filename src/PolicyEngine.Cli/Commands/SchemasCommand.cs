using System.CommandLine;
using PolicyEngine.Core.Files;

namespace PolicyEngine.Cli.Commands;

/// <summary>
/// <c>schemas</c>: writes the JSON Schemas shipped with the tool into a directory (default <c>.schemas</c>), so that a
/// team's pack, outside this repository, can point editors at them with a modeline such as
/// <c># yaml-language-server: $schema=./.schemas/rule.schema.json</c>.
/// </summary>
internal static class SchemasCommand
{
    /// <summary>Where <c>schemas</c> and <c>new rule</c> put the schemas, relative to a pack's root.</summary>
    public const string DefaultDirectory = ".schemas";

    public static Command Create(TextWriter output, TextWriter error)
    {
        var outputDirectory = new Option<string>("--output", "-o")
        {
            Description = $"The directory to write the schemas to (created if needed; existing schema files are replaced). Default: {DefaultDirectory}.",
            DefaultValueFactory = _ => DefaultDirectory,
        };
        var command = new Command("schemas", "Write the JSON Schemas of rules, rule tests, policy configuration, snapshots and findings, for editors.")
        {
            outputDirectory,
        };
        command.SetAction(parse =>
        {
            var directory = parse.GetValue(outputDirectory)!;
            var written = Write(directory);
            if (written.Count == 0)
            {
                error.WriteLine($"error: no schemas are installed beside the tool in {DefaultPaths.SchemasDirectory}.");
                return ExitCodes.InvalidInput;
            }

            output.WriteLine($"Wrote {written.Count} schemas to {directory.Replace('\\', '/')}: {string.Join(", ", written)}.");
            output.WriteLine("Point your editor at them with a first line such as:");
            output.WriteLine($"  # yaml-language-server: $schema=./{DefaultDirectory}/rule.schema.json            (rules)");
            if (written.Contains(RuleTestsSchema))
            {
                output.WriteLine($"  # yaml-language-server: $schema=./{DefaultDirectory}/{RuleTestsSchema}     (*.tests.yaml)");
            }

            output.WriteLine($"  # yaml-language-server: $schema=./{DefaultDirectory}/policy-config.schema.json   (policy configuration)");
            output.WriteLine("(the path is relative to the file that carries the line).");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The schema of rule test files, when the installed tool ships it.</summary>
    public const string RuleTestsSchema = "rule-tests.schema.json";

    /// <summary>The names of the shipped schemas, in ordinal order.</summary>
    public static IReadOnlyList<string> Shipped() =>
        Directory.Exists(DefaultPaths.SchemasDirectory)
            ? Directory.EnumerateFiles(DefaultPaths.SchemasDirectory, "*.schema.json").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray()
            : [];

    /// <summary>Copies every shipped schema into <paramref name="directory"/>, each file atomically; returns their names.</summary>
    public static IReadOnlyList<string> Write(string directory)
    {
        var names = Shipped();
        foreach (var name in names)
        {
            var bytes = File.ReadAllBytes(Path.Combine(DefaultPaths.SchemasDirectory, name));
            AtomicFile.Write(Path.Combine(directory, name), stream => stream.Write(bytes));
        }

        return names;
    }
}
