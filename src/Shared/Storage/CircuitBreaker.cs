namespace Messaging.Shared.Storage;

/// <summary>
/// Fails fast while a dependency is down. After <see cref="FailuresToOpen"/> failures in a row it opens for
/// <see cref="OpenFor"/>: callers are refused at once instead of waiting for a timeout each. Then one caller at a
/// time is let through as a probe; a success closes it, a failure opens it again.
/// </summary>
public sealed class CircuitBreaker(TimeProvider time)
{
    public const int FailuresToOpen = 2;
    public static readonly TimeSpan OpenFor = TimeSpan.FromSeconds(2);

    private readonly object _gate = new();
    private int _failures;
    private DateTimeOffset _openUntil = DateTimeOffset.MinValue;
    private bool _probing;

    public bool IsOpen
    {
        get
        {
            lock (_gate)
            {
                return _failures >= FailuresToOpen;
            }
        }
    }

    /// <summary>True when the caller may try; it must then report <see cref="Succeeded"/> or <see cref="Failed"/>.</summary>
    public bool TryEnter()
    {
        lock (_gate)
        {
            if (_failures < FailuresToOpen)
            {
                return true;
            }

            if (time.GetUtcNow() < _openUntil || _probing)
            {
                return false;
            }

            _probing = true;
            return true;
        }
    }

    public void Succeeded()
    {
        lock (_gate)
        {
            _failures = 0;
            _probing = false;
        }
    }

    public void Failed()
    {
        lock (_gate)
        {
            _failures++;
            _probing = false;
            if (_failures >= FailuresToOpen)
            {
                _openUntil = time.GetUtcNow() + OpenFor;
            }
        }
    }
}
