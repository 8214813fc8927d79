using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace PolicyEngine.Core.Tests.Reporting;

/// <summary>
/// Validates JUnit XML against Schemas/junit/junit.xsd (the dialect CI test reporters read) and checks what XSD 1.0
/// cannot: every testsuite's counts equal its testcases, and the root's counts are the sums of its testsuites'.
/// </summary>
internal static class JUnitSchema
{
    private static readonly Lazy<XmlSchemaSet> Schemas = new(() =>
    {
        var set = new XmlSchemaSet();
        var path = Path.Combine(PolicyEngine.Tests.Shared.TestRepository.Root, "tests", "PolicyEngine.Core.Tests", "Reporting", "Schemas", "junit", "junit.xsd");
        using (var reader = XmlReader.Create(path))
        {
            set.Add(null, reader);
        }

        set.Compile();
        return set;
    });

    /// <summary>The problems found, empty when the document is valid.</summary>
    public static IReadOnlyList<string> Validate(string xml)
    {
        var problems = new List<string>();
        var document = XDocument.Parse(xml, LoadOptions.SetLineInfo);
        document.Validate(Schemas.Value, (_, e) => problems.Add($"{e.Exception?.LineNumber}:{e.Exception?.LinePosition}: {e.Message}"));
        if (problems.Count > 0)
        {
            return problems;
        }

        var root = document.Root!;
        var suites = root.Elements("testsuite").ToList();
        foreach (var suite in suites)
        {
            var cases = suite.Elements("testcase").ToList();
            Check(problems, suite, "tests", cases.Count);
            Check(problems, suite, "failures", cases.Count(c => c.Element("failure") is not null));
            Check(problems, suite, "errors", cases.Count(c => c.Element("error") is not null));
            Check(problems, suite, "skipped", cases.Count(c => c.Element("skipped") is not null));
        }

        foreach (var count in new[] { "tests", "failures", "errors", "skipped" })
        {
            Check(problems, root, count, suites.Sum(s => Count(s, count)));
        }

        return problems;
    }

    private static int Count(XElement element, string name) => int.Parse(element.Attribute(name)!.Value, CultureInfo.InvariantCulture);

    private static void Check(List<string> problems, XElement element, string name, int expected)
    {
        if (Count(element, name) != expected)
        {
            problems.Add($"{element.Name.LocalName} '{element.Attribute("name")?.Value}': {name}={Count(element, name)}, but it holds {expected}");
        }
    }
}
