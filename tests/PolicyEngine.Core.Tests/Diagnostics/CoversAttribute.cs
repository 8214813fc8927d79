namespace PolicyEngine.Core.Tests.Diagnostics;

/// <summary>
/// Marks a test as asserting a diagnostic code exactly. <see cref="DiagnosticCoverageTests.Every_code_is_covered"/>
/// reflects over these attributes, so a code added to DiagnosticCodes without a test fails the build's tests.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
internal sealed class CoversAttribute(string code) : Attribute
{
    public string Code { get; } = code;
}
