namespace Messaging.Shared.Privacy.Requests;

/// <summary>The vocabulary of data-subject requests: kinds, channels they arrive on, and statuses.</summary>
public static class DataSubjectRequestKinds
{
    public const string Erasure = "erasure";
    public const string Access = "access";

    public const string Received = "received";
    public const string InProgress = "in_progress";
    public const string Completed = "completed";
    public const string Failed = "failed";

    /// <summary>
    /// Query value of GET /api/data-subject-requests?status=open: received, in progress, or failed. A failed request is
    /// still owed its answer by the deadline (an operator fixes the cause and files the erasure again), so it stays on the list.
    /// </summary>
    public const string Open = "open";

    public static IReadOnlyList<string> Kinds { get; } = [Erasure, Access];

    public static IReadOnlyList<string> Channels { get; } = ["whatsapp", "email", "web", "phone", "letter"];

    public static IReadOnlyList<string> Statuses { get; } = [Received, InProgress, Completed, Failed];

    public static bool IsOpen(string status) => status is Received or InProgress or Failed;
}
