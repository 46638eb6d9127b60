using Microsoft.Extensions.Options;

namespace Messaging.LocalHost.Sandbox;

/// <summary>
/// What the sandbox has seen, in memory only: it is a developer tool, so a restart forgets everything, and it keeps at
/// most <see cref="SandboxOptions.MaxMessages"/> messages in all (oldest dropped) so a long session cannot grow
/// without bound. The app's own tables stay the record of truth. Records are immutable; updates replace them.
/// </summary>
public sealed class SandboxConversations(IOptions<SandboxOptions> options)
{
    private static readonly string[] Progression = ["accepted", "sent", "delivered", "read"];
    private readonly object _gate = new();
    private readonly List<SandboxChatMessage> _messages = [];
    private readonly HashSet<string> _marketingStopped = new(StringComparer.Ordinal);
    private readonly int _capacity = Math.Max(1, options.Value.MaxMessages);
    private SandboxNextFailure? _nextFailure;

    public void Add(SandboxChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_gate)
        {
            _messages.Add(message);
            if (_messages.Count > _capacity)
            {
                _messages.RemoveRange(0, _messages.Count - _capacity);
            }
        }
    }

    /// <summary>Moves a business message forward (accepted → sent → delivered → read); failed is final. Never backwards.</summary>
    public void Advance(string wamid, string status, int? errorCode = null)
    {
        lock (_gate)
        {
            var index = _messages.FindIndex(m => m.Id == wamid);
            if (index < 0)
            {
                return;
            }

            var current = _messages[index];
            if (current.Status == "failed")
            {
                return;
            }

            if (status == "failed" || Array.IndexOf(Progression, status) > Array.IndexOf(Progression, current.Status))
            {
                _messages[index] = current with { Status = status, ErrorCode = errorCode ?? current.ErrorCode };
            }
        }
    }

    public SandboxChatMessage? Find(string wamid)
    {
        lock (_gate)
        {
            return _messages.Find(m => m.Id == wamid);
        }
    }

    /// <summary>The newest business message to <paramref name="waId"/> that offers a quick reply with this payload.</summary>
    public SandboxChatMessage? FindQuickReplySource(string waId, string payload)
    {
        lock (_gate)
        {
            return _messages.FindLast(m => m.WaId == waId && m.QuickReplies?.Any(q => q.Payload == payload) == true);
        }
    }

    public IReadOnlyList<SandboxConversationSummary> List()
    {
        lock (_gate)
        {
            var waIds = _messages.Select(m => m.WaId).Concat(_marketingStopped).Distinct(StringComparer.Ordinal);
            return waIds
                .Select(w =>
                {
                    var messages = _messages.Where(m => m.WaId == w).ToList();
                    return new SandboxConversationSummary(w, messages.Count, messages.Count == 0 ? DateTimeOffset.MinValue : messages[^1].At, _marketingStopped.Contains(w));
                })
                .OrderByDescending(s => s.LastActivity)
                .ToList();
        }
    }

    public SandboxConversation Get(string waId)
    {
        lock (_gate)
        {
            return new SandboxConversation(waId, _marketingStopped.Contains(waId), _messages.Where(m => m.WaId == waId).ToList());
        }
    }

    public void SetMarketingStopped(string waId, bool stopped)
    {
        lock (_gate)
        {
            if (stopped)
            {
                _marketingStopped.Add(waId);
            }
            else
            {
                _marketingStopped.Remove(waId);
            }
        }
    }

    public bool IsMarketingStopped(string waId)
    {
        lock (_gate)
        {
            return _marketingStopped.Contains(waId);
        }
    }

    public void FailNextSend(SandboxNextFailure? failure)
    {
        lock (_gate)
        {
            _nextFailure = failure;
        }
    }

    public SandboxNextFailure? PeekNextFailure()
    {
        lock (_gate)
        {
            return _nextFailure;
        }
    }

    /// <summary>Takes the armed failure, once: only the next send fails.</summary>
    public SandboxNextFailure? TakeNextFailure()
    {
        lock (_gate)
        {
            var failure = _nextFailure;
            _nextFailure = null;
            return failure;
        }
    }
}
