using Microsoft.Extensions.Logging;

namespace Messaging.Shared.Retention;

/// <summary>Interim audit of sweeps (see <see cref="ISweepAudit"/>): one structured log line per finished sweep.</summary>
public sealed partial class LoggingSweepAudit(ILogger<LoggingSweepAudit> logger) : ISweepAudit
{
    public Task RecordAsync(RetentionSweep sweep, CancellationToken cancellationToken)
    {
        Log(logger, sweep.SweepId, sweep.Status, string.Join(", ", sweep.Classes.Select(c => $"{c.Name}={c.Deleted} ({c.Retention})")));
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention sweep {SweepId} {Status}: {Classes}")]
    private static partial void Log(ILogger logger, string sweepId, string status, string classes);
}
