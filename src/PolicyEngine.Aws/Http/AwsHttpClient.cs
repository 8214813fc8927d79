using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml;
using Amazon.Runtime;

namespace PolicyEngine.Aws.Http;

/// <summary>One signed HTTP call to an AWS endpoint, protocol-neutral.</summary>
internal sealed class AwsRequest
{
    public required string Service { get; init; }
    public required string SigningName { get; init; }
    public required string SigningRegion { get; init; }
    public required Uri Endpoint { get; init; }
    public string Method { get; init; } = "POST";
    /// <summary>The request path, already percent-encoded for the URL.</summary>
    public string Path { get; init; } = "/";
    public List<KeyValuePair<string, string>> Query { get; init; } = [];
    public Dictionary<string, string> Headers { get; init; } = new(StringComparer.OrdinalIgnoreCase);
    public byte[] Body { get; init; } = [];
    public string? ContentType { get; init; }
    /// <summary>S3-style signing: the path is not normalised nor encoded a second time.</summary>
    public bool S3Style { get; init; }
}

/// <summary>The outcome of a call after retries.</summary>
internal sealed class AwsResponse
{
    public int HttpStatus { get; init; }
    public byte[] Body { get; init; } = [];
    public string? ErrorCode { get; init; }
    public string? ErrorMessage { get; init; }
    public int Attempts { get; init; }
    public bool IsSuccess => ErrorCode is null && HttpStatus is >= 200 and < 300;
}

/// <summary>Retry settings: bounded attempts, full-jitter exponential backoff.</summary>
public sealed class RetrySettings
{
    /// <summary>Total attempts per call, including the first (default 6).</summary>
    public int MaxAttempts { get; init; } = 6;
    /// <summary>Base of the exponential backoff (default 200 ms).</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);
    /// <summary>Cap of one backoff delay (default 20 s).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(20);
    /// <summary>Timeout of one attempt (default 60 s).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>Counters shared by all calls of one collection run.</summary>
internal sealed class CallCounters
{
    private long _calls;
    private long _throttles;
    private long _retries;

    public long Calls => Interlocked.Read(ref _calls);
    public long Throttles => Interlocked.Read(ref _throttles);
    public long Retries => Interlocked.Read(ref _retries);
    public void Call() => Interlocked.Increment(ref _calls);
    public void Throttle() => Interlocked.Increment(ref _throttles);
    public void Retry() => Interlocked.Increment(ref _retries);
}

/// <summary>
/// Bounds concurrent calls overall, and per service within one caller and region. AWS applies its API rate limits per
/// account and region, so that is where a per-service bound protects anything: bounding a service across the whole
/// organization held a 32-call collection to 16 calls in flight whenever most pending calls were of one service (every
/// account's GuardDuty calls at once), about half the concurrency asked for. A service with an override (Organizations:
/// one endpoint, called with the management account's credentials) is bounded by its override the same way.
/// </summary>
internal sealed class ConcurrencyGate(int overall, int perService, IReadOnlyDictionary<string, int>? serviceOverrides = null) : IDisposable
{
    private readonly SemaphoreSlim _overall = new(Math.Max(1, overall));
    private readonly Dictionary<(string Service, string Caller), SemaphoreSlim> _perService = [];
    private readonly Lock _lock = new();

    public void Dispose()
    {
        _overall.Dispose();
        lock (_lock)
        {
            foreach (var s in _perService.Values)
            {
                s.Dispose();
            }
        }
    }

    private SemaphoreSlim ForService(string service, string caller)
    {
        lock (_lock)
        {
            if (!_perService.TryGetValue((service, caller), out var s))
            {
                var limit = serviceOverrides is not null && serviceOverrides.TryGetValue(service, out var o) ? o : perService;
                s = new SemaphoreSlim(Math.Max(1, limit));
                _perService[(service, caller)] = s;
            }

            return s;
        }
    }

    /// <summary>Waits for a call slot.</summary>
    /// <param name="service">The service called.</param>
    /// <param name="caller">Who calls where: the region and the credentials' access key id (one per account session).</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <returns>The slot; dispose it when the call is done.</returns>
    public async Task<IDisposable> EnterAsync(string service, string caller, CancellationToken ct)
    {
        var s = ForService(service, caller);
        await s.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await _overall.WaitAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            s.Release();
            throw;
        }

        return new Releaser(s, _overall);
    }

    private sealed class Releaser(SemaphoreSlim a, SemaphoreSlim b) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                b.Release();
                a.Release();
            }
        }
    }
}

/// <summary>Signs, sends and retries AWS calls over one <see cref="HttpClient"/>.</summary>
internal sealed class AwsHttpClient : IDisposable
{
    /// <summary>Error codes that mean "slow down".</summary>
    public static readonly FrozenCodes ThrottlingCodes = new(
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "RequestThrottled", "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException");

    /// <summary>Error codes that are transient but not throttling.</summary>
    public static readonly FrozenCodes TransientCodes = new("RequestTimeout", "RequestTimeoutException", "InternalFailure", "ServiceUnavailable", "ServiceException", "InternalServerException", "InternalServerError", "InternalError");

    private readonly HttpClient _http;
    private readonly RetrySettings _retry;
    private readonly ConcurrencyGate _gate;
    private readonly CallCounters _counters;
    private readonly Func<DateTime> _clock;

    public AwsHttpClient(RetrySettings retry, ConcurrencyGate gate, CallCounters counters, Func<DateTime>? clock = null)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1024,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            AllowAutoRedirect = false,
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _retry = retry;
        _gate = gate;
        _counters = counters;
        _clock = clock ?? (() => DateTime.UtcNow);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Sends the request with retries; the final failure is returned, never thrown (except cancellation).</summary>
    public async Task<AwsResponse> SendAsync(AwsRequest request, ImmutableCredentials credentials, CancellationToken ct)
    {
        var attempt = 0;
        while (true)
        {
            attempt++;
            ct.ThrowIfCancellationRequested();
            AwsResponse result;
            bool retryable;
            bool throttled;
            using (await _gate.EnterAsync(request.Service, $"{request.SigningRegion}|{credentials.AccessKey}", ct).ConfigureAwait(false))
            {
                _counters.Call();
                (result, retryable, throttled) = await SendOnceAsync(request, credentials, attempt, ct).ConfigureAwait(false);
            }

            if (throttled)
            {
                _counters.Throttle();
            }

            if (!retryable || attempt >= _retry.MaxAttempts)
            {
                return result;
            }

            _counters.Retry();
            var cap = Math.Min(_retry.MaxDelay.TotalMilliseconds, _retry.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
            var delay = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * cap);
            await Task.Delay(delay, ct).ConfigureAwait(false);
        }
    }

    private async Task<(AwsResponse Response, bool Retryable, bool Throttled)> SendOnceAsync(AwsRequest request, ImmutableCredentials credentials, int attempt, CancellationToken ct)
    {
        using var message = BuildSignedMessage(request, credentials, _clock());
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_retry.AttemptTimeout);
        try
        {
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                return (new AwsResponse { HttpStatus = status, Body = body, Attempts = attempt }, false, false);
            }

            var headerType = response.Headers.TryGetValues("x-amzn-errortype", out var values) ? values.FirstOrDefault() : null;
            var (code, msg) = ParseError(body, headerType, status);
            var throttled = status == 429 || ThrottlingCodes.Contains(code);
            var retryable = throttled || status >= 500 || TransientCodes.Contains(code);
            return (new AwsResponse { HttpStatus = status, Body = body, ErrorCode = code, ErrorMessage = msg, Attempts = attempt }, retryable, throttled);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (new AwsResponse { HttpStatus = 0, ErrorCode = "RequestTimeout", ErrorMessage = "the request timed out", Attempts = attempt }, true, false);
        }
        catch (HttpRequestException ex)
        {
            return (new AwsResponse { HttpStatus = 0, ErrorCode = "ConnectionError", ErrorMessage = ex.Message, Attempts = attempt }, true, false);
        }
        catch (IOException ex)
        {
            return (new AwsResponse { HttpStatus = 0, ErrorCode = "ConnectionError", ErrorMessage = ex.Message, Attempts = attempt }, true, false);
        }
    }

    /// <summary>Builds the HTTP message and signs it (SigV4; the session token header is added before signing).</summary>
    internal static HttpRequestMessage BuildSignedMessage(AwsRequest request, ImmutableCredentials credentials, DateTime now)
    {
        var query = string.Join('&', request.Query.Select(kv => SigV4.UriEncode(kv.Key) + "=" + SigV4.UriEncode(kv.Value)));
        var uri = new UriBuilder(request.Endpoint) { Path = CombinePath(request.Endpoint.AbsolutePath, request.Path), Query = query }.Uri;
        var amzDate = now.ToString(SigV4.DateFormat, CultureInfo.InvariantCulture);
        var payloadHash = SigV4.HexSha256(request.Body);
        var headers = new List<KeyValuePair<string, string>>
        {
            new("host", uri.Authority),
            new("x-amz-date", amzDate),
            new("x-amz-content-sha256", payloadHash),
        };
        if (request.ContentType is not null)
        {
            headers.Add(new("content-type", request.ContentType));
        }

        foreach (var (k, v) in request.Headers)
        {
            headers.Add(new(k.ToLowerInvariant(), v));
        }

        if (credentials.UseToken)
        {
            headers.Add(new("x-amz-security-token", credentials.Token));
        }

        var rawPath = uri.AbsolutePath;
        var canonicalUri = request.S3Style ? SigV4.CanonicalUri(rawPath, normalize: false) : SigV4.CanonicalUri(rawPath, normalize: true);
        var canonical = SigV4.CanonicalRequest(request.Method, canonicalUri, SigV4.CanonicalQuery(uri.Query.TrimStart('?')), headers, payloadHash, null, out var signed);
        var auth = SigV4.Authorization(credentials.AccessKey, credentials.SecretKey, request.SigningRegion, request.SigningName, now, signed, canonical);

        var message = new HttpRequestMessage(new HttpMethod(request.Method), uri);
        foreach (var (k, v) in headers)
        {
            if (k is "host" or "content-type")
            {
                continue;
            }

            message.Headers.TryAddWithoutValidation(k, v);
        }

        message.Headers.TryAddWithoutValidation("Authorization", auth);
        if (request.Body.Length > 0 || request.Method is "POST" or "PUT")
        {
            var content = new ByteArrayContent(request.Body);
            if (request.ContentType is not null)
            {
                content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }

            message.Content = content;
        }

        return message;
    }

    private static string CombinePath(string basePath, string path)
    {
        var b = basePath.TrimEnd('/');
        return b + (path.StartsWith('/') ? path : "/" + path);
    }

    /// <summary>Extracts (code, message) from an AWS error response of any protocol.</summary>
    internal static (string Code, string Message) ParseError(byte[] body, string? errorTypeHeader, int status)
    {
        string? code = null;
        string? message = null;
        if (!string.IsNullOrEmpty(errorTypeHeader))
        {
            code = NormaliseCode(errorTypeHeader);
        }

        var text = Encoding.UTF8.GetString(body).Trim();
        if (text.StartsWith('{'))
        {
            try
            {
                using var doc = JsonDocument.Parse(text);
                var root = doc.RootElement;
                if (code is null)
                {
                    foreach (var name in new[] { "__type", "code", "Code" })
                    {
                        if (root.TryGetProperty(name, out var t) && t.ValueKind == JsonValueKind.String)
                        {
                            code = NormaliseCode(t.GetString()!);
                            break;
                        }
                    }
                }

                foreach (var name in new[] { "message", "Message", "errorMessage" })
                {
                    if (root.TryGetProperty(name, out var m) && m.ValueKind == JsonValueKind.String)
                    {
                        message = m.GetString();
                        break;
                    }
                }
            }
            catch (JsonException)
            {
                // not JSON after all
            }
        }
        else if (text.StartsWith('<'))
        {
            try
            {
                var xml = new XmlDocument { XmlResolver = null };
                using var reader = XmlReader.Create(new StringReader(text), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
                xml.Load(reader);
                code ??= FindElementText(xml, "Code");
                message = FindElementText(xml, "Message");
            }
            catch (XmlException)
            {
                // not XML after all
            }
        }

        code ??= status switch
        {
            429 => "TooManyRequests",
            _ => "Http" + status.ToString(CultureInfo.InvariantCulture),
        };
        return (code, message ?? string.Empty);
    }

    private static string? FindElementText(XmlDocument doc, string localName)
    {
        foreach (XmlNode node in doc.GetElementsByTagName("*"))
        {
            if (node.LocalName == localName && node.ChildNodes.Count == 1 && node.FirstChild is XmlText)
            {
                return node.InnerText;
            }
        }

        return null;
    }

    private static string NormaliseCode(string raw)
    {
        var c = raw;
        var colon = c.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            c = c[..colon];
        }

        var hash = c.LastIndexOf('#');
        if (hash >= 0)
        {
            c = c[(hash + 1)..];
        }

        return c.Trim();
    }
}

/// <summary>A small immutable set of error codes.</summary>
internal sealed class FrozenCodes(params string[] codes)
{
    private readonly HashSet<string> _set = new(codes, StringComparer.Ordinal);

    public bool Contains(string? code) => code is not null && _set.Contains(code);
}
