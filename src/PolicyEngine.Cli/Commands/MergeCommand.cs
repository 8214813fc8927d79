using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PolicyEngine.Aws.Merge;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Files;
using PolicyEngine.Core.Reporting;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Sharding;

namespace PolicyEngine.Cli.Commands;

/// <summary>
/// <c>merge</c>: combines files that are parts of one whole. It recognises what it is given from the files
/// themselves: shard reports (<c>evaluate --shard i/n --format json</c>) become the unsharded run's report, in any
/// format; snapshots (parts of one organization's state: <c>collect --shard</c> outputs, a live snapshot and imported
/// Config files) become one snapshot.
/// </summary>
internal static class MergeCommand
{
    /// <summary>What a merge input is, decided from its content.</summary>
    private enum InputKind
    {
        FindingsReport,
        Snapshot,
    }

    public static Command Create(Stream standardOutput, TextWriter error, Func<bool> isTerminal)
    {
        var inputs = new Argument<string[]>("inputs")
        {
            Description = "The shard reports of one run (evaluate --shard INDEX/COUNT --format json), one per shard; or snapshots to merge into one (collect --shard outputs, import outputs). In any order.",
            Arity = ArgumentArity.OneOrMore,
            HelpName = "REPORT|SNAPSHOT",
        };
        var format = new Option<string>("--format") { Description = $"The merged report's format: {string.Join(", ", FindingsReporters.Formats)}.", DefaultValueFactory = _ => "json" };
        format.AcceptOnlyFromAmong([.. FindingsReporters.Formats]);
        var output = new Option<string?>("--output", "-o") { Description = "Write the merged report to this file (atomically) instead of standard output. Required for snapshots: the merged snapshot's file (.json, or .json.gz for gzip)." };
        var includePassing = new Option<bool>("--include-passing") { Description = "Also list Pass and NotApplicable findings, as evaluate --include-passing does." };
        var failOn = new Option<string>("--fail-on")
        {
            Description = "Exit 1 when an unsuppressed failing finding has this severity or higher (as evaluate; default none: merging is not gating).",
            DefaultValueFactory = _ => "none",
        };
        failOn.AcceptOnlyFromAmong([.. RuleSeverityNames.All, "none"]);
        var allowInsufficient = new Option<bool>("--allow-insufficient-data") { Description = "With --fail-on: do not count InsufficientData findings." };

        var command = new Command("merge", "Merge the shard reports of one sharded run into the unsharded run's report, or snapshots into one snapshot (docs/scaling.md).")
        {
            inputs, format, output, includePassing, failOn, allowInsufficient,
        };
        command.SetAction(parse =>
        {
            var diagnostics = new List<Diagnostic>();
            var read = new List<(string File, InputKind Kind, JsonDocument? Document)>();
            try
            {
                foreach (var file in parse.GetValue(inputs)!)
                {
                    if (Read(file, diagnostics) is { } input)
                    {
                        read.Add((file, input.Kind, input.Document));
                    }
                }

                MergedReport? merged = null;
                if (diagnostics.Count == 0)
                {
                    if (read.Select(r => r.Kind).Distinct().Count() > 1)
                    {
                        diagnostics.Add(Diagnostic.Error(ShardDiagnosticCodes.MixedInputs, SourceLocation.None,
                            $"merge was given findings reports ({Files(read, InputKind.FindingsReport)}) and snapshots ({Files(read, InputKind.Snapshot)}) together: merge reports with reports, snapshots with snapshots"));
                    }
                    else if (read[0].Kind == InputKind.Snapshot)
                    {
                        return MergeSnapshots(read.Select(r => r.File).ToList(), parse.GetValue(output), diagnostics, error);
                    }
                    else
                    {
                        var reports = read.Select(r => JsonReportReader.Read(r.Document!.RootElement, r.File, diagnostics)).OfType<ReadReport>().ToArray();
                        merged = diagnostics.Count == 0 ? ReportMerger.Merge(reports, diagnostics) : null;
                    }
                }

                foreach (var diagnostic in Diagnostic.Sort(diagnostics))
                {
                    error.WriteLine(diagnostic);
                }

                if (merged is null || diagnostics.Count > 0)
                {
                    return ExitCodes.InvalidInput;
                }

                var outputPath = parse.GetValue(output);
                var context = new ReportContext
                {
                    ToolName = merged.ToolName,
                    ToolVersion = merged.ToolVersion,
                    SnapshotPath = merged.Result.Snapshot,
                    IncludePassing = parse.GetValue(includePassing),
                    UseColor = outputPath is null && isTerminal() && Environment.GetEnvironmentVariable("NO_COLOR") is null,
                };
                var reporter = FindingsReporters.Find(parse.GetValue(format)!)!;
                if (outputPath is not null)
                {
                    AtomicFile.Write(outputPath, stream => reporter.Write(merged.Result, context, stream));
                }
                else
                {
                    reporter.Write(merged.Result, context, standardOutput);
                    standardOutput.Flush();
                }

                return RuleSeverityNames.TryParse(parse.GetValue(failOn)!, out var threshold)
                    && FailureGate.Fails(merged.Result.Findings, threshold, parse.GetValue(allowInsufficient))
                    ? ExitCodes.FindingsAtOrAboveThreshold
                    : ExitCodes.Success;
            }
            finally
            {
                foreach (var (_, _, document) in read)
                {
                    document?.Dispose();
                }
            }
        });
        return command;
    }

    /// <summary>Snapshots: one snapshot written to <c>--output</c>, whatever the order of the inputs (SnapshotMerger).</summary>
    private static int MergeSnapshots(List<string> files, string? outputPath, List<Diagnostic> diagnostics, TextWriter error)
    {
        if (outputPath is null)
        {
            diagnostics.Add(Diagnostic.Error(ShardDiagnosticCodes.MergedSnapshotNeedsFile, new SourceLocation("--output", 0, 0),
                $"merging snapshots ({string.Join(", ", files.Select(f => $"'{f}'"))}) writes a snapshot file: give it with --output merged.json (or merged.json.gz)"));
        }

        var result = outputPath is null ? null : SnapshotMerger.Merge(files, outputPath, diagnostics);
        foreach (var diagnostic in Diagnostic.Sort(diagnostics))
        {
            error.WriteLine(diagnostic);
        }

        if (result is null)
        {
            return ExitCodes.InvalidInput;
        }

        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"merged {result.Inputs} snapshots into {outputPath}: {result.EvidenceRecords} evidence records, {result.Resources} configuration items, {result.DuplicatesDropped} held by more than one input written once"));
        return ExitCodes.Success;
    }

    /// <summary>Reads one input and decides its kind; null with a PE9101 diagnostic (located where possible) when it is neither.</summary>
    private static (InputKind Kind, JsonDocument? Document)? Read(string file, List<Diagnostic> diagnostics)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(Diagnostic.Error(ShardDiagnosticCodes.UnreadableInput, new SourceLocation(file, 0, 0), $"cannot read '{file}': {e.Message}"));
            return null;
        }

        if (bytes is [0x1f, 0x8b, ..])
        {
            return (InputKind.Snapshot, null);
        }

        // A snapshot is told apart by its top-level names alone, without materialising it: the snapshot merge loads
        // it once, with its own diagnostics. Only a report is parsed here.
        JsonDocument document;
        try
        {
            if (TopLevelKind(bytes) is InputKind.Snapshot)
            {
                return (InputKind.Snapshot, null);
            }

            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            diagnostics.Add(Diagnostic.Error(ShardDiagnosticCodes.UnreadableInput,
                new SourceLocation(file, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1),
                $"'{file}' is not JSON: {e.Message.Split(" LineNumber", 2)[0]} Give merge the JSON reports of evaluate --shard, unchanged."));
            return null;
        }

        if (JsonReportReader.IsFindingsReport(document.RootElement))
        {
            return (InputKind.FindingsReport, document);
        }

        document.Dispose();
        diagnostics.Add(Diagnostic.Error(ShardDiagnosticCodes.UnreadableInput, new SourceLocation(file, 1, 1),
            $"'{file}' is neither a findings report ($schema {JsonReporter.SchemaId}) nor a snapshot (formatVersion): merge combines the JSON shard reports of evaluate --shard"));
        return null;
    }

    /// <summary>
    /// Scans the top-level member names, skipping their values: a <c>formatVersion</c> (written first by every
    /// snapshot writer) or <c>configurationItems</c> makes the file a snapshot; anything else is decided by a full parse.
    /// </summary>
    private static InputKind? TopLevelKind(ReadOnlySpan<byte> json)
    {
        if (json is [0xEF, 0xBB, 0xBF, ..])
        {
            json = json[3..];
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("formatVersion"u8) || reader.ValueTextEquals("configurationItems"u8))
            {
                return InputKind.Snapshot;
            }

            reader.Read();
            reader.Skip();
        }

        return null;
    }

    private static string Files(List<(string File, InputKind Kind, JsonDocument? Document)> read, InputKind kind) =>
        string.Join(", ", read.Where(r => r.Kind == kind).Select(r => $"'{r.File}'"));
}
