using System.Globalization;
using System.Text;
using System.Xml;

namespace PolicyEngine.Core.Reporting;

/// <summary>How a JUnit testcase ended, when it did not pass.</summary>
public enum JUnitResultKind
{
    /// <summary>A <c>&lt;failure&gt;</c>: the test ran and its check failed.</summary>
    Failure,

    /// <summary>An <c>&lt;error&gt;</c>: the test could not run.</summary>
    Error,

    /// <summary>A <c>&lt;skipped&gt;</c>: the test was deliberately not counted.</summary>
    Skipped,
}

/// <summary>The child element of a testcase that did not pass.</summary>
/// <param name="Kind">failure, error or skipped.</param>
/// <param name="Message">The <c>message</c> attribute: one line that CI shows beside the test name.</param>
/// <param name="Type">The <c>type</c> attribute, or null to leave it out.</param>
/// <param name="Text">The element's text (the details), or null for an empty element.</param>
public sealed record JUnitResult(JUnitResultKind Kind, string Message, string? Type, string? Text);

/// <summary>One testcase: <c>classname</c> and <c>name</c> identify it; a null result means it passed.</summary>
/// <param name="ClassName">The <c>classname</c> attribute (CI groups testcases by it).</param>
/// <param name="Name">The <c>name</c> attribute.</param>
/// <param name="File">The <c>file</c> attribute, or null.</param>
/// <param name="Line">The <c>line</c> attribute, or null.</param>
/// <param name="Result">Failure, error or skipped; null when the testcase passed.</param>
public sealed record JUnitCase(string ClassName, string Name, string? File, int? Line, JUnitResult? Result);

/// <summary>One testsuite and its testcases.</summary>
/// <param name="Name">The <c>name</c> attribute.</param>
/// <param name="File">The <c>file</c> attribute, or null.</param>
/// <param name="Cases">The testcases, in the order written.</param>
public sealed record JUnitSuite(string Name, string? File, IReadOnlyList<JUnitCase> Cases);

/// <summary>
/// The one JUnit XML writer of the tool (<c>test --format junit</c> and <c>evaluate --format junit</c>), in the dialect
/// Jenkins, GitLab and GitHub test reporters read: <c>&lt;testsuites&gt;</c> holding <c>&lt;testsuite&gt;</c>
/// elements, each with <c>tests</c>, <c>failures</c>, <c>errors</c> and <c>skipped</c> counts (the root's are the sums),
/// holding <c>&lt;testcase classname name [file line]&gt;</c> elements with at most one <c>&lt;failure&gt;</c>,
/// <c>&lt;error&gt;</c> or <c>&lt;skipped&gt;</c> child. The counts are computed here from the testcases, so they can
/// never disagree with them. No times are written: the same input gives the same bytes.
/// </summary>
public static class JUnitXml
{
    /// <summary>Writes the document (UTF-8 without BOM, two-space indent, LF, a final newline) and flushes.</summary>
    public static void Write(Stream stream, string name, IReadOnlyList<JUnitSuite> suites)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(suites);
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, IndentChars = "  ", NewLineChars = "\n" };
        using (var xml = XmlWriter.Create(stream, settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("testsuites");
            xml.WriteAttributeString("name", Clean(name));
            Counts(xml, suites.SelectMany(s => s.Cases).ToArray());
            foreach (var suite in suites)
            {
                xml.WriteStartElement("testsuite");
                xml.WriteAttributeString("name", Clean(suite.Name));
                Counts(xml, suite.Cases);
                if (suite.File is not null)
                {
                    xml.WriteAttributeString("file", Clean(suite.File));
                }

                foreach (var testCase in suite.Cases)
                {
                    WriteCase(xml, testCase);
                }

                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndDocument();
            xml.Flush();
        }

        stream.WriteByte((byte)'\n');
        stream.Flush();
    }

    private static void WriteCase(XmlWriter xml, JUnitCase testCase)
    {
        xml.WriteStartElement("testcase");
        xml.WriteAttributeString("classname", Clean(testCase.ClassName));
        xml.WriteAttributeString("name", Clean(testCase.Name));
        if (testCase.File is not null)
        {
            xml.WriteAttributeString("file", Clean(testCase.File));
        }

        if (testCase.Line is { } line)
        {
            xml.WriteAttributeString("line", line.ToString(CultureInfo.InvariantCulture));
        }

        if (testCase.Result is { } result)
        {
            xml.WriteStartElement(result.Kind switch { JUnitResultKind.Failure => "failure", JUnitResultKind.Error => "error", _ => "skipped" });
            xml.WriteAttributeString("message", Clean(result.Message));
            if (result.Type is not null)
            {
                xml.WriteAttributeString("type", Clean(result.Type));
            }

            if (result.Text is not null)
            {
                xml.WriteString(Clean(result.Text));
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    private static void Counts(XmlWriter xml, IReadOnlyList<JUnitCase> cases)
    {
        xml.WriteAttributeString("tests", cases.Count.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("failures", cases.Count(c => c.Result?.Kind == JUnitResultKind.Failure).ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("errors", cases.Count(c => c.Result?.Kind == JUnitResultKind.Error).ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("skipped", cases.Count(c => c.Result?.Kind == JUnitResultKind.Skipped).ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// XML 1.0 cannot hold most control characters, even escaped: those (and unpaired surrogates) become <c>\uXXXX</c>,
    /// so a resource name from the snapshot can never make the report unreadable. Tab and LF stay.
    /// </summary>
    private static string Clean(string text)
    {
        if (!text.Any(c => !IsXmlChar(c) || char.IsSurrogate(c)))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else if (IsXmlChar(c) && !char.IsSurrogate(c))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
        }

        return builder.ToString();
    }

    private static bool IsXmlChar(char c) => c is '\t' or '\n' || (c >= ' ' && c != '\uFFFE' && c != '\uFFFF' && c != '\r');
}
