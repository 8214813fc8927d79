using System.CommandLine;
using PolicyEngine.Core.Authoring;
using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Files;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Cli.Commands;

/// <summary>
/// <c>new rule ID --target KIND [--operation service:Op] [--resource-type TYPE] [--output DIR]</c>: scaffolds a rule
/// and its test file (pass, fail and insufficientData cases). The rule is compiled with the shipped pack and the
/// rules already in DIR before anything is written, so a malformed or taken id, an unknown target or operation is a
/// diagnostic and nothing is written; existing files are never overwritten.
/// </summary>
internal static class NewCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var id = new Argument<string>("id") { Description = "The new rule's id, e.g. ACME-GUARDDUTY-01 (upper-case words joined by '-', ending in a number)." };
        var target = new Option<string>("--target")
        {
            Description = "What the rule is evaluated for: organization, account, account-region, resource or evidence.",
            Required = true,
        };
        target.AcceptOnlyFromAmong(Enum.GetValues<TargetKind>().Select(k => k.ToName()).ToArray());
        var operation = new Option<string?>("--operation") { Description = "The evidence the rule reads, service:Operation from the collection plan (required except with --target resource)." };
        var resourceType = new Option<string?>("--resource-type") { Description = "With --target resource: the AWS Config resource type, e.g. AWS::S3::Bucket." };
        var outputDirectory = new Option<string>("--output", "-o") { Description = "The directory to write ID.yaml and ID.tests.yaml to. Default: the current directory.", DefaultValueFactory = _ => "." };
        var collectors = CommonOptions.Collectors();
        var rule = new Command("rule", "Scaffold a rule and its test file with pass, fail and insufficientData cases.")
        {
            id, target, operation, resourceType, outputDirectory, collectors,
        };
        rule.SetAction(parse => Scaffold(parse.GetValue(id)!, parse.GetValue(target)!, parse.GetValue(operation), parse.GetValue(resourceType),
            parse.GetValue(outputDirectory)!, parse.GetValue(collectors), output, error));
        return new Command("new", "Create files from templates.") { rule };
    }

    private static int Scaffold(string id, string targetName, string? operationText, string? resourceType, string directory, string[]? collectors,
        TextWriter output, TextWriter error)
    {
        var kind = Enum.GetValues<TargetKind>().First(k => k.ToName() == targetName);
        if (kind == TargetKind.Resource ? operationText is not null || resourceType is null : operationText is null || resourceType is not null)
        {
            error.WriteLine(kind == TargetKind.Resource
                ? "error: --target resource needs --resource-type (e.g. AWS::S3::Bucket) and reads the configuration item itself, not --operation."
                : $"error: --target {targetName} needs --operation service:Operation, the evidence the rule reads (see the collection plan); --resource-type is only for --target resource.");
            return ExitCodes.UsageError;
        }

        OperationName? operation = null;
        if (operationText is not null && !OperationName.TryParse(operationText, out operation))
        {
            error.WriteLine($"error: --operation '{operationText}' must look like service:Operation, e.g. guardduty:ListDetectors.");
            return ExitCodes.UsageError;
        }

        var planDiagnostics = new List<Diagnostic>();
        if (CommonOptions.LoadCatalog(collectors, planDiagnostics) is not { } catalog)
        {
            foreach (var diagnostic in Diagnostic.Sort(planDiagnostics))
            {
                error.WriteLine(diagnostic);
            }

            return ExitCodes.InvalidInput;
        }

        var rulePath = Path.Combine(directory, id + ".yaml");
        var testsPath = Path.Combine(directory, id + ".tests.yaml");
        var schemas = FindSchemas(directory);
        var request = new RuleScaffoldRequest
        {
            Id = id,
            Target = kind,
            Operation = operation,
            Sites = operation is not null && catalog.Find(operation) is { } collected ? collected.Sites : [],
            ResourceType = resourceType,
            RuleSchemaPath = ModelinePath(directory, schemas.Directory, "rule.schema.json"),
            TestsSchemaPath = SchemasCommand.Shipped().Contains(SchemasCommand.RuleTestsSchema)
                ? ModelinePath(directory, schemas.Directory, SchemasCommand.RuleTestsSchema)
                : null,
        };
        foreach (var path in new[] { rulePath, testsPath }.Where(File.Exists))
        {
            error.WriteLine($"error: {path.Replace('\\', '/')} already exists; nothing was written (new never overwrites a file).");
            return ExitCodes.InvalidInput;
        }

        var ruleText = RuleScaffold.RuleText(request);
        var testsText = RuleScaffold.TestsText(request);

        // The new rule compiles after the shipped pack and the rules already in the directory, so a taken id is PE1004 on it.
        var display = rulePath.Replace('\\', '/');
        var sources = new List<RuleSource>();
        var earlier = new List<Diagnostic>();
        foreach (var existing in Directory.Exists(directory) ? new[] { DefaultPaths.RulesDirectory, directory } : [DefaultPaths.RulesDirectory])
        {
            sources.AddRange(RuleCompiler.LoadSources(existing, earlier));
        }

        sources.Add(new RuleSource(display, Path.GetFileName(rulePath), ruleText));
        var problems = new RuleCompiler(catalog).Compile(sources).Diagnostics.Where(d => d.Location.File == display).ToList();
        foreach (var problem in problems)
        {
            error.WriteLine(problem);
        }

        if (problems.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            error.WriteLine("Nothing was written.");
            return ExitCodes.InvalidInput;
        }

        if (!schemas.Found)
        {
            SchemasCommand.Write(schemas.Directory);
            output.WriteLine($"Wrote the JSON Schemas to {DefaultPaths.Display(schemas.Directory)} for the files' modelines.");
        }

        try
        {
            AtomicFile.CreateNew(rulePath, ruleText);
            AtomicFile.CreateNew(testsPath, testsText);
        }
        catch (IOException ex) when (File.Exists(rulePath) || File.Exists(testsPath))
        {
            error.WriteLine($"error: {ex.Message}");
            return ExitCodes.InvalidInput;
        }

        output.WriteLine($"Created {display} and {testsPath.Replace('\\', '/')} (pass, fail and insufficientData cases).");
        output.WriteLine("Replace the TODOs and the placeholder assertion ($.Enabled), then check the pack with");
        output.WriteLine($"  policy-engine validate --rules builtin --rules {directory.Replace('\\', '/')}");
        return ExitCodes.Success;
    }

    /// <summary>
    /// The <c>.schemas</c> directory a modeline should point to: the nearest one in the output directory or above it
    /// (so one <c>policy-engine schemas</c> at the pack's root serves every sub-directory), else a new one beside the rule.
    /// </summary>
    private static (string Directory, bool Found) FindSchemas(string directory)
    {
        for (var current = new DirectoryInfo(Path.GetFullPath(directory)); current is not null; current = current.Parent)
        {
            var candidate = Path.Combine(current.FullName, SchemasCommand.DefaultDirectory);
            if (File.Exists(Path.Combine(candidate, "rule.schema.json")))
            {
                return (candidate, true);
            }
        }

        return (Path.Combine(Path.GetFullPath(directory), SchemasCommand.DefaultDirectory), false);
    }

    private static string ModelinePath(string directory, string schemasDirectory, string schema)
    {
        var relative = Path.GetRelativePath(Path.GetFullPath(directory), Path.Combine(schemasDirectory, schema)).Replace('\\', '/');
        return relative.StartsWith("../", StringComparison.Ordinal) ? relative : "./" + relative;
    }
}
