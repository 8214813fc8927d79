using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime.Internal.Auth;

namespace PolicyEngine.Aws.Http;

/// <summary>
/// Builds SigV4 canonical requests and signs them with AWSSDK.Core's <see cref="AWS4Signer"/>.
/// The canonicalisation is ours (so that it can be checked against the SigV4 test suite and reused by the
/// loopback test server); the key derivation and HMAC are the SDK's.
/// </summary>
internal static class SigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string DateFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>Hex SHA-256 of a payload.</summary>
    public static string HexSha256(ReadOnlySpan<byte> payload) => Convert.ToHexStringLower(SHA256.HashData(payload));

    /// <summary>RFC 3986 percent-encoding of everything but the unreserved characters.</summary>
    public static string UriEncode(string value, bool keepSlash = false)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var sb = new StringBuilder(bytes.Length * 2);
        foreach (var b in bytes)
        {
            var c = (char)b;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~' || (keepSlash && c == '/'))
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// Canonical URI. <paramref name="path"/> is taken as written; with <paramref name="normalize"/> the dot segments and
    /// repeated slashes are removed; each segment is then percent-encoded once (the caller passes the already-encoded
    /// request path for services other than S3, which gives AWS's double encoding).
    /// </summary>
    public static string CanonicalUri(string path, bool normalize)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "/";
        }

        var segments = path.Split('/');
        var output = new List<string>();
        for (var i = 0; i < segments.Length; i++)
        {
            var s = segments[i];
            if (normalize)
            {
                if (s.Length == 0 || s == ".")
                {
                    continue;
                }

                if (s == "..")
                {
                    if (output.Count > 0)
                    {
                        output.RemoveAt(output.Count - 1);
                    }

                    continue;
                }
            }

            output.Add(UriEncode(s));
        }

        if (!normalize)
        {
            return string.Join('/', output);
        }

        var result = "/" + string.Join('/', output);
        var endsWithSlash = path.EndsWith('/') || path.EndsWith("/.", StringComparison.Ordinal) || path.EndsWith("/..", StringComparison.Ordinal);
        if (endsWithSlash && output.Count > 0)
        {
            result += "/";
        }

        return result;
    }

    /// <summary>Canonical query string from a raw query (without '?'): decoded, re-encoded, sorted by key then value.</summary>
    public static string CanonicalQuery(string rawQuery)
    {
        if (string.IsNullOrEmpty(rawQuery))
        {
            return string.Empty;
        }

        var pairs = new List<(string Key, string Value)>();
        foreach (var part in rawQuery.Split('&'))
        {
            if (part.Length == 0)
            {
                continue;
            }

            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var k = eq < 0 ? part : part[..eq];
            var v = eq < 0 ? string.Empty : part[(eq + 1)..];
            pairs.Add((UriEncode(Uri.UnescapeDataString(k)), UriEncode(Uri.UnescapeDataString(v))));
        }

        pairs.Sort((a, b) =>
        {
            var c = string.CompareOrdinal(a.Key, b.Key);
            return c != 0 ? c : string.CompareOrdinal(a.Value, b.Value);
        });
        return string.Join('&', pairs.Select(p => p.Key + "=" + p.Value));
    }

    /// <summary>Canonical header value: trimmed, runs of spaces collapsed.</summary>
    public static string CanonicalHeaderValue(string value)
    {
        var sb = new StringBuilder(value.Length);
        var space = false;
        foreach (var ch in value.Trim())
        {
            if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r')
            {
                space = true;
                continue;
            }

            if (space && sb.Length > 0)
            {
                sb.Append(' ');
            }

            space = false;
            sb.Append(ch);
        }

        return sb.ToString();
    }

    /// <summary>
    /// Builds the canonical request. Headers with the same name (case-insensitive) are joined with commas in the
    /// order given. Only headers named in <paramref name="signedHeaderNames"/> (or all when null) take part.
    /// </summary>
    public static string CanonicalRequest(string method, string canonicalUri, string canonicalQuery,
        IEnumerable<KeyValuePair<string, string>> headers, string payloadHash, ISet<string>? signedHeaderNames, out string signedHeaders)
    {
        var map = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            var key = name.Trim().ToLowerInvariant();
            if (signedHeaderNames is not null && !signedHeaderNames.Contains(key))
            {
                continue;
            }

            if (!map.TryGetValue(key, out var list))
            {
                list = [];
                map[key] = list;
            }

            list.Add(CanonicalHeaderValue(value));
        }

        var sb = new StringBuilder();
        sb.Append(method).Append('\n').Append(canonicalUri).Append('\n').Append(canonicalQuery).Append('\n');
        foreach (var (k, v) in map)
        {
            sb.Append(k).Append(':').Append(string.Join(',', v)).Append('\n');
        }

        signedHeaders = string.Join(';', map.Keys);
        sb.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHash);
        return sb.ToString();
    }

    /// <summary>The Authorization header value for a canonical request (signature by AWSSDK.Core's AWS4Signer).</summary>
    public static string Authorization(string accessKey, string secretKey, string region, string service, DateTime signedAtUtc,
        string signedHeaders, string canonicalRequest)
    {
        var result = AWS4Signer.ComputeSignature(accessKey, secretKey, region, signedAtUtc, service, signedHeaders, canonicalRequest);
        return result.ForAuthorizationHeader;
    }

    /// <summary>Parses an Authorization header into its parts; null when it is not SigV4.</summary>
    public static ParsedAuthorization? ParseAuthorization(string? header)
    {
        if (header is null || !header.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return null;
        }

        string? credential = null, signed = null, signature = null;
        foreach (var part in header[(Algorithm.Length + 1)..].Split(','))
        {
            var p = part.Trim();
            if (p.StartsWith("Credential=", StringComparison.Ordinal))
            {
                credential = p["Credential=".Length..];
            }
            else if (p.StartsWith("SignedHeaders=", StringComparison.Ordinal))
            {
                signed = p["SignedHeaders=".Length..];
            }
            else if (p.StartsWith("Signature=", StringComparison.Ordinal))
            {
                signature = p["Signature=".Length..];
            }
        }

        var scope = credential?.Split('/');
        if (scope is not { Length: 5 } || signed is null || signature is null)
        {
            return null;
        }

        return new ParsedAuthorization(scope[0], scope[1], scope[2], scope[3], signed, signature);
    }
}

/// <summary>The parts of a SigV4 Authorization header.</summary>
internal sealed record ParsedAuthorization(string AccessKey, string Date, string Region, string Service, string SignedHeaders, string Signature);
