namespace Messaging.Shared.Workflows;

/// <summary>Retry schedule for a workflow's effects: attempts in all, first delay, growth factor, cap.</summary>
public sealed record WorkflowRetry(int MaxAttempts, TimeSpan FirstInterval, double BackoffCoefficient, TimeSpan MaxInterval)
{
    /// <summary>Six attempts over about ten minutes: long enough for Meta's throttling and brief outages to pass.</summary>
    public static WorkflowRetry Default { get; } = new(6, TimeSpan.FromSeconds(5), 2.0, TimeSpan.FromMinutes(5));

    /// <summary>The delay before attempt <paramref name="attempt"/> + 1 (attempt counts from 1).</summary>
    public TimeSpan DelayAfter(int attempt)
    {
        var seconds = FirstInterval.TotalSeconds * Math.Pow(BackoffCoefficient, Math.Max(0, attempt - 1));
        return TimeSpan.FromSeconds(Math.Min(seconds, MaxInterval.TotalSeconds));
    }
}
