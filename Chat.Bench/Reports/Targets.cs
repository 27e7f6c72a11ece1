using System.Globalization;

namespace Chat.Bench.Reports;

/// <summary>The figures our hub must reach on the reference machine (2 cores), checked against a run.</summary>
public static class Targets
{
    public const double CpuMicrosecondsPerDelivery = 15;
    public const double P99Milliseconds = 50;
    public const double KiBPerIdleConnection = 12;
    public const double ConnectsPerSecond = 2000;
    public const double StoredMessagesPerSecond = 20_000;
    public const double AcknowledgementP99Milliseconds = 20;

    public static string Line(string what, double measured, double target, bool atMost, string unit)
    {
        var pass = atMost ? measured <= target : measured >= target;
        var comparison = atMost ? "≤" : "≥";
        return string.Create(CultureInfo.InvariantCulture, $"- {what}: {measured:N1} {unit} (target {comparison} {target:N0} {unit}): {(pass ? "PASS" : "FAIL")}");
    }

    public static string Check(string what, bool pass, string detail) => $"- {what}: {detail}: {(pass ? "PASS" : "FAIL")}";
}
