using System.Globalization;
using System.Text;
using PolicyEngine.Aws.Http;

namespace PolicyEngine.Aws.Tests;

/// <summary>Checks our canonicalisation plus AWSSDK.Core's signature against every vector of the SigV4 test suite.</summary>
public sealed class SigV4SuiteTests
{
    private const string AccessKey = "AKIDEXAMPLE";
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "TestData", "sigv4");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var req in Directory.EnumerateFiles(Root, "*.req", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(Root, Path.GetDirectoryName(req)!).Replace('\\', '/'));
        }

        return data;
    }

    [Fact]
    public void SuiteIsComplete() => Assert.Equal(34, Cases().Count);

    [Theory]
    [MemberData(nameof(Cases))]
    public void CanonicalRequestAndSignatureMatchTheSuite(string name)
    {
        var dir = Path.Combine(Root, name);
        var leaf = Path.GetFileName(dir);
        string Read(string ext) => File.ReadAllText(Path.Combine(dir, leaf + ext)).Replace("\r\n", "\n", StringComparison.Ordinal);

        var (method, path, query, headers, body) = ParseRequest(Read(".req"));
        if (leaf == "post-sts-header-after")
        {
            // The token is added after signing in this case.
            headers.RemoveAll(h => h.Key.Equals("X-Amz-Security-Token", StringComparison.OrdinalIgnoreCase));
        }

        if (leaf == "get-vanilla-with-session-token")
        {
            // The vector's request is unsigned and tokenless; like AwsHttpClient, add the session token before signing.
            headers.Add(new("X-Amz-Security-Token", "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"));
        }

        var canonical = SigV4.CanonicalRequest(method, SigV4.CanonicalUri(path, normalize: true), SigV4.CanonicalQuery(query), headers,
            SigV4.HexSha256(Encoding.UTF8.GetBytes(body)), null, out var signed);
        Assert.Equal(Read(".creq"), canonical);

        var date = headers.First(h => h.Key.Equals("X-Amz-Date", StringComparison.OrdinalIgnoreCase)).Value;
        var signedAt = DateTime.ParseExact(date, SigV4.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        var authz = SigV4.Authorization(AccessKey, SecretKey, "us-east-1", "service", signedAt, signed, canonical);
        Assert.Equal(Read(".authz"), authz);
    }

    private static (string Method, string Path, string Query, List<KeyValuePair<string, string>> Headers, string Body) ParseRequest(string text)
    {
        var split = text.IndexOf("\n\n", StringComparison.Ordinal);
        var head = split < 0 ? text : text[..split];
        var body = split < 0 ? string.Empty : text[(split + 2)..];
        var lines = head.Split('\n');
        var requestLine = lines[0];
        var firstSpace = requestLine.IndexOf(' ', StringComparison.Ordinal);
        var lastSpace = requestLine.LastIndexOf(' ');
        var method = requestLine[..firstSpace];
        var target = requestLine[(firstSpace + 1)..lastSpace];
        var q = target.IndexOf('?', StringComparison.Ordinal);
        var path = q < 0 ? target : target[..q];
        var query = q < 0 ? string.Empty : target[(q + 1)..];
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (line.Length > 0 && char.IsWhiteSpace(line[0]) && headers.Count > 0)
            {
                var last = headers[^1];
                headers[^1] = new(last.Key, last.Value + " " + line.Trim());
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers.Add(new(line[..colon], line[(colon + 1)..]));
        }

        return (method, path, query, headers, body);
    }
}
