using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PolicyEngine.Aws.Collection;
using PolicyEngine.Aws.Http;
using PolicyEngine.Aws.Plan;

namespace PolicyEngine.Aws.Tests.Fakes;

/// <summary>
/// A fake AWS endpoint on 127.0.0.1: checks every SigV4 signature, serves the simulated organization driven by the
/// collection plan (every protocol), pages Organizations results (with empty pages that still carry a NextToken),
/// and injects throttling, 5xx, AccessDenied, slow responses and dropped connections deterministically per request key.
/// </summary>
public sealed partial class FakeAwsServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly FakeOrganization _org;
    private readonly CollectionPlan _plan;
    private readonly ConcurrentDictionary<string, (string Secret, string? Token, string Account)> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly ConcurrentDictionary<PlanEntry, (Regex Regex, List<string> Names)> _routes = new();
    private readonly ConcurrentDictionary<string, long> _byService = new(StringComparer.Ordinal);
    private long _requests;
    private long _busyTicks;
    private long _signatureFailures;
    private long _injected;

    public FakeAwsServer(FakeOrganization org, CollectionPlan plan)
    {
        _org = org;
        _plan = plan;
        _keys[FakeOrganization.BaseAccessKey] = (FakeOrganization.BaseSecretKey, null, FakeOrganization.ManagementAccount);
        var port = FreePort();
        BaseUri = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseUri.ToString());
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public Uri BaseUri { get; }
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>The time requests spent in the server, summed: divided by a run's duration, the mean calls in flight.</summary>
    public TimeSpan BusyTime => TimeSpan.FromSeconds((double)Interlocked.Read(ref _busyTicks) / System.Diagnostics.Stopwatch.Frequency);

    /// <summary>Requests per signing service.</summary>
    public long RequestsByService(string signingName) => _byService.TryGetValue(signingName, out var n) ? n : 0;
    public long SignatureFailures => Interlocked.Read(ref _signatureFailures);
    public long InjectedFaults => Interlocked.Read(ref _injected);

    /// <summary>Logical calls the server answered successfully (first page), keyed like evidence with the call region.</summary>
    public ConcurrentDictionary<string, byte> Succeeded { get; } = new(StringComparer.Ordinal);
    /// <summary>Logical calls that got a permanent error: key → code.</summary>
    public ConcurrentDictionary<string, string> Failed { get; } = new(StringComparer.Ordinal);
    /// <summary>Every secret and token the server issued (for leak checks).</summary>
    public IEnumerable<string> IssuedSecrets => _keys.Values.SelectMany(v => new[] { v.Secret, v.Token }).OfType<string>();

    public static string Key(string service, string operation, string account, string region, JsonObject parameters) =>
        $"{service}|{operation}|{account}|{region}|{EvidenceRecord.Canonical(parameters)}";

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // stopping
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext ctx;
            try
            {
                ctx = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested || !_listener.IsListening)
            {
                return;
            }
            catch (HttpListenerException)
            {
                continue;
            }

            _ = Task.Run(() => HandleAsync(ctx));
        }
    }

    private sealed record Reply(int Status, string Body, string ContentType, string? ErrorType = null);

    private async Task HandleAsync(HttpListenerContext ctx)
    {
        Interlocked.Increment(ref _requests);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            using var ms = new MemoryStream();
            await ctx.Request.InputStream.CopyToAsync(ms).ConfigureAwait(false);
            var body = ms.ToArray();
            var reply = await ProcessAsync(ctx.Request, body).ConfigureAwait(false);
            if (reply is null)
            {
                // Dropped connection: promise a body, send part of it, then cut the connection.
                ctx.Response.StatusCode = 200;
                ctx.Response.ContentLength64 = 1000;
                await ctx.Response.OutputStream.WriteAsync("{\"partial\":"u8.ToArray()).ConfigureAwait(false);
                await ctx.Response.OutputStream.FlushAsync().ConfigureAwait(false);
                ctx.Response.Abort();
                return;
            }

            ctx.Response.StatusCode = reply.Status;
            ctx.Response.ContentType = reply.ContentType;
            if (reply.ErrorType is not null)
            {
                ctx.Response.Headers["x-amzn-ErrorType"] = reply.ErrorType;
            }

            var bytes = Encoding.UTF8.GetBytes(reply.Body);
            ctx.Response.ContentLength64 = bytes.Length;
            await ctx.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
            ctx.Response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // client went away
        }
        finally
        {
            Interlocked.Add(ref _busyTicks, System.Diagnostics.Stopwatch.GetTimestamp() - started);
        }
    }

    private async Task<Reply?> ProcessAsync(HttpListenerRequest request, byte[] body)
    {
        if (_org.Latency > TimeSpan.Zero)
        {
            await Task.Delay(_org.Latency).ConfigureAwait(false);
        }

        // 1. Signature.
        var auth = SigV4.ParseAuthorization(request.Headers["Authorization"]);
        if (auth is null || !_keys.TryGetValue(auth.AccessKey, out var key))
        {
            Interlocked.Increment(ref _signatureFailures);
            return Json(403, "UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        var raw = request.RawUrl ?? "/";
        var q = raw.IndexOf('?', StringComparison.Ordinal);
        var rawPath = q < 0 ? raw : raw[..q];
        var rawQuery = q < 0 ? string.Empty : raw[(q + 1)..];
        var signedNames = new HashSet<string>(auth.SignedHeaders.Split(';'), StringComparer.Ordinal);
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var name in request.Headers.AllKeys.OfType<string>())
        {
            headers.Add(new(name, request.Headers[name] ?? string.Empty));
        }

        var payloadHash = SigV4.HexSha256(body);
        var canonical = SigV4.CanonicalRequest(request.HttpMethod, SigV4.CanonicalUri(rawPath, normalize: auth.Service != "s3"), SigV4.CanonicalQuery(rawQuery),
            headers, payloadHash, signedNames, out var signed);
        var amzDate = request.Headers["X-Amz-Date"] ?? string.Empty;
        var signedAt = DateTime.ParseExact(amzDate, SigV4.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        var expected = SigV4.Authorization(auth.AccessKey, key.Secret, auth.Region, auth.Service, signedAt, signed, canonical);
        var tokenOk = key.Token is null || request.Headers["X-Amz-Security-Token"] == key.Token && signedNames.Contains("x-amz-security-token");
        if (signed != auth.SignedHeaders || expected != request.Headers["Authorization"] || !tokenOk)
        {
            Interlocked.Increment(ref _signatureFailures);
            return Json(403, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided.");
        }

        var account = key.Account;
        var region = auth.Region;
        _byService.AddOrUpdate(auth.Service, 1, (_, n) => n + 1);

        // 2. Which operation?
        var form = request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) == true ? ParseForm(Encoding.UTF8.GetString(body)) : null;
        if (auth.Service == "sts" && form is not null && form.TryGetValue("Action", out var stsAction) && stsAction == "AssumeRole")
        {
            return AssumeRole(account, form);
        }

        if (auth.Service == "config" && request.Headers["X-Amz-Target"] is { } configTarget && SelectAnswer(configTarget, account, region, body) is { } selected)
        {
            return selected; // advanced queries: the inventory's own calls, not in the plan
        }

        var (entry, parameters) = Identify(request, auth.Service, body, form, rawPath, rawQuery);
        if (entry is null)
        {
            return Json(400, "UnknownOperationException", "unknown operation");
        }

        if (entry.Pagination is { } pg)
        {
            parameters.Remove(pg.InputToken);
            if (pg.PageSizeParameter is not null)
            {
                parameters.Remove(pg.PageSizeParameter);
            }
        }

        var token = TokenOf(entry, request, body, form, rawQuery);
        var logicalKey = Key(entry.Service, entry.Operation, account, region, parameters);
        var requestKey = logicalKey + "|" + token;

        // 3. Faults.
        var attempt = _attempts.AddOrUpdate(requestKey, 1, (_, n) => n + 1);
        if (_org.DiesAfterOrganization && entry.Service is not ("sts" or "organizations"))
        {
            Failed[logicalKey] = "ConnectionError";
            return null; // dropped connection
        }

        if (_org.AlwaysFail.Contains((account, region, entry.Service, entry.Operation)))
        {
            Failed[logicalKey] = "InternalFailure";
            return Fault(entry, 500, "InternalFailure", "injected permanent failure");
        }

        if (_org.DenyService.Contains((account, entry.Service)))
        {
            Failed[logicalKey] = "AccessDeniedException";
            return Fault(entry, 403, "AccessDeniedException", $"User is not authorized to perform: {entry.IamAction}");
        }

        if (_org.OptedOut.Contains((account, entry.Service)))
        {
            Failed[logicalKey] = "SubscriptionRequiredException";
            return Fault(entry, 400, "SubscriptionRequiredException", "not subscribed");
        }

        var h = Hash(requestKey);
        if (attempt <= 2 && (h % 10_000) < _org.TransientFaultRate * 10_000)
        {
            Interlocked.Increment(ref _injected);
            switch ((h / 10_000) % 6)
            {
                case 0:
                    return entry.Service == "organizations" ? Fault(entry, 400, "TooManyRequestsException", "You have sent too many requests in too short a period of time.")
                        : entry.Definition.Protocol == "ec2" ? Fault(entry, 503, "RequestLimitExceeded", "Request limit exceeded.")
                        : Fault(entry, 400, "ThrottlingException", "Rate exceeded");
                case 1:
                    return new Reply(429, "{\"message\":\"Too Many Requests\"}", "application/json", "TooManyRequestsException");
                case 2:
                    return Fault(entry, 500, "InternalFailure", "injected");
                case 3:
                    return Fault(entry, 503, "ServiceUnavailable", "injected");
                case 4:
                    return null; // dropped connection
                default:
                    await Task.Delay(TimeSpan.FromMilliseconds(20)).ConfigureAwait(false);
                    break;
            }
        }

        // 4. Answer.
        var answer = Answer(entry, account, region, parameters, token);
        if (answer.Status == 200)
        {
            if (token.Length == 0)
            {
                Succeeded[logicalKey] = 0;
            }
        }
        else
        {
            Failed[logicalKey] = answer.ErrorType ?? "?";
        }

        return answer;
    }

    private static ulong Hash(string s)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(s));
        return BitConverter.ToUInt64(bytes, 0);
    }

    private static Dictionary<string, string> ParseForm(string body)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var i = part.IndexOf('=', StringComparison.Ordinal);
            var k = Uri.UnescapeDataString((i < 0 ? part : part[..i]).Replace('+', ' '));
            var v = i < 0 ? string.Empty : Uri.UnescapeDataString(part[(i + 1)..].Replace('+', ' '));
            d[k] = v;
        }

        return d;
    }

    private (PlanEntry? Entry, JsonObject Parameters) Identify(HttpListenerRequest request, string signingName, byte[] body, Dictionary<string, string>? form, string rawPath, string rawQuery)
    {
        var services = _plan.Services.Where(s => s.SigningName == signingName).ToList();
        var target = request.Headers["X-Amz-Target"];
        if (target is not null)
        {
            var dot = target.LastIndexOf('.');
            var prefix = target[..dot];
            var op = target[(dot + 1)..];
            var svc = services.FirstOrDefault(s => s.TargetPrefix == prefix);
            var entries = svc?.Operations.Where(e => e.Operation == op).ToList() ?? [];
            var p = body.Length == 0 ? [] : (JsonObject)JsonNode.Parse(body)!;
            var e = entries.FirstOrDefault(x => Matches(x, p)) ?? entries.FirstOrDefault();
            return (e, p);
        }

        if (form is not null && form.TryGetValue("Action", out var action))
        {
            var e = services.SelectMany(s => s.Operations).FirstOrDefault(x => x.Operation == action);
            var p = new JsonObject();
            foreach (var (k, v) in form.Where(kv => kv.Key is not ("Action" or "Version")))
            {
                p[k] = v;
            }

            return (e, p);
        }

        foreach (var e in services.SelectMany(s => s.Operations).Where(e => e.Method == request.HttpMethod))
        {
            var (regex, names) = _routes.GetOrAdd(e, entry =>
            {
                var n = new List<string>();
                var pattern = "^" + PathParam().Replace(Regex.Escape(entry.Path).Replace("\\{", "{", StringComparison.Ordinal), m =>
                {
                    n.Add(m.Groups[1].Value);
                    return "([^/]+)";
                }) + "$";
                return (new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant), n);
            });
            var match = regex.Match(rawPath);
            if (!match.Success)
            {
                continue;
            }

            var p = body.Length == 0 ? [] : (JsonObject)JsonNode.Parse(body)!;
            for (var i = 0; i < names.Count; i++)
            {
                p[names[i]] = Uri.UnescapeDataString(match.Groups[i + 1].Value);
            }

            var reverse = e.Locations.ToDictionary(kv => kv.Value, kv => kv.Key, StringComparer.OrdinalIgnoreCase);
            foreach (var part in rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var i = part.IndexOf('=', StringComparison.Ordinal);
                var k = Uri.UnescapeDataString(part[..i]);
                if (e.FixedQuery.Any(fq => fq.Key == k))
                {
                    continue; // fixed query (e.g. S3 ?encryption) is not a parameter
                }

                p[reverse.TryGetValue("query:" + k, out var n) ? n : k] = Uri.UnescapeDataString(part[(i + 1)..]);
            }

            foreach (var (param, loc) in e.Locations.Where(kv => kv.Value.StartsWith("header:", StringComparison.Ordinal)))
            {
                if (request.Headers[loc[7..]] is { } hv)
                {
                    p[param] = hv;
                }
            }

            return (e, p);
        }

        return (null, []);
    }

    private static bool Matches(PlanEntry e, JsonObject p) =>
        e.Parameters.All(kv => kv.Value is null || kv.Value.ToJsonString().Contains("${", StringComparison.Ordinal) || p[kv.Key]?.ToJsonString() == kv.Value.ToJsonString());

    private static string TokenOf(PlanEntry e, HttpListenerRequest request, byte[] body, Dictionary<string, string>? form, string rawQuery)
    {
        if (e.Pagination is null)
        {
            return string.Empty;
        }

        if (e.Definition.Protocol is "json" || (e.Definition.Protocol == "rest-json" && e.Method == "POST"))
        {
            return body.Length > 0 && JsonNode.Parse(body)?[e.Pagination.InputToken] is JsonValue v ? v.GetValue<string>() : string.Empty;
        }

        foreach (var part in rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var i = part.IndexOf('=', StringComparison.Ordinal);
            if (Uri.UnescapeDataString(part[..i]) == e.Pagination.InputToken)
            {
                return Uri.UnescapeDataString(part[(i + 1)..]);
            }
        }

        return form is not null && form.TryGetValue(e.Pagination.InputToken, out var t) ? t : string.Empty;
    }

    private static Reply Json(int status, string code, string message) =>
        new(status, JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = code, ["message"] = message }), "application/x-amz-json-1.1");

    private static Reply Fault(PlanEntry e, int status, string code, string message) => e.Definition.Protocol switch
    {
        "ec2" => new Reply(status, $"<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors><RequestID>r</RequestID></Response>", "text/xml"),
        "query" or "rest-xml" => new Reply(status, $"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error></ErrorResponse>", "text/xml"),
        "rest-json" => new Reply(status, JsonSerializer.Serialize(new Dictionary<string, string> { ["message"] = message }), "application/json", code),
        _ => Json(status, "com.amazonaws.fake#" + code, message),
    };

    private Reply AssumeRole(string caller, Dictionary<string, string> form)
    {
        var arn = form.GetValueOrDefault("RoleArn") ?? string.Empty;
        var target = arn.Split(':').ElementAtOrDefault(4) ?? string.Empty;
        var roleName = arn[(arn.LastIndexOf('/') + 1)..];
        var account = _org.Find(target);
        if (caller != FakeOrganization.ManagementAccount || account is null || _org.DenyAssumeRole.Contains(target) || roleName != _org.RoleName
            || (_org.ExternalId is not null && form.GetValueOrDefault("ExternalId") != _org.ExternalId))
        {
            return new Reply(403, $"<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: sts:AssumeRole on resource: {arn}</Message></Error><RequestId>1</RequestId></ErrorResponse>", "text/xml");
        }

        var ak = "ASIAFAKE" + target;
        var secret = "FAKEassumedSECRET/" + target + "+leakcheck";
        var token = "FAKEsessionTOKEN" + target + "leakcheckTOKEN";
        _keys[ak] = (secret, token, target);
        var exp = DateTime.UtcNow.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return new Reply(200, $"<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult><Credentials><AccessKeyId>{ak}</AccessKeyId><SecretAccessKey>{secret}</SecretAccessKey><SessionToken>{token}</SessionToken><Expiration>{exp}</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROAFAKE:{form.GetValueOrDefault("RoleSessionName")}</AssumedRoleId><Arn>arn:aws:sts::{target}:assumed-role/{roleName}/s</Arn></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleResponse>", "text/xml");
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex PathParam();
}
