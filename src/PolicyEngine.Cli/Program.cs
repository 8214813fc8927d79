using System.CommandLine;
using PolicyEngine.Cli.Commands;

namespace PolicyEngine.Cli;

/// <summary>The <c>policy-engine</c> command line. Commands only wire options to the engine; no logic lives here.</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        using var standardOutput = Console.OpenStandardOutput();
        using var interruption = new Interruption();
        var code = Run(args, standardOutput, Console.Out, Console.Error, () => !Console.IsOutputRedirected, interruption.Token);
        return code == ExitCodes.Cancelled ? interruption.ExitCode : code;
    }

    /// <summary>Runs the CLI with explicit streams (tests call this).</summary>
    internal static int Run(string[] args, Stream standardOutput, TextWriter output, TextWriter error, Func<bool> isTerminal, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("policy-engine: measure an AWS organization against the AWS Security Reference Architecture.")
        {
            EvaluateCommand.Create(standardOutput, error, isTerminal),
            DiffCommand.Create(standardOutput, output, error),
            MergeCommand.Create(standardOutput, error, isTerminal),
            ValidateCommand.Create(standardOutput, output, error),
            ListRulesCommand.Create(output, error),
            CollectCommand.Create(output, error, isTerminal),
            ImportCommand.Create(output, error),
            SampleEvidenceCommand.Create(output, error),
            TestCommand.Create(standardOutput, output, error),
            SchemasCommand.Create(output, error),
            NewCommand.Create(output, error),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors)
            {
                error.WriteLine($"error: {problem.Message}");
            }

            error.WriteLine("Run 'policy-engine --help' for usage.");
            return ExitCodes.UsageError;
        }

        try
        {
            // Signals are Interruption's: System.CommandLine's own handler would end the process after a grace period,
            // leaving temporary files behind and printing nothing.
            var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            return parse.InvokeAsync(configuration, cancellationToken).GetAwaiter().GetResult();
        }
        catch (IOException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (UnauthorizedAccessException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return ExitCodes.InvalidInput;
        }
    }
}
