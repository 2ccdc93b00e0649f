using System.Net.Sockets;
using ImapProxy.Upstream.Auth;
using Polly;
using Polly.Retry;

namespace ImapProxy.Upstream.Client;

/// <summary>How reconnecting backs off.</summary>
public sealed record ReconnectPolicy
{
    /// <summary>Delay before the first retry; doubles each time (with jitter).</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between attempts.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Retries after the first failure before giving up.</summary>
    public int MaxRetries { get; init; } = 10;
}

/// <summary>
/// Makes connections with retries: exponential backoff with jitter (Polly) on transient failures (network, TLS
/// handshake, timeouts, a server that drops us). Permanent failures — a refused certificate, STARTTLS missing,
/// plaintext forbidden, wrong credentials, a failing password command — are not retried.
/// </summary>
public sealed class ImapConnector
{
    private readonly UpstreamOptions _options;
    private readonly IProtocolTrace? _trace;
    private readonly ResiliencePipeline _pipeline;

    /// <summary>Creates a connector.</summary>
    /// <param name="options">The account.</param>
    /// <param name="policy">Backoff; defaults to 1 s doubling up to 5 min, 10 retries.</param>
    /// <param name="trace">Protocol trace for every connection made.</param>
    /// <param name="onRetry">Told about each failed attempt and the delay before the next (for logging).</param>
    public ImapConnector(UpstreamOptions options, ReconnectPolicy? policy = null, IProtocolTrace? trace = null, Action<Exception, TimeSpan>? onRetry = null)
    {
        _options = options;
        _trace = trace;
        policy ??= new ReconnectPolicy();
        _pipeline = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = policy.FirstDelay,
            MaxDelay = policy.MaxDelay,
            MaxRetryAttempts = Math.Max(1, policy.MaxRetries),
            OnRetry = args =>
            {
                if (args.Outcome.Exception is { } e) onRetry?.Invoke(e, args.RetryDelay);
                return ValueTask.CompletedTask;
            },
        }).Build();
    }

    /// <summary>The options connections are made with.</summary>
    public UpstreamOptions Options => _options;

    /// <summary>True for failures worth retrying.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        ImapConnectionException c => !c.IsPermanent,
        ImapProtocolException => true,
        ImapAuthenticationException => false,
        // A server that is shutting down answers BYE or NO [UNAVAILABLE] to the login.
        ImapCommandException { ResponseCode: "UNAVAILABLE" } => true,
        IOException or SocketException or TimeoutException => true,
        _ => false,
    };

    /// <summary>Connects and logs in, retrying transient failures with backoff.</summary>
    public Task<ImapClient> ConnectAsync(CancellationToken cancellationToken = default)
        => _pipeline.ExecuteAsync(async ct => await ImapClient.ConnectAsync(_options, _trace, ct).ConfigureAwait(false), cancellationToken).AsTask();

    /// <summary>A <see cref="SecretProvider"/> reading a configured <see cref="SecretSource"/> (password or token command).</summary>
    public static SecretProvider FromSecret(SecretSource source)
        => async cancellationToken => await source.ResolveAsync(cancellationToken).ConfigureAwait(false);
}
