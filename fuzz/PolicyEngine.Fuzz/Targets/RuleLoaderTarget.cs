using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;
using PolicyEngine.Core.Yaml;

namespace PolicyEngine.Fuzz.Targets;

/// <summary>
/// The rule loader: the file's bytes go through the UTF-8 check, the safe YAML reader, the binder (selectors,
/// regexes, inputs, predicates compiled by Jint's parser) and the compiler's link and catalogue checks. Every
/// outcome must be a rule set or located diagnostics; a failed compilation must say why.
/// </summary>
internal sealed class RuleLoaderTarget : IFuzzTarget
{
    private const string File = "fuzz/rule.yaml";

    // Open: every service and operation is known, so inputs reach the binder's later checks. Created on the first
    // input: instrumented code must not run before SharpFuzz has attached AFL++'s coverage map.
    private RuleCompiler? _compiler;

    public string Name => "rules";

    public void Run(ReadOnlySpan<byte> input)
    {
        var diagnostics = new List<Diagnostic>();
        var text = Utf8TextFile.Decode(input, File, DiagnosticCodes.UnreadableFile, diagnostics);
        if (text is null)
        {
            Expect(diagnostics.Count > 0, "invalid UTF-8 was refused without a diagnostic");
            return;
        }

        _compiler ??= new RuleCompiler(OperationCatalog.Open);
        var compilation = _compiler.Compile([new RuleSource(File, "rule.yaml", text)]);
        Expect(compilation.Success || compilation.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error),
            "the compilation failed without an error diagnostic");
        foreach (var diagnostic in compilation.Diagnostics)
        {
            Expect(diagnostic.Location.File == File, $"{diagnostic.Code} names the file '{diagnostic.Location.File}'");
            Expect(diagnostic.Location.Line >= 0 && diagnostic.Location.Column >= 0, $"{diagnostic.Code} has a negative location");
            Expect(!string.IsNullOrWhiteSpace(diagnostic.Message), $"{diagnostic.Code} has no message");
        }
    }

    private static void Expect(bool condition, string what)
    {
        if (!condition)
        {
            throw new FuzzInvariantException(what);
        }
    }
}
