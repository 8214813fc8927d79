using System.CommandLine;
using PolicyEngine.Aws.Import;
using PolicyEngine.Core.Diagnostics;

namespace PolicyEngine.Cli.Commands;

/// <summary>
/// <c>import</c>: build a snapshot from exported AWS Config data (Config snapshot files as delivered to S3, aggregator
/// query results, API-dialect items). The snapshot has resources only, no organization or evidence, so SRA rules that
/// need those are InsufficientData on it, never Pass.
/// </summary>
internal static class ImportCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var inputs = new Argument<string[]>("inputs")
        {
            Description = "AWS Config snapshot files (.json or .json.gz), advanced-query results or configuration items.",
            Arity = ArgumentArity.OneOrMore,
        };
        var outputPath = new Option<string>("--output", "-o") { Description = "Where to write the snapshot (written atomically; gzip when it ends in .gz).", Required = true };
        var command = new Command("import", "Build a snapshot from exported AWS Config data.") { inputs, outputPath };
        command.SetAction(parse =>
        {
            var files = parse.GetValue(inputs)!;
            var destination = parse.GetValue(outputPath)!;

            // Every unreadable input is reported, one line each, before anything is imported.
            var problems = new List<Diagnostic>();
            foreach (var file in files)
            {
                try
                {
                    using var stream = File.OpenRead(file);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    problems.Add(Diagnostic.Error(DiagnosticCodes.SnapshotUnreadable, new SourceLocation(file, 0, 0),
                        $"Cannot read the input: {ConfigSnapshotInput.OneLine(ex.Message)}"));
                }
            }

            if (problems.Count == 0)
            {
                try
                {
                    var result = SnapshotImporter.Import(files, destination);
                    output.WriteLine($"Wrote {DefaultPaths.Display(result.OutputPath)}: {result.Resources} configuration items from {result.Files} {(result.Files == 1 ? "file" : "files")}.");
                    output.WriteLine("The snapshot holds resources only: rules that need organization data or evidence are InsufficientData on it, never Pass.");
                    return ExitCodes.Success;
                }
                catch (InvalidDataException ex)
                {
                    var (file, message) = Locate(ex.Message, files);
                    problems.Add(Diagnostic.Error(DiagnosticCodes.SnapshotShape, new SourceLocation(file, 0, 0), $"Cannot import: {message}"));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    problems.Add(Diagnostic.Error(DiagnosticCodes.SnapshotUnreadable, new SourceLocation(destination, 0, 0),
                        $"Cannot write the snapshot: {ConfigSnapshotInput.OneLine(ex.Message)}"));
                }
            }

            foreach (var problem in problems)
            {
                error.WriteLine(problem);
            }

            return ExitCodes.InvalidInput;
        });
        return command;
    }

    /// <summary>The importer's messages start with the input path; the diagnostic carries it as its location instead.</summary>
    private static (string File, string Message) Locate(string message, string[] files)
    {
        message = ConfigSnapshotInput.OneLine(message);
        var file = files.Where(f => message.StartsWith(f + ": ", StringComparison.Ordinal)).MaxBy(f => f.Length);
        return file is null ? (string.Join(", ", files), message) : (file, message[(file.Length + 2)..]);
    }
}
