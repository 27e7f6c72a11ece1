using System.Text;
using Chat.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Chat.Tests.Hosting;

/// <summary>
/// A small OTLP/HTTP collector on a free loopback port, in the test's process on Kestrel: it answers
/// every export with 200 and keeps the protobuf bodies posted to <c>/v1/traces</c>, <c>/v1/metrics</c>
/// and <c>/v1/logs</c>. Names travel in protobuf as their UTF-8 bytes, so a span or instrument name can
/// be searched for in what arrived.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<(string Signal, byte[] Body)> _exports = [];
    private readonly SemaphoreSlim _arrived = new(0);

    private OtlpReceiver(WebApplication app, int port)
    {
        _app = app;
        Endpoint = new Uri($"http://127.0.0.1:{port}");
    }

    /// <summary>What <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set to.</summary>
    public Uri Endpoint { get; }

    public static async Task<OtlpReceiver> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new OtlpReceiver(app, port);
        app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            lock (receiver._exports)
            {
                receiver._exports.Add((signal, body.ToArray()));
            }

            receiver._arrived.Release();
            return Results.Ok();
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>Waits until an export of <paramref name="signal"/> (<c>traces</c>, <c>metrics</c>) has carried every one of <paramref name="names"/>.</summary>
    public async Task WaitForAsync(string signal, IReadOnlyList<string> names, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (!names.All(name => Contains(signal, name)))
            {
                await _arrived.WaitAsync(deadline.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            var missing = names.Where(name => !Contains(signal, name));
            throw new TimeoutException($"No {signal} export carried {string.Join(", ", missing)} within {timeout}; {Count(signal)} {signal} exports arrived.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _arrived.Dispose();
    }

    private bool Contains(string signal, string name)
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        lock (_exports)
        {
            return _exports.Any(export => export.Signal == signal && export.Body.AsSpan().IndexOf(bytes) >= 0);
        }
    }

    private int Count(string signal)
    {
        lock (_exports)
        {
            return _exports.Count(export => export.Signal == signal);
        }
    }
}
